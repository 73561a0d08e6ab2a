// /v2.0/ports: create (IPAM, MAC, security groups, binding), list, show, update, delete.
import type { FastifyInstance } from 'fastify';
import type { PolicyTarget } from '../../policy/types.ts';
import {
  type AttrMap,
  bool,
  dict,
  list,
  OWNED,
  oneOf,
  parseBody,
  str,
  uuid,
  type Validator,
} from '../attrs.ts';
import { authorize, type Caller, callerOf, type NetCtx, owningProject } from '../context.ts';
import {
  badRequest,
  conflict,
  invalidAttr,
  NeutronFault,
  portNotFound,
  securityGroupNotFound,
} from '../faults.ts';
import { canonicalIp, parseCidr } from '../ip.ts';
import type { IpRequest } from '../ipam.ts';
import {
  type AddressPair,
  type Network,
  OWNER_FLOATINGIP,
  OWNER_ROUTER_GATEWAY,
  OWNER_ROUTER_INTERFACE,
  type Port,
} from '../model.ts';
import { portEvent } from '../nova-notifier.ts';
import { changePort, createPort, type PortUpdate } from '../port-service.ts';
import { findNetwork } from '../repo/networks.ts';
import { deletePortRow, findPort, listPorts } from '../repo/ports.ts';
import { findGroup } from '../repo/security-groups.ts';
import { portView } from '../views.ts';
import { type IdParams, listBody, redact, showFields } from './common.ts';
import { networkTarget, visibleNetwork } from './networks.ts';

const BINDING = ['binding:host_id', 'binding:profile', 'binding:vif_type', 'binding:vif_details'];
const VNIC_TYPES = [
  'normal',
  'direct',
  'macvtap',
  'baremetal',
  'direct-physical',
  'virtio-forwarder',
  'smart-nic',
  'vdpa',
  'remote-managed',
];
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

const mac: Validator = (v, a) => {
  if (
    typeof v !== 'string' ||
    !MAC_RE.test(v) ||
    v === '00:00:00:00:00:00' ||
    (Number.parseInt(v.slice(0, 2), 16) & 1) === 1
  )
    throw invalidAttr(a, `'${String(v)}' is not a valid MAC address`);
  return v.toLowerCase();
};

const fixedIps: Validator = (v, a) =>
  (list()(v, a) as unknown[]).map((f) => {
    const o = dict(f, a) as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => k !== 'subnet_id' && k !== 'ip_address');
    if (extra.length > 0) throw invalidAttr(a, `Unrecognized attribute(s) '${extra.join(', ')}'`);
    const out: { subnet_id?: string; ip_address?: string } = {};
    if (o.subnet_id !== undefined) out.subnet_id = uuid()(o.subnet_id, a) as string;
    if (o.ip_address !== undefined) {
      const ip = typeof o.ip_address === 'string' ? canonicalIp(o.ip_address) : undefined;
      if (!ip) throw invalidAttr(a, `'${String(o.ip_address)}' is not a valid IP address`);
      out.ip_address = ip;
    }
    if (out.subnet_id === undefined && out.ip_address === undefined)
      throw invalidAttr(a, 'Exactly one of subnet_id or ip_address is required');
    return out;
  });

const addressPairs: Validator = (v, a) =>
  (list()(v, a) as unknown[]).map((p) => {
    const o = dict(p, a) as Record<string, unknown>;
    const ip = o.ip_address;
    if (typeof ip !== 'string' || !(canonicalIp(ip) || parseCidr(ip, true)))
      throw invalidAttr(a, `'${String(ip)}' is not a valid IP address`);
    return {
      ip_address: ip,
      ...(o.mac_address !== undefined ? { mac_address: mac(o.mac_address, a) as string } : {}),
    };
  });

