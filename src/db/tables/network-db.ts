// Kysely types of the network database (what migrations/network creates).
import type { ColumnType } from 'kysely';
import type { DbBool, DbTime, DefaultInt } from './column-types.ts';

type DefaultStr = ColumnType<string, string | undefined, string>;
type DefaultBool = ColumnType<boolean | number, boolean | undefined, boolean>;

interface Standard {
  created_at: DbTime;
  updated_at: DbTime;
  revision_number: DefaultInt;
}

export interface NetworksTable extends Standard {
  id: string;
  project_id: string;
  name: DefaultStr;
  description: DefaultStr;
  status: string;
  admin_state_up: DbBool;
  shared: DbBool;
  external: DbBool;
  is_default: DefaultBool;
  mtu: number;
  port_security_enabled: DbBool;
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
}

export interface SubnetsTable extends Standard {
  id: string;
  project_id: string;
  network_id: string;
  name: DefaultStr;
  description: DefaultStr;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: DbBool;
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  /** JSON [{start, end}]. */
  allocation_pools: string;
  /** JSON [string]. */
  dns_nameservers: string;
  /** JSON [{destination, nexthop}]. */
  host_routes: string;
}

export interface PortsTable extends Standard {
  id: string;
  project_id: string;
  network_id: string;
  name: DefaultStr;
  description: DefaultStr;
  mac_address: string;
  admin_state_up: DbBool;
  status: string;
  device_id: DefaultStr;
  device_owner: DefaultStr;
  port_security_enabled: DbBool;
  binding_host_id: DefaultStr;
  binding_vnic_type: DefaultStr;
  binding_vif_type: DefaultStr;
  /** JSON object. */
  binding_vif_details: string;
  /** JSON object. */
  binding_profile: string;
  /** JSON [{ip_address, mac_address}]. */
  allowed_address_pairs: string;
}

export interface IpAllocationsTable {
  port_id: string;
  ip_address: string;
  subnet_id: string;
  network_id: string;
  /** Order of the address in the port's fixed_ips. */
  seq: DefaultInt;
}

export interface SecurityGroupsTable extends Standard {
  id: string;
  project_id: string;
  name: DefaultStr;
  description: DefaultStr;
  stateful: DefaultBool;
}

export interface DefaultSecurityGroupsTable {
  project_id: string;
  security_group_id: string;
}

export interface SecurityGroupRulesTable extends Standard {
  id: string;
  project_id: string;
  security_group_id: string;
  remote_group_id: string | null;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  description: DefaultStr;
}

export interface PortSecurityGroupsTable {
  port_id: string;
  security_group_id: string;
}

export interface RoutersTable extends Standard {
  id: string;
  project_id: string;
  name: DefaultStr;
  description: DefaultStr;
  status: string;
  admin_state_up: DbBool;
  gw_port_id: string | null;
  enable_snat: DefaultBool;
  /** JSON [{destination, nexthop}]. */
  routes: string;
}

export interface FloatingIpsTable extends Standard {
  id: string;
  project_id: string;
  description: DefaultStr;
  floating_network_id: string;
  floating_ip_address: string;
  floating_port_id: string;
  fixed_port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
  status: string;
}

export interface QuotasTable {
  project_id: string;
  resource: string;
  hard_limit: number;
}

export interface AutoAllocatedTopologiesTable {
  project_id: string;
  network_id: string;
  router_id: string | null;
}

export interface NetworkDb {
  networks: NetworksTable;
  subnets: SubnetsTable;
  ports: PortsTable;
  ip_allocations: IpAllocationsTable;
  security_groups: SecurityGroupsTable;
  default_security_groups: DefaultSecurityGroupsTable;
  security_group_rules: SecurityGroupRulesTable;
  port_security_groups: PortSecurityGroupsTable;
  routers: RoutersTable;
  floatingips: FloatingIpsTable;
  quotas: QuotasTable;
  auto_allocated_topologies: AutoAllocatedTopologiesTable;
}
