// Per-service groups: [conductor], [compute], [upgrade_levels], [cells], [quota].
import { defineGroup } from '../group.ts';
import { boolOpt, intOpt, listOpt, pathOpt, strOpt } from '../opt.ts';

export const conductorGroup = defineGroup('conductor', 'Conductor', 'The nova-conductor service.', {
  workers: intOpt({ help: 'Conductor worker processes; unset means one per CPU.' }),
});

export const computeGroup = defineGroup('compute', 'Compute service', 'The nova-compute service.', {
  consecutive_build_service_disable_threshold: intOpt({
    help: 'Consecutive failed builds after which the compute service disables itself; 0 never.',
    default: 10,
  }),
  shutdown_retry_interval: intOpt({
    help: 'Seconds between shutdown requests to a guest while waiting for a clean shutdown.',
    default: 10,
    min: 1,
  }),
  resource_provider_association_refresh: intOpt({
    help: 'Seconds between refreshes of cached provider aggregates and traits; 0 never refreshes.',
    default: 300,
    min: 0,
    mutable: true,
  }),
  cpu_shared_set: strOpt({ help: 'Host CPUs for shared (floating) guest CPUs, e.g. 0-3,^2.' }),
  cpu_dedicated_set: strOpt({ help: 'Host CPUs for dedicated (pinned) guest CPUs, e.g. 4-15.' }),
  live_migration_wait_for_vif_plug: boolOpt({
    help: 'Wait for the network to plug ports on the destination before a live migration starts.',
    default: true,
  }),
  max_concurrent_disk_ops: intOpt({
    help: 'Disk-heavy operations (image conversion, snapshots) run at once; 0 means no limit.',
    default: 0,
    min: 0,
  }),
  max_disk_devices_to_attach: intOpt({
    help: 'Most disks per instance; -1 means no limit.',
    default: -1,
    min: -1,
  }),
  provider_config_location: pathOpt({
    help: 'Directory of provider.yaml files customising resource providers.',
    default: '/etc/nova/provider_config/',
  }),
  image_type_exclude_list: listOpt({ help: 'Image disk formats this host refuses.', default: [] }),
  packing_host_numa_cells_allocation_strategy: boolOpt({
    help: 'Fill NUMA nodes one after another instead of spreading.',
    default: false,
  }),
  sharing_providers_max_uuids_per_request: intOpt({
    help: 'Most provider UUIDs per placement query for sharing providers.',
    default: 200,
    min: 1,
  }),
});

export const upgradeLevelsGroup = defineGroup(
  'upgrade_levels',
  'RPC version caps',
  'Cap the RPC version sent to a service during rolling upgrades: a version, a release name, or auto.',
  {
    compute: strOpt({ help: 'Version cap of RPC to nova-compute.' }),
    scheduler: strOpt({ help: 'Version cap of RPC to nova-scheduler.' }),
    conductor: strOpt({ help: 'Version cap of RPC to nova-conductor.' }),
    baseapi: strOpt({ help: 'Version cap of the base RPC API every service serves.' }),
  },
);

export const cellsGroup = defineGroup(
  'cells',
  'Cells v1 (legacy)',
  'Options of the removed cells v1 feature, accepted so old configs load. nova-ts runs cells v2: ' +
    'cells are records in the API database (nova-manage cell_v2), not config.',
  {
    enable: boolOpt({ help: 'Cells v1 on (no effect in nova-ts).', default: false }),
    name: strOpt({ help: 'Name of this cell (cells v1).', default: 'nova' }),
    cell_type: strOpt({ help: 'Role of this cell (cells v1): api or compute.', choices: ['api', 'compute'] }),
    instance_updated_at_threshold: intOpt({
      help: 'Seconds of staleness before an instance is re-synced.',
      default: 3600,
    }),
    instance_update_num_instances: intOpt({ help: 'Instances synced per periodic run.', default: 1 }),
    instance_update_sync_database_limit: intOpt({
      help: 'Instances read per database query when syncing.',
      default: 100,
    }),
  },
);

const quota = (name: string, what: string, dflt: number) =>
  intOpt({
    help: `Default quota of ${what} per project; -1 means unlimited.`,
    default: dflt,
    min: -1,
    deprecated: [{ group: 'DEFAULT', name: `quota_${name}` }],
  });

export const quotaGroup = defineGroup(
  'quota',
  'Quotas',
  'Default per-project quotas and how usage is counted.',
  {
    instances: quota('instances', 'instances', 10),
    cores: quota('cores', 'instance cores (VCPUs)', 20),
    ram: quota('ram', 'instance RAM in MiB', 51200),
    metadata_items: quota('metadata_items', 'metadata items per instance', 128),
    injected_files: quota('injected_files', 'injected files', 5),
    injected_file_content_bytes: quota('injected_file_content_bytes', 'bytes per injected file', 10240),
    injected_file_path_length: quota('injected_file_path_length', 'characters of an injected file path', 255),
    key_pairs: quota('key_pairs', 'key pairs per user', 100),
    server_groups: quota('server_groups', 'server groups', 10),
    server_group_members: quota('server_group_members', 'servers per server group', 10),
    driver: strOpt({
      help: 'Quota driver: limits from the database (DbQuotaDriver), none (NoopQuotaDriver), or Keystone unified limits.',
      default: 'nova.quota.DbQuotaDriver',
      choices: ['nova.quota.DbQuotaDriver', 'nova.quota.NoopQuotaDriver', 'nova.quota.UnifiedLimitsDriver'],
    }),
    recheck_quota: boolOpt({
      help: 'Check quota again after creating resources, to close races.',
      default: true,
    }),
    count_usage_from_placement: boolOpt({
      help: 'Count cores and RAM usage from placement allocations instead of the cell databases.',
      default: false,
    }),
  },
);