const ATTRS: AttrMap = Object.freeze({
  ...OWNED,
  network_id: { post: true, put: false, validate: uuid() },
  admin_state_up: { post: true, put: true, validate: bool },
  mac_address: { post: true, put: true, validate: mac },
  fixed_ips: { post: true, put: true, validate: fixedIps },
  device_id: { post: true, put: true, validate: str(255) },
  device_owner: { post: true, put: true, validate: str(255) },
  status: { post: false, put: false },
  security_groups: { post: true, put: true, validate: list(uuid()) },
  port_security_enabled: { post: true, put: true, validate: bool },
  allowed_address_pairs: { post: true, put: true, validate: addressPairs },
  extra_dhcp_opts: { post: true, put: true, validate: list() },
  ip_allocation: { post: false, put: false },
  'binding:host_id': { post: true, put: true, validate: str(255) },
  'binding:vnic_type': { post: true, put: true, validate: oneOf(VNIC_TYPES) },
  'binding:profile': { post: true, put: true, validate: dict },
  'binding:vif_type': { post: false, put: false },
  'binding:vif_details': { post: false, put: false },
});

export const portTarget = (p: Port, n: Network | undefined) =>
  n
    ? { ...networkTarget(n), project_id: p.project_id, tenant_id: p.project_id, device_owner: p.device_owner }
    : { project_id: p.project_id, tenant_id: p.project_id, device_owner: p.device_owner };

/** The port when the caller may see it (admin, owner, owner of its network); 404 otherwise. */
export async function visiblePort(ctx: NetCtx, caller: Caller, id: string) {
  const port = await findPort(ctx.db, id);
  if (!port) throw portNotFound(id);
  const network = await findNetwork(ctx.db, port.network_id);
  if (
    !caller.admin &&
    !caller.service &&
    port.project_id !== caller.project &&
    network?.project_id !== caller.project
  )
    throw portNotFound(id);
  return { port, network };
}

/** The groups exist and the port's project may use them. */
async function checkGroups(ctx: NetCtx, caller: Caller, project: string, ids: readonly string[] | undefined) {
  for (const id of ids ?? []) {
    const g = await findGroup(ctx.db, id);
    if (!g || (g.project_id !== project && !caller.admin)) throw securityGroupNotFound(id);
  }
}

function authorizeAttrs(
  ctx: NetCtx,
  caller: Caller,
  action: string,
  body: Record<string, unknown>,
  target: PolicyTarget,
) {
  for (const a of ['mac_address', 'port_security_enabled', 'binding:host_id', 'binding:profile'])
    if (a in body) authorize(ctx, caller, `${action}:${a}`, target);
  const fixed = (body.fixed_ips as IpRequest[] | undefined) ?? [];
  if (fixed.some((f) => f.ip_address !== undefined))
    authorize(ctx, caller, `${action}:fixed_ips:ip_address`, target);
  if (action === 'create_port' && fixed.some((f) => f.subnet_id !== undefined))
    authorize(ctx, caller, `${action}:fixed_ips:subnet_id`, target);
}

async function create(ctx: NetCtx, caller: Caller, body: Record<string, unknown>): Promise<Port> {
  if (body.network_id === undefined)
    throw badRequest("Failed to parse request. Required attribute 'network_id' not specified");
  const network = await visibleNetwork(ctx, caller, body.network_id as string);
  const project = owningProject(caller, body);
  const target = { ...networkTarget(network), project_id: project, tenant_id: project };
  authorize(ctx, caller, 'create_port', target);
  if (!caller.admin && !network.shared && network.project_id !== project && !caller.service)
    throw new NeutronFault(
      'NotAuthorized',
      403,
      `Tenant ${project} not allowed to create port on this network`,
    );
  authorizeAttrs(ctx, caller, 'create_port', body, target);
  await checkGroups(ctx, caller, project, body.security_groups as string[] | undefined);
  return createPort(ctx, {
    project_id: project,
    network,
    name: body.name as string | undefined,
    description: body.description as string | undefined,
    admin_state_up: body.admin_state_up as boolean | undefined,
    mac_address: body.mac_address as string | undefined,
    fixed_ips: body.fixed_ips as IpRequest[] | undefined,
    device_id: body.device_id as string | undefined,
    device_owner: body.device_owner as string | undefined,
    security_groups: body.security_groups as string[] | undefined,
    port_security_enabled: body.port_security_enabled as boolean | undefined,
    allowed_address_pairs: body.allowed_address_pairs as AddressPair[] | undefined,
    binding_host_id: body['binding:host_id'] as string | undefined,
    binding_vnic_type: body['binding:vnic_type'] as string | undefined,
    binding_profile: body['binding:profile'] as Record<string, unknown> | undefined,
  });
}

