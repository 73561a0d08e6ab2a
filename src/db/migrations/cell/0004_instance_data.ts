// Cell database: the rest of an instance's data — faults, metadata and system metadata, network
// info cache, actions and their events, tags, block device mappings and console auth tokens.
// Columns as upstream's models; soft delete where upstream has it.
import type { Kysely } from 'kysely';
import { addIdColumn, addSoftDelete, addTimeColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
type Db = Kysely<any>;

const softTable = (db: Db, name: string, caps: DbCapabilities) =>
  addSoftDelete(addTimestamps(addIdColumn(db.schema.createTable(name), caps), caps), caps);

async function faults(db: Db, caps: DbCapabilities): Promise<void> {
  await softTable(db, 'instance_faults', caps)
    .addColumn('instance_uuid', 'varchar(36)')
    .addColumn('code', 'integer', (c) => c.notNull())
    .addColumn('message', 'varchar(255)')
    .addColumn('details', 'text')
    .addColumn('host', 'varchar(255)')
    .execute();
  await db.schema
    .createIndex('instance_faults_instance_uuid_deleted_created_at_idx')
    .on('instance_faults')
    .columns(['instance_uuid', 'deleted', 'created_at'])
    .execute();
}

async function keyValues(db: Db, caps: DbCapabilities, name: string): Promise<void> {
  await softTable(db, name, caps)
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'varchar(255)')
    .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex(`${name}_instance_uuid_idx`).on(name).column('instance_uuid').execute();
}

async function infoCaches(db: Db, caps: DbCapabilities): Promise<void> {
  await softTable(db, 'instance_info_caches', caps)
    .addColumn('network_info', 'text')
    .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
    .addUniqueConstraint('uniq_instance_info_caches0instance_uuid', ['instance_uuid'])
    .execute();
}

async function actions(db: Db, caps: DbCapabilities): Promise<void> {
  let a = softTable(db, 'instance_actions', caps)
    .addColumn('action', 'varchar(255)')
    .addColumn('instance_uuid', 'varchar(36)')
    .addColumn('request_id', 'varchar(255)')
    .addColumn('user_id', 'varchar(255)')
    .addColumn('project_id', 'varchar(255)');
  a = addTimeColumn(addTimeColumn(a, 'start_time', caps), 'finish_time', caps);
  await a.addColumn('message', 'varchar(255)').execute();
  await db.schema
    .createIndex('instance_uuid_idx')
    .on('instance_actions')
    .columns(['instance_uuid'])
    .execute();
  await db.schema
    .createIndex('instance_actions_instance_uuid_request_id_idx')
    .on('instance_actions')
    .columns(['instance_uuid', 'request_id'])
    .execute();
  let e = softTable(db, 'instance_actions_events', caps)
    .addColumn('event', 'varchar(255)')
    .addColumn('action_id', 'integer');
  e = addTimeColumn(addTimeColumn(e, 'start_time', caps), 'finish_time', caps);
  await e
    .addColumn('result', 'varchar(255)')
    .addColumn('traceback', 'text')
    .addColumn('host', 'varchar(255)')
    .addColumn('details', 'text')
    .execute();
  await db.schema
    .createIndex('instance_actions_events_action_id_idx')
    .on('instance_actions_events')
    .column('action_id')
    .execute();
}

async function tags(db: Db): Promise<void> {
  await db.schema
    .createTable('tags')
    .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('tag', 'varchar(80)', (c) => c.notNull())
    .addPrimaryKeyConstraint('tags_pkey', ['resource_id', 'tag'])
    .execute();
  await db.schema.createIndex('tags_tag_idx').on('tags').column('tag').execute();
}

async function blockDeviceMappings(db: Db, caps: DbCapabilities): Promise<void> {
  await softTable(db, 'block_device_mapping', caps)
    .addColumn('uuid', 'varchar(36)')
    .addColumn('instance_uuid', 'varchar(36)')
    .addColumn('device_name', 'varchar(255)')
    .addColumn('delete_on_termination', 'boolean')
    .addColumn('snapshot_id', 'varchar(36)')
    .addColumn('volume_id', 'varchar(36)')
    .addColumn('volume_size', 'integer')
    .addColumn('volume_type', 'varchar(255)')
    .addColumn('image_id', 'varchar(36)')
    .addColumn('no_device', 'boolean')
    .addColumn('connection_info', 'text')
    .addColumn('source_type', 'varchar(255)')
    .addColumn('destination_type', 'varchar(255)')
    .addColumn('guest_format', 'varchar(255)')
    .addColumn('device_type', 'varchar(255)')
    .addColumn('disk_bus', 'varchar(255)')
    .addColumn('boot_index', 'integer')
    .addColumn('tag', 'varchar(255)')
    .addColumn('attachment_id', 'varchar(36)')
    .addColumn('encrypted', 'boolean')
    .addColumn('encryption_secret_uuid', 'varchar(36)')
    .addColumn('encryption_format', 'varchar(128)')
    .addColumn('encryption_options', 'varchar(4096)')
    .addUniqueConstraint('uniq_block_device_mapping0uuid', ['uuid'])
    .execute();
  await db.schema
    .createIndex('block_device_mapping_instance_uuid_idx')
    .on('block_device_mapping')
    .column('instance_uuid')
    .execute();
}

async function consoleAuthTokens(db: Db, caps: DbCapabilities): Promise<void> {
  await addTimestamps(addIdColumn(db.schema.createTable('console_auth_tokens'), caps), caps)
    .addColumn('token_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('console_type', 'varchar(255)', (c) => c.notNull())
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('tls_port', 'integer')
    .addColumn('internal_access_path', 'varchar(255)')
    .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('expires', 'integer', (c) => c.notNull())
    .addColumn('access_url_base', 'varchar(255)')
    .addUniqueConstraint('console_auth_tokens_token_hash', ['token_hash'])
    .execute();
  await db.schema
    .createIndex('console_auth_tokens_instance_uuid_idx')
    .on('console_auth_tokens')
    .column('instance_uuid')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
export async function up(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  await faults(db, caps);
  await keyValues(db, caps, 'instance_metadata');
  await keyValues(db, caps, 'instance_system_metadata');
  await infoCaches(db, caps);
  await actions(db, caps);
  await tags(db);
  await blockDeviceMappings(db, caps);
  await consoleAuthTokens(db, caps);
  // The scheduler and the usage audit read these by host and by update time.
  await db.schema
    .createIndex('instances_uuid_deleted_idx')
    .on('instances')
    .columns(['uuid', 'deleted'])
    .execute();
  await db.schema.createIndex('instances_updated_at_idx').on('instances').column('updated_at').execute();
}
