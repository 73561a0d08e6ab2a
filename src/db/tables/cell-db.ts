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

export interface CellDb {
  services: ServicesTable;
  compute_nodes: ComputeNodesTable;
}
