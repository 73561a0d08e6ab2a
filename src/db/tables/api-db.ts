// Kysely types of the API database (what migrations/api creates). Later issues add their tables.
import type { DbBool, DbTime, DefaultInt, Id } from './column-types.ts';

export interface CellMappingsTable {
  id: Id;
  uuid: string;
  name: string | null;
  transport_url: string;
  database_connection: string;
  disabled: DbBool;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface HostMappingsTable {
  id: Id;
  cell_id: number;
  host: string;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface InstanceMappingsTable {
  id: Id;
  instance_uuid: string;
  cell_id: number | null;
  project_id: string;
  user_id: string | null;
  queued_for_delete: DbBool;
  created_at: DbTime;
  updated_at: DbTime;
}

/** created_at/updated_at of every API table. */
interface Stamped {
  created_at: DbTime;
  updated_at: DbTime;
}

export interface FlavorsTable extends Stamped {
  id: Id;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number | null;
  ephemeral_gb: number | null;
  flavorid: string;
  swap: DefaultInt;
  rxtx_factor: number | null;
  vcpu_weight: number | null;
  disabled: DbBool;
  is_public: DbBool;
  description: string | null;
}

export interface FlavorExtraSpecsTable extends Stamped {
  id: Id;
  flavor_id: number;
  key: string;
  value: string | null;
}

export interface FlavorProjectsTable extends Stamped {
  id: Id;
  flavor_id: number;
  project_id: string;
}

export interface KeyPairsTable extends Stamped {
  id: Id;
  name: string;
  user_id: string;
  fingerprint: string | null;
  public_key: string | null;
  type: string;
}

export interface QuotasTable extends Stamped {
  id: Id;
  project_id: string | null;
  resource: string;
  hard_limit: number | null;
}

export interface ProjectUserQuotasTable extends Stamped {
  id: Id;
  project_id: string;
  user_id: string;
  resource: string;
  hard_limit: number | null;
}

export interface QuotaClassesTable extends Stamped {
  id: Id;
  class_name: string | null;
  resource: string | null;
  hard_limit: number | null;
}

export interface AggregatesTable extends Stamped {
  id: Id;
  uuid: string | null;
  name: string | null;
}

export interface AggregateHostsTable extends Stamped {
  id: Id;
  host: string | null;
  aggregate_id: number;
}

export interface AggregateMetadataTable extends Stamped {
  id: Id;
  aggregate_id: number;
  key: string;
  value: string;
}

export interface InstanceGroupsTable extends Stamped {
  id: Id;
  user_id: string | null;
  project_id: string | null;
  uuid: string;
  name: string | null;
}

export interface InstanceGroupPolicyTable extends Stamped {
  id: Id;
  policy: string | null;
  group_id: number;
  /** JSON object of rules (max_server_per_host …). */
  rules: string | null;
}

export interface InstanceGroupMemberTable extends Stamped {
  id: Id;
  instance_uuid: string | null;
  group_id: number;
}

export interface RequestSpecsTable extends Stamped {
  id: Id;
  instance_uuid: string;
  /** JSON document (src/objects/request-spec.ts). */
  spec: string;
}

export interface BuildRequestsTable extends Stamped {
  id: Id;
  project_id: string;
  user_id: string | null;
  instance_uuid: string;
  /** JSON of the instance as the API accepted it (src/objects/build-request.ts). */
  instance: string | null;
  block_device_mappings: string | null;
  tags: string | null;
}

export interface ApiDb {
  cell_mappings: CellMappingsTable;
  host_mappings: HostMappingsTable;
  instance_mappings: InstanceMappingsTable;
  flavors: FlavorsTable;
  flavor_extra_specs: FlavorExtraSpecsTable;
  flavor_projects: FlavorProjectsTable;
  key_pairs: KeyPairsTable;
  quotas: QuotasTable;
  project_user_quotas: ProjectUserQuotasTable;
  quota_classes: QuotaClassesTable;
  aggregates: AggregatesTable;
  aggregate_hosts: AggregateHostsTable;
  aggregate_metadata: AggregateMetadataTable;
  instance_groups: InstanceGroupsTable;
  instance_group_policy: InstanceGroupPolicyTable;
  instance_group_member: InstanceGroupMemberTable;
  request_specs: RequestSpecsTable;
  build_requests: BuildRequestsTable;
}
