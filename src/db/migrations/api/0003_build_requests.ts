// API database: build_requests (a server accepted by the API but not yet in a cell) and
// request_specs (what the scheduler was asked for, kept for every later move). The instance and the
// spec are JSON documents, as upstream keeps serialised objects.
import { type Kysely, sql } from 'kysely';
import { addIdColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
export async function up(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  await addTimestamps(addIdColumn(db.schema.createTable('request_specs'), caps), caps)
    .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('spec', sql.raw(caps.longTextType), (c) => c.notNull())
    .addUniqueConstraint('uniq_request_specs0instance_uuid', ['instance_uuid'])
    .execute();
  await addTimestamps(addIdColumn(db.schema.createTable('build_requests'), caps), caps)
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(255)')
    .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('instance', sql.raw(caps.longTextType))
    .addColumn('block_device_mappings', 'text')
    .addColumn('tags', 'text')
    .addUniqueConstraint('uniq_build_requests0instance_uuid', ['instance_uuid'])
    .execute();
  await db.schema
    .createIndex('build_requests_project_id_idx')
    .on('build_requests')
    .column('project_id')
    .execute();
}
