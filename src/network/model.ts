// The network service's records as the repositories return them (frozen, engine-neutral values).

export interface Standard {
  readonly id: string;
  readonly project_id: string;
  readonly created_at: string | null;
  readonly updated_at: string | null;
  readonly revision_number: number;
}

export interface Network extends Standard {
  readonly name: string;
  readonly description: string;
  readonly status: string;
  readonly admin_state_up: boolean;
  readonly shared: boolean;
  readonly external: boolean;
  readonly is_default: boolean;
  readonly mtu: number;
  readonly port_security_enabled: boolean;
  readonly network_type: string;
  readonly physical_network: string | null;
  readonly segmentation_id: number | null;
  readonly subnets: readonly string[];
}

export interface PoolRange {
  readonly start: string;
  readonly end: string;
}

export interface HostRoute {
  readonly destination: string;
  readonly nexthop: string;
}

export interface Subnet extends Standard {
  readonly network_id: string;
  readonly name: string;
  readonly description: string;
  readonly ip_version: 4 | 6;
  readonly cidr: string;
  readonly gateway_ip: string | null;
  readonly enable_dhcp: boolean;
  readonly ipv6_ra_mode: string | null;
  readonly ipv6_address_mode: string | null;
  readonly allocation_pools: readonly PoolRange[];
  readonly dns_nameservers: readonly string[];
  readonly host_routes: readonly HostRoute[];
}

export interface FixedIp {
  readonly subnet_id: string;
  readonly ip_address: string;
}

export interface AddressPair {
  readonly ip_address: string;
  readonly mac_address: string;
}

export interface Port extends Standard {
  readonly network_id: string;
  readonly name: string;
  readonly description: string;
  readonly mac_address: string;
  readonly admin_state_up: boolean;
  readonly status: string;
  readonly device_id: string;
  readonly device_owner: string;
  readonly port_security_enabled: boolean;
  readonly binding_host_id: string;
  readonly binding_vnic_type: string;
  readonly binding_vif_type: string;
  readonly binding_vif_details: Readonly<Record<string, unknown>>;
  readonly binding_profile: Readonly<Record<string, unknown>>;
  readonly allowed_address_pairs: readonly AddressPair[];
  readonly fixed_ips: readonly FixedIp[];
  readonly security_groups: readonly string[];
}

export interface SecurityGroupRule extends Standard {
  readonly security_group_id: string;
  readonly remote_group_id: string | null;
  readonly direction: string;
  readonly ethertype: string;
  readonly protocol: string | null;
  readonly port_range_min: number | null;
  readonly port_range_max: number | null;
  readonly remote_ip_prefix: string | null;
  readonly description: string;
}

export interface SecurityGroup extends Standard {
  readonly name: string;
  readonly description: string;
  readonly stateful: boolean;
  readonly rules: readonly SecurityGroupRule[];
}

export interface Router extends Standard {
  readonly name: string;
  readonly description: string;
  readonly status: string;
  readonly admin_state_up: boolean;
  readonly gw_port_id: string | null;
  readonly enable_snat: boolean;
  readonly routes: readonly HostRoute[];
}

export interface FloatingIp extends Standard {
  readonly description: string;
  readonly floating_network_id: string;
  readonly floating_ip_address: string;
  readonly floating_port_id: string;
  readonly fixed_port_id: string | null;
  readonly fixed_ip_address: string | null;
  readonly router_id: string | null;
  readonly status: string;
}

/** Device owners of the ports the service makes for itself. */
export const OWNER_ROUTER_INTERFACE = 'network:router_interface';
export const OWNER_ROUTER_GATEWAY = 'network:router_gateway';
export const OWNER_FLOATINGIP = 'network:floatingip';
export const isNetworkOwned = (owner: string) => owner.startsWith('network:');
