// Cell database, platform tables: services (every daemon's registration and heartbeat) and
// compute_nodes (each hypervisor a compute reports). Soft delete as upstream: `deleted` = id.
import type { Kysely } from 'kysely';
import { addIdColumn, addSoftDelete, addTimeColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
async function createServices(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  const t = addTimestamps(addIdColumn(db.schema.createTable('services'), caps), caps)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addColumn('binary', 'varchar(255)', (c) => c.notNull())
    .addColumn('topic', 'varchar(255)')
    .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('disabled_reason', 'varchar(255)');
  await addSoftDelete(addTimeColumn(t, 'last_seen_up', caps), caps)
    .addColumn('forced_down', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('uniq_services0uuid', ['uuid'])
    .addUniqueConstraint('uniq_services0host0binary0deleted', ['host', 'binary', 'deleted'])
    .addUniqueConstraint('uniq_services0host0topic0deleted', ['host', 'topic', 'deleted'])
    .execute();
}

const INT_COLUMNS = [
  'vcpus',
  'memory_mb',
  'local_gb',
  'vcpus_used',
  'memory_mb_used',
  'local_gb_used',
  'hypervisor_version',
] as const;
const NULLABLE_INT_COLUMNS = [
  'free_ram_mb',
  'free_disk_gb',
  'current_workload',
  'running_vms',
  'disk_available_least',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
async function createComputeNodes(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  let t = addSoftDelete(addTimestamps(addIdColumn(db.schema.createTable('compute_nodes'), caps), caps), caps)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('service_id', 'integer')
    .addColumn('host', 'varchar(255)')
    .addColumn('hypervisor_hostname', 'varchar(255)')
    .addColumn('hypervisor_type', 'varchar(255)', (c) => c.notNull());
  for (const name of INT_COLUMNS) t = t.addColumn(name, 'integer', (c) => c.notNull().defaultTo(0));
  for (const name of NULLABLE_INT_COLUMNS) t = t.addColumn(name, 'integer');
  await t
    .addColumn('cpu_info', 'text', (c) => c.notNull())
    .addColumn('host_ip', 'varchar(39)')
    .addColumn('cpu_allocation_ratio', 'double precision')
    .addColumn('ram_allocation_ratio', 'double precision')
    .addColumn('disk_allocation_ratio', 'double precision')
    .addColumn('mapped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stats', 'text')
    .addUniqueConstraint('uniq_compute_nodes0uuid', ['uuid'])
    .addUniqueConstraint('uniq_compute_nodes0host0hypervisor_hostname0deleted', [
      'host',
      'hypervisor_hostname',
      'deleted',
    ])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
export async function up(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  await createServices(db, caps);
  await createComputeNodes(db, caps);
}
