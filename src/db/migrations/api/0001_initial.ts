// API database, platform tables: which cells exist, which hosts and instances live in which cell.
import type { Kysely } from 'kysely';
import { addIdColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
export async function up(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  await addTimestamps(addIdColumn(db.schema.createTable('cell_mappings'), caps), caps)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('transport_url', 'text', (c) => c.notNull())
    .addColumn('database_connection', 'text', (c) => c.notNull())
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('uniq_cell_mappings0uuid', ['uuid'])
    .execute();

  await addTimestamps(addIdColumn(db.schema.createTable('host_mappings'), caps), caps)
    .addColumn('cell_id', 'integer', (c) => c.notNull())
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_host_mappings0host', ['host'])
    .addForeignKeyConstraint('host_mappings_cell_id_fkey', ['cell_id'], 'cell_mappings', ['id'])
    .execute();
  await db.schema.createIndex('host_mappings_cell_id_idx').on('host_mappings').column('cell_id').execute();

  await addTimestamps(addIdColumn(db.schema.createTable('instance_mappings'), caps), caps)
    .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('cell_id', 'integer')
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(255)')
    .addColumn('queued_for_delete', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('uniq_instance_mappings0instance_uuid', ['instance_uuid'])
    .addForeignKeyConstraint('instance_mappings_cell_id_fkey', ['cell_id'], 'cell_mappings', ['id'])
    .execute();
  await db.schema
    .createIndex('instance_mappings_project_id_idx')
    .on('instance_mappings')
    .column('project_id')
    .execute();
  await db.schema
    .createIndex('instance_mappings_cell_id_idx')
    .on('instance_mappings')
    .column('cell_id')
    .execute();
}
