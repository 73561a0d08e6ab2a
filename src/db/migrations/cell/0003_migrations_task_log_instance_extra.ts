// Cell database: migrations (every move of an instance between hosts), task_log (audit runs of
// periodic tasks, e.g. instance_usage_audit) and instance_extra (an instance's JSON blobs: the
// embedded flavor, NUMA topology, …) with upstream's columns. Soft delete as upstream.
import type { Kysely } from 'kysely';
import { addIdColumn, addSoftDelete, addTimeColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

const MIGRATION_STRINGS = [
  'source_compute',
  'dest_compute',
  'source_node',
  'dest_node',
  'dest_host',
  'status',
  'migration_type',
  'user_id',
  'project_id',
] as const;

const MIGRATION_BIGINTS = [
  'dest_compute_id',
  'memory_total',
  'memory_processed',
  'memory_remaining',
  'disk_total',
  'disk_processed',
  'disk_remaining',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
async function createMigrations(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  let t = addSoftDelete(addTimestamps(addIdColumn(db.schema.createTable('migrations'), caps), caps), caps)
    .addColumn('uuid', 'varchar(36)')
    .addColumn('instance_uuid', 'varchar(36)')
    .addColumn('old_instance_type_id', 'integer')
    .addColumn('new_instance_type_id', 'integer');
  for (const name of MIGRATION_STRINGS) t = t.addColumn(name, 'varchar(255)');
  for (const name of MIGRATION_BIGINTS) t = t.addColumn(name, 'bigint');
  await t
    .addColumn('hidden', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('cross_cell_move', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('migrations_uuid', ['uuid'])
    .execute();
  await db.schema
    .createIndex('migrations_instance_uuid_and_status_idx')
    .on('migrations')
    .columns(['deleted', 'instance_uuid', 'status'])
    .execute();
  await db.schema
    .createIndex('migrations_by_host_nodes_and_status_idx')
    .on('migrations')
    .columns(['deleted', 'source_compute', 'dest_compute', 'status'])
    .execute();
  await db.schema.createIndex('migrations_updated_at_idx').on('migrations').column('updated_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
async function createTaskLog(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  const base = addSoftDelete(addTimestamps(addIdColumn(db.schema.createTable('task_log'), caps), caps), caps)
    .addColumn('task_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('state', 'varchar(255)', (c) => c.notNull())
    .addColumn('host', 'varchar(255)', (c) => c.notNull());
  await addTimeColumn(addTimeColumn(base, 'period_beginning', caps), 'period_ending', caps)
    .addColumn('message', 'varchar(255)', (c) => c.notNull())
    .addColumn('task_items', 'integer', (c) => c.defaultTo(0))
    .addColumn('errors', 'integer', (c) => c.defaultTo(0))
    .addUniqueConstraint('uniq_task_log0task_name0host0period_beginning0period_ending', [
      'task_name',
      'host',
      'period_beginning',
      'period_ending',
    ])
    .execute();
  await db.schema.createIndex('ix_task_log_host').on('task_log').column('host').execute();
  await db.schema
    .createIndex('ix_task_log_period_beginning')
    .on('task_log')
    .column('period_beginning')
    .execute();
}

const EXTRA_TEXTS = [
  'device_metadata',
  'numa_topology',
  'pci_requests',
  'flavor',
  'vcpu_model',
  'migration_context',
  'keypairs',
  'trusted_certs',
  'resources',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
async function createInstanceExtra(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  let t = addSoftDelete(
    addTimestamps(addIdColumn(db.schema.createTable('instance_extra'), caps), caps),
    caps,
  ).addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull());
  for (const name of EXTRA_TEXTS) t = t.addColumn(name, 'text');
  await t.execute();
  await db.schema.createIndex('instance_extra_idx').on('instance_extra').column('instance_uuid').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
export async function up(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  await createMigrations(db, caps);
  await createTaskLog(db, caps);
  await createInstanceExtra(db, caps);
}
