// Neutron's policy rules with their secure-RBAC defaults, as data (rule names as in
// neutron/conf/policies/*.py). Targets (see access.ts) carry project_id/tenant_id of the resource,
// network:tenant_id / network:project_id of its network and network:shared / network:router:external.
// Neutron's `field:networks:shared=True` checks are written as literal checks on the target.
import type { RuleDefault } from '../policy/types.ts';

const ADMIN = 'rule:context_is_admin';
const MEMBER = 'role:member and project_id:%(project_id)s';
const READER = 'role:reader and project_id:%(project_id)s';
const ADMIN_OR_MEMBER = `${ADMIN} or (${MEMBER})`;
const ADMIN_OR_READER = `${ADMIN} or (${READER})`;
const NET_OWNER_MEMBER = 'role:member and project_id:%(network:project_id)s';
const NET_OWNER_READER = 'role:reader and project_id:%(network:project_id)s';
const ADMIN_OR_NET_OWNER = `${ADMIN} or (${NET_OWNER_MEMBER})`;
const SERVICE = 'rule:service_api';
const ADMIN_OR_SERVICE = `${ADMIN} or ${SERVICE}`;

const rule = (name: string, checkStr: string, description: string): RuleDefault =>
  Object.freeze({ name, checkStr, description, scopeTypes: ['project'] as const });

/** The CRUD rules of a resource, plus attribute rules given as [suffix, check]. */
function crud(res: string, checks: { create: string; get: string; update: string; delete: string }) {
  return [
    rule(`create_${res}`, checks.create, `Create a ${res}`),
    rule(`get_${res}`, checks.get, `Get a ${res}`),
    rule(`update_${res}`, checks.update, `Update a ${res}`),
    rule(`delete_${res}`, checks.delete, `Delete a ${res}`),
  ];
}
const attr = (action: string, names: readonly string[], checkStr: string) =>
  names.map((n) => rule(`${action}:${n}`, checkStr, `${action.replace('_', ' ')} with ${n}`));

const PROVIDER = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'];
const BINDING = ['binding:host_id', 'binding:profile', 'binding:vif_type', 'binding:vif_details'];

export const NETWORK_POLICY_DEFAULTS: readonly RuleDefault[] = Object.freeze([
  rule('context_is_admin', 'role:admin', 'Who is an admin.'),
  rule('service_api', 'role:service', 'Service-to-service API (Nova binding ports).'),
  rule('admin_only', ADMIN, 'Admins only.'),
  rule('default', ADMIN, 'The rule of policies without a default of their own.'),
  rule('shared', "'True':%(network:shared)s", 'The network is shared.'),
  rule('external', "'True':%(network:router:external)s", 'The network is external.'),
  rule('network_owner', 'project_id:%(network:project_id)s', 'The caller owns the network.'),
  rule('get_agent', ADMIN, 'Get an agent'),
  ...crud('network', {
    create: ADMIN_OR_MEMBER,
    get: `${ADMIN_OR_READER} or rule:shared or rule:external`,
    update: ADMIN_OR_MEMBER,
    delete: ADMIN_OR_MEMBER,
  }),
  ...attr('create_network', ['shared', 'router:external', 'is_default', ...PROVIDER], ADMIN),
  ...attr('update_network', ['shared', 'router:external', 'is_default', ...PROVIDER], ADMIN),
  ...attr('get_network', PROVIDER, ADMIN),
  ...crud('subnet', {
    create: `${ADMIN_OR_NET_OWNER}`,
    get: `${ADMIN_OR_READER} or rule:shared or (${NET_OWNER_READER})`,
    update: `${ADMIN_OR_NET_OWNER}`,
    delete: `${ADMIN_OR_NET_OWNER}`,
  }),
  ...crud('port', {
    create: `${ADMIN_OR_MEMBER} or ${SERVICE}`,
    get: `${ADMIN_OR_READER} or (${NET_OWNER_READER}) or ${SERVICE}`,
    update: `${ADMIN_OR_MEMBER} or (${NET_OWNER_MEMBER}) or ${SERVICE}`,
    delete: `${ADMIN_OR_MEMBER} or (${NET_OWNER_MEMBER}) or ${SERVICE}`,
  }),
  ...attr(
    'create_port',
    ['mac_address', 'fixed_ips:ip_address', 'port_security_enabled'],
    `${ADMIN_OR_NET_OWNER} or ${SERVICE}`,
  ),
  ...attr('create_port', ['fixed_ips:subnet_id'], `${ADMIN_OR_NET_OWNER} or ${SERVICE} or rule:shared`),
  ...attr('create_port', BINDING, ADMIN_OR_SERVICE),
  ...attr('update_port', ['mac_address'], ADMIN_OR_SERVICE),
  ...attr(
    'update_port',
    ['fixed_ips:ip_address', 'port_security_enabled'],
    `${ADMIN_OR_NET_OWNER} or ${SERVICE}`,
  ),
  ...attr('update_port', BINDING, ADMIN_OR_SERVICE),
  ...attr('get_port', BINDING, ADMIN_OR_SERVICE),
  ...crud('security_group', {
    create: ADMIN_OR_MEMBER,
    get: ADMIN_OR_READER,
    update: ADMIN_OR_MEMBER,
    delete: ADMIN_OR_MEMBER,
  }),
  ...crud('security_group_rule', {
    create: ADMIN_OR_MEMBER,
    get: ADMIN_OR_READER,
    update: ADMIN_OR_MEMBER,
    delete: ADMIN_OR_MEMBER,
  }),
  ...crud('router', {
    create: ADMIN_OR_MEMBER,
    get: ADMIN_OR_READER,
    update: ADMIN_OR_MEMBER,
    delete: ADMIN_OR_MEMBER,
  }),
  ...attr(
    'create_router',
    ['external_gateway_info:enable_snat', 'external_gateway_info:external_fixed_ips'],
    ADMIN,
  ),
  ...attr(
    'update_router',
    ['external_gateway_info:enable_snat', 'external_gateway_info:external_fixed_ips'],
    ADMIN,
  ),
  rule('add_router_interface', ADMIN_OR_MEMBER, 'Add an interface to a router'),
  rule('remove_router_interface', ADMIN_OR_MEMBER, 'Remove an interface from a router'),
  ...crud('floatingip', {
    create: ADMIN_OR_MEMBER,
    get: ADMIN_OR_READER,
    update: ADMIN_OR_MEMBER,
    delete: ADMIN_OR_MEMBER,
  }),
  rule('create_floatingip:floating_ip_address', ADMIN, 'Create a floating IP with a given address'),
  rule('get_quota', ADMIN_OR_READER, 'Get the quotas of a project'),
  rule('update_quota', ADMIN, 'Update the quotas of a project'),
  rule('delete_quota', ADMIN, 'Reset the quotas of a project to the defaults'),
  rule('get_auto_allocated_topology', ADMIN_OR_MEMBER, "Get a project's auto-allocated topology"),
  rule('delete_auto_allocated_topology', ADMIN_OR_MEMBER, "Delete a project's auto-allocated topology"),
]);
