// Kysely types of a cell database (what migrations/cell creates). Later issues add their tables.
import type { DbBool, DbTime, DefaultInt, Id } from './column-types.ts';

/** oslo.db SoftDeleteMixin: `deleted` is 0 for live rows and the row's id once deleted. */
interface SoftDelete {
  deleted_at: DbTime;
  deleted: DefaultInt;
}

export interface ServicesTable extends SoftDelete {
  id: Id;
  uuid: string;
  host: string;
  binary: string;
  topic: string | null;
  report_count: DefaultInt;
  disabled: DbBool;
  disabled_reason: string | null;
  last_seen_up: DbTime;
  forced_down: DbBool;
  version: DefaultInt;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface ComputeNodesTable extends SoftDelete {
  id: Id;
  uuid: string;
  service_id: number | null;
  host: string | null;
  hypervisor_hostname: string | null;
  hypervisor_type: string;
  hypervisor_version: DefaultInt;
  vcpus: DefaultInt;
  memory_mb: DefaultInt;
  local_gb: DefaultInt;
  vcpus_used: DefaultInt;
  memory_mb_used: DefaultInt;
  local_gb_used: DefaultInt;
  free_ram_mb: number | null;
  free_disk_gb: number | null;
  current_workload: number | null;
  running_vms: number | null;
  disk_available_least: number | null;
  cpu_info: string;
  host_ip: string | null;
  cpu_allocation_ratio: number | null;
  ram_allocation_ratio: number | null;
  disk_allocation_ratio: number | null;
  mapped: DefaultInt;
  /** JSON object of strings. */
  stats: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface InstancesTable extends SoftDelete {
  id: Id;
  uuid: string;
  hostname: string | null;
  project_id: string | null;
  user_id: string | null;
  image_ref: string | null;
  kernel_id: string | null;
  ramdisk_id: string | null;
  key_name: string | null;
  key_data: string | null;
  user_data: string | null;
  vm_state: string | null;
  task_state: string | null;
  power_state: number | null;
  host: string | null;
  node: string | null;
  launch_index: number | null;
  memory_mb: number | null;
  vcpus: number | null;
  root_gb: number | null;
  ephemeral_gb: number | null;
  instance_type_id: number | null;
  progress: number | null;
  reservation_id: string | null;
  availability_zone: string | null;
  display_name: string | null;
  display_description: string | null;
  launched_on: string | null;
  locked: DbBool | null;
  locked_by: string | null;
  os_type: string | null;
  architecture: string | null;
  vm_mode: string | null;
  root_device_name: string | null;
  default_ephemeral_device: string | null;
  default_swap_device: string | null;
  config_drive: string | null;
  cell_name: string | null;
  ephemeral_key_uuid: string | null;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  auto_disk_config: DbBool | null;
  shutdown_terminate: DbBool | null;
  disable_terminate: DbBool | null;
  hidden: DbBool;
  compute_id: number | null;
  launched_at: DbTime;
  terminated_at: DbTime;
  scheduled_at: DbTime;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface MigrationsTable extends SoftDelete {
  id: Id;
  uuid: string | null;
  instance_uuid: string | null;
  source_compute: string | null;
  dest_compute: string | null;
  source_node: string | null;
  dest_node: string | null;
  dest_host: string | null;
  dest_compute_id: number | string | null;
  old_instance_type_id: number | null;
  new_instance_type_id: number | null;
  status: string | null;
  migration_type: string | null;
  hidden: DbBool;
  memory_total: number | string | null;
  memory_processed: number | string | null;
  memory_remaining: number | string | null;
  disk_total: number | string | null;
  disk_processed: number | string | null;
  disk_remaining: number | string | null;
  cross_cell_move: DbBool;
  user_id: string | null;
  project_id: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface TaskLogTable extends SoftDelete {
  id: Id;
  task_name: string;
  state: string;
  host: string;
  period_beginning: DbTime;
  period_ending: DbTime;
  message: string;
  task_items: number | null;
  errors: number | null;
  created_at: DbTime;
  updated_at: DbTime;
}

/** JSON blobs of an instance (upstream instance_extra); `flavor` is {cur, old, new}. */
export interface InstanceExtraTable extends SoftDelete {
  id: Id;
  instance_uuid: string;
  device_metadata: string | null;
  numa_topology: string | null;
  pci_requests: string | null;
  flavor: string | null;
  vcpu_model: string | null;
  migration_context: string | null;
  keypairs: string | null;
  trusted_certs: string | null;
  resources: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface InstanceFaultsTable extends SoftDelete {
  id: Id;
  instance_uuid: string | null;
  code: number;
  message: string | null;
  details: string | null;
  host: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

/** instance_metadata and instance_system_metadata. */
export interface InstanceKeyValueTable extends SoftDelete {
  id: Id;
  key: string;
  value: string | null;
  instance_uuid: string;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface InstanceInfoCachesTable extends SoftDelete {
  id: Id;
  /** JSON list of VIFs. */
  network_info: string | null;
  instance_uuid: string;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface InstanceActionsTable extends SoftDelete {
  id: Id;
  action: string | null;
  instance_uuid: string | null;
  request_id: string | null;
  user_id: string | null;
  project_id: string | null;
  start_time: DbTime;
  finish_time: DbTime;
  message: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface InstanceActionsEventsTable extends SoftDelete {
  id: Id;
  event: string | null;
  action_id: number | null;
  start_time: DbTime;
  finish_time: DbTime;
  result: string | null;
  traceback: string | null;
  host: string | null;
  details: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface TagsTable {
  resource_id: string;
  tag: string;
}

export interface BlockDeviceMappingTable extends SoftDelete {
  id: Id;
  uuid: string | null;
  instance_uuid: string | null;
  device_name: string | null;
  delete_on_termination: DbBool | null;
  snapshot_id: string | null;
  volume_id: string | null;
  volume_size: number | null;
  volume_type: string | null;
  image_id: string | null;
  no_device: DbBool | null;
  connection_info: string | null;
  source_type: string | null;
  destination_type: string | null;
  guest_format: string | null;
  device_type: string | null;
  disk_bus: string | null;
  boot_index: number | null;
  tag: string | null;
  attachment_id: string | null;
  encrypted: DbBool | null;
  encryption_secret_uuid: string | null;
  encryption_format: string | null;
  encryption_options: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface ConsoleAuthTokensTable {
  id: Id;
  token_hash: string;
  console_type: string;
  host: string;
  port: number;
  tls_port: number | null;
  internal_access_path: string | null;
  instance_uuid: string;
  /** Unix seconds. */
  expires: number;
  access_url_base: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface CellDb {
  services: ServicesTable;
  compute_nodes: ComputeNodesTable;
  instances: InstancesTable;
  migrations: MigrationsTable;
  task_log: TaskLogTable;
  instance_extra: InstanceExtraTable;
  instance_faults: InstanceFaultsTable;
  instance_metadata: InstanceKeyValueTable;
  instance_system_metadata: InstanceKeyValueTable;
  instance_info_caches: InstanceInfoCachesTable;
  instance_actions: InstanceActionsTable;
  instance_actions_events: InstanceActionsEventsTable;
  tags: TagsTable;
  block_device_mapping: BlockDeviceMappingTable;
  console_auth_tokens: ConsoleAuthTokensTable;
}
