// Records → Neutron's JSON, with tenant_id beside project_id and the attributes of the extensions
// the service lists. Attributes policy hides from the caller (provider:*, binding:*) are removed
// by the routes, not here.
import type { FloatingIp, Network, Port, Router, SecurityGroup, SecurityGroupRule, Subnet } from './model.ts';

type View = Record<string, unknown>;

const standard = (r: {
  id: string;
  project_id: string;
  created_at: string | null;
  updated_at: string | null;
  revision_number: number;
}) => ({
  id: r.id,
  tenant_id: r.project_id,
  project_id: r.project_id,
  created_at: r.created_at,
  updated_at: r.updated_at,
  revision_number: r.revision_number,
  tags: [] as string[],
});

export const networkView = (n: Network): View => ({
  ...standard(n),
  name: n.name,
  description: n.description,
  admin_state_up: n.admin_state_up,
  status: n.status,
  subnets: [...n.subnets],
  shared: n.shared,
  'router:external': n.external,
  is_default: n.is_default,
  mtu: n.mtu,
  port_security_enabled: n.port_security_enabled,
  availability_zone_hints: [],
  availability_zones: ['nova'],
  ipv4_address_scope: null,
  ipv6_address_scope: null,
  l2_adjacency: true,
  'provider:network_type': n.network_type,
  'provider:physical_network': n.physical_network,
  'provider:segmentation_id': n.segmentation_id,
});

export const subnetView = (s: Subnet): View => ({
  ...standard(s),
  name: s.name,
  description: s.description,
  network_id: s.network_id,
  ip_version: s.ip_version,
  cidr: s.cidr,
  gateway_ip: s.gateway_ip,
  enable_dhcp: s.enable_dhcp,
  ipv6_ra_mode: s.ipv6_ra_mode,
  ipv6_address_mode: s.ipv6_address_mode,
  allocation_pools: s.allocation_pools.map((p) => ({ ...p })),
  dns_nameservers: [...s.dns_nameservers],
  host_routes: s.host_routes.map((r) => ({ ...r })),
  subnetpool_id: null,
  service_types: [],
  segment_id: null,
});

export const portView = (p: Port): View => ({
  ...standard(p),
  name: p.name,
  description: p.description,
  network_id: p.network_id,
  mac_address: p.mac_address,
  admin_state_up: p.admin_state_up,
  status: p.status,
  device_id: p.device_id,
  device_owner: p.device_owner,
  fixed_ips: p.fixed_ips.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
  allowed_address_pairs: p.allowed_address_pairs.map((a) => ({ ...a })),
  extra_dhcp_opts: [],
  security_groups: [...p.security_groups],
  port_security_enabled: p.port_security_enabled,
  ip_allocation: 'immediate',
  'binding:host_id': p.binding_host_id,
  'binding:vnic_type': p.binding_vnic_type,
  'binding:vif_type': p.binding_vif_type,
  'binding:vif_details': { ...p.binding_vif_details },
  'binding:profile': { ...p.binding_profile },
});

export const ruleView = (r: SecurityGroupRule): View => {
  const { tags: _tags, ...rest } = standard(r);
  return {
    ...rest,
    security_group_id: r.security_group_id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    port_range_min: r.port_range_min,
    port_range_max: r.port_range_max,
    remote_ip_prefix: r.remote_ip_prefix,
    normalized_cidr: r.remote_ip_prefix,
    remote_group_id: r.remote_group_id,
    remote_address_group_id: null,
    description: r.description,
  };
};

export const securityGroupView = (g: SecurityGroup): View => ({
  ...standard(g),
  name: g.name,
  description: g.description,
  stateful: g.stateful,
  shared: false,
  security_group_rules: g.rules.map(ruleView),
});

export interface GatewayInfo {
  readonly network_id: string;
  readonly enable_snat: boolean;
  readonly external_fixed_ips: readonly { subnet_id: string; ip_address: string }[];
}

export const routerView = (r: Router, gw: GatewayInfo | null): View => ({
  ...standard(r),
  name: r.name,
  description: r.description,
  admin_state_up: r.admin_state_up,
  status: r.status,
  external_gateway_info: gw
    ? {
        network_id: gw.network_id,
        enable_snat: gw.enable_snat,
        external_fixed_ips: gw.external_fixed_ips.map((f) => ({ ...f })),
      }
    : null,
  routes: r.routes.map((x) => ({ ...x })),
  distributed: false,
  ha: false,
  flavor_id: null,
  availability_zone_hints: [],
  availability_zones: ['nova'],
});

export const floatingIpView = (f: FloatingIp): View => ({
  ...standard(f),
  description: f.description,
  floating_network_id: f.floating_network_id,
  floating_ip_address: f.floating_ip_address,
  router_id: f.router_id,
  port_id: f.fixed_port_id,
  fixed_ip_address: f.fixed_ip_address,
  status: f.status,
  port_forwardings: [],
});