async function update(ctx: NetCtx, caller: Caller, id: string, body: Record<string, unknown>) {
  const { port, network } = await visiblePort(ctx, caller, id);
  if (!network) throw portNotFound(id);
  const target = portTarget(port, network);
  authorize(ctx, caller, 'update_port', target, () => portNotFound(id));
  authorizeAttrs(ctx, caller, 'update_port', body, target);
  await checkGroups(ctx, caller, port.project_id, body.security_groups as string[] | undefined);
  const map: Record<string, string> = {
    'binding:host_id': 'binding_host_id',
    'binding:vnic_type': 'binding_vnic_type',
    'binding:profile': 'binding_profile',
  };
  const u: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (k !== 'extra_dhcp_opts') u[map[k] ?? k] = v;
  return changePort(ctx, port, network, u as PortUpdate);
}

/** The port's view without the binding attributes the caller may not read. */
export function portViewFor(ctx: NetCtx, caller: Caller, p: Port, n: Network | undefined) {
  return redact(ctx, caller, 'port', portView(p), BINDING, portTarget(p, n));
}

const SERVICE_OWNERS = new Set([OWNER_ROUTER_INTERFACE, OWNER_ROUTER_GATEWAY, OWNER_FLOATINGIP]);

export function registerPortRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.post('/v2.0/ports', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const p = await create(ctx, caller, parseBody(req.body, 'port', ATTRS, 'post'));
    return reply
      .code(201)
      .send({ port: portViewFor(ctx, caller, p, await findNetwork(ctx.db, p.network_id)) });
  });

  app.get('/v2.0/ports', async (req) => {
    const caller = callerOf(ctx, req);
    const ports = await listPorts(ctx.db, caller.admin || caller.service ? undefined : caller.project);
    const nets = new Map<string, Network | undefined>();
    for (const p of ports)
      if (!nets.has(p.network_id)) nets.set(p.network_id, await findNetwork(ctx.db, p.network_id));
    const views = ports.map((p) => portViewFor(ctx, caller, p, nets.get(p.network_id)));
    return listBody(req, 'ports', views, portNotFound);
  });

  app.get<IdParams>('/v2.0/ports/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const { port, network } = await visiblePort(ctx, caller, req.params.id);
    authorize(ctx, caller, 'get_port', portTarget(port, network), () => portNotFound(port.id));
    return { port: showFields(req, portViewFor(ctx, caller, port, network)) };
  });

  app.put<IdParams>('/v2.0/ports/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const body = parseBody(req.body, 'port', ATTRS, 'put');
    const p = await update(ctx, caller, req.params.id, body);
    if (body.fixed_ips !== undefined) ctx.nova?.notify(portEvent(p, 'network-changed'));
    return { port: portViewFor(ctx, caller, p, await findNetwork(ctx.db, p.network_id)) };
  });

  app.delete<IdParams>('/v2.0/ports/:id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const { port, network } = await visiblePort(ctx, caller, req.params.id);
    authorize(ctx, caller, 'delete_port', portTarget(port, network), () => portNotFound(port.id));
    if (SERVICE_OWNERS.has(port.device_owner))
      throw conflict(
        'ServicePortInUse',
        `Port ${port.id} cannot be deleted directly via the port API: has device owner ${port.device_owner}.`,
      );
    await deletePortRow(ctx.db, port.id);
    ctx.nova?.notify(portEvent(port, 'network-vif-deleted'));
    return reply.code(204).send();
  });
}
