// Cell database: instances, with upstream's main columns (the servers work adds the rest of the
// instance data in later migrations). Soft delete as upstream: `deleted` = id once deleted.
import type { Kysely } from 'kysely';
import { addIdColumn, addSoftDelete, addTimeColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

const STRINGS_255 = [
  'project_id',
  'user_id',
  'image_ref',
  'kernel_id',
  'ramdisk_id',
  'key_name',
  'vm_state',
  'task_state',
  'host',
  'node',
  'reservation_id',
  'availability_zone',
  'display_name',
  'launched_on',
  'locked_by',
  'os_type',
  'architecture',
  'vm_mode',
  'root_device_name',
  'default_ephemeral_device',
  'default_swap_device',
  'config_drive',
  'cell_name',
  'ephemeral_key_uuid',
] as const;

const INTS = [
  'launch_index',
  'power_state',
  'memory_mb',
  'vcpus',
  'root_gb',
  'ephemeral_gb',
  'instance_type_id',
  'progress',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
export async function up(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  let t = addSoftDelete(addTimestamps(addIdColumn(db.schema.createTable('instances'), caps), caps), caps)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('hostname', 'varchar(255)');
  for (const name of STRINGS_255) t = t.addColumn(name, 'varchar(255)');
  for (const name of INTS) t = t.addColumn(name, 'integer');
  t = addTimeColumn(
    addTimeColumn(addTimeColumn(t, 'launched_at', caps), 'terminated_at', caps),
    'scheduled_at',
    caps,
  );
  await t
    .addColumn('key_data', 'text')
    .addColumn('user_data', 'text')
    .addColumn('display_description', 'text')
    .addColumn('locked', 'boolean')
    .addColumn('access_ip_v4', 'varchar(39)')
    .addColumn('access_ip_v6', 'varchar(39)')
    .addColumn('auto_disk_config', 'boolean')
    .addColumn('shutdown_terminate', 'boolean')
    .addColumn('disable_terminate', 'boolean')
    .addColumn('hidden', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('compute_id', 'integer')
    .addUniqueConstraint('uniq_instances0uuid', ['uuid'])
    .execute();
  await db.schema
    .createIndex('instances_project_id_deleted_idx')
    .on('instances')
    .columns(['project_id', 'deleted'])
    .execute();
  await db.schema
    .createIndex('instances_host_deleted_idx')
    .on('instances')
    .columns(['host', 'deleted'])
    .execute();
}
