// /v2.0/subnets: create (CIDR, gateway, pools, DNS servers, host routes, IPv6 modes), list, show,
// update, delete (refused while ports hold addresses from it).
import type { FastifyInstance } from 'fastify';
import { newUuid } from '../../common/ids.ts';
import { type AttrMap, any, bool, cidr, int, ip, OWNED, oneOf, parseBody, uuid } from '../attrs.ts';
import { authorize, type Caller, callerOf, type NetCtx, owningProject, targetOf } from '../context.ts';
import { badRequest, invalidAttr, invalidInput, subnetInUse, subnetNotFound } from '../faults.ts';
import { parseCidr } from '../ip.ts';
import type { Network, Subnet } from '../model.ts';
import { findNetwork } from '../repo/networks.ts';
import { checkQuota } from '../repo/quotas.ts';
import {
  allocationsIn,
  createSubnet,
  deleteSubnet,
  findSubnet,
  listSubnets,
  subnetsOf,
  updateSubnet,
} from '../repo/subnets.ts';
import {
  checkCidr,
  checkHostRoutes,
  checkNameservers,
  checkOverlap,
  checkPoolShapes,
  gatewayOf,
  poolsOf,
} from '../subnet-checks.ts';
import { subnetView } from '../views.ts';
import { type IdParams, listBody, showFields } from './common.ts';
import { networkTarget, visibleNetwork } from './networks.ts';

const V6_MODES = [null, 'slaac', 'dhcpv6-stateful', 'dhcpv6-stateless'];

const ATTRS: AttrMap = Object.freeze({
  ...OWNED,
  network_id: { post: true, put: false, validate: uuid() },
  ip_version: {
    post: true,
    put: false,
    validate: (v, a) => {
      const n = int(4, 6)(v, a);
      if (n !== 4 && n !== 6) throw invalidAttr(a, `${n} is not in [4, 6]`);
      return n;
    },
  },
  cidr: { post: true, put: false, validate: cidr() },
  gateway_ip: { post: true, put: true, validate: ip(true) },
  enable_dhcp: { post: true, put: true, validate: bool },
  allocation_pools: { post: true, put: true, validate: any },
  dns_nameservers: { post: true, put: true, validate: any },
  host_routes: { post: true, put: true, validate: any },
  ipv6_ra_mode: { post: true, put: false, validate: oneOf(V6_MODES) },
  ipv6_address_mode: { post: true, put: false, validate: oneOf(V6_MODES) },
  subnetpool_id: {
    post: true,
    put: false,
    validate: (v, a) => {
      if (v !== null) throw badRequest(`Invalid input for ${a}. Reason: subnet pools are not supported.`);
      return v;
    },
  },
  prefixlen: { post: true, put: false, validate: int(0, 128) },
  use_default_subnetpool: { post: true, put: false, validate: bool },
  service_types: { post: true, put: true, validate: any },
  segment_id: { post: true, put: false, validate: uuid(true) },
  dns_publish_fixed_ip: { post: true, put: true, validate: bool },
});

export const subnetTarget = (s: Subnet, n: Network | undefined) =>
  n ? { ...networkTarget(n), project_id: s.project_id, tenant_id: s.project_id } : targetOf(s.project_id);

/** The subnet when the caller may see it (admin, owner, or on a network they may use). */
export async function visibleSubnet(ctx: NetCtx, caller: Caller, id: string) {
  const s = await findSubnet(ctx.db, id);
  if (!s) throw subnetNotFound(id);
  const n = await findNetwork(ctx.db, s.network_id);
  const visible =
    caller.admin ||
    s.project_id === caller.project ||
    (n !== undefined && (n.project_id === caller.project || n.shared || n.external));
  if (!visible) throw subnetNotFound(id);
  return { subnet: s, network: n };
}

async function create(ctx: NetCtx, caller: Caller, body: Record<string, unknown>): Promise<Subnet> {
  if (body.network_id === undefined)
    throw badRequest("Failed to parse request. Required attribute 'network_id' not specified");
  if (body.ip_version === undefined)
    throw badRequest("Failed to parse request. Required attribute 'ip_version' not specified");
  if (body.cidr === undefined) throw badRequest('a subnetpool must be specified in the absence of a cidr');
  const network = await visibleNetwork(ctx, caller, body.network_id as string);
  const project = owningProject(caller, body);
  authorize(ctx, caller, 'create_subnet', {
    ...networkTarget(network),
    project_id: project,
    tenant_id: project,
  });
  const version = body.ip_version as 4 | 6;
  const c = checkCidr(body.cidr as string, version);
  if (version === 4 && (body.ipv6_ra_mode || body.ipv6_address_mode))
    throw invalidInput(
      'ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False or ip_version is 4',
    );
  const id = newUuid();
  const gateway = gatewayOf(c, body.gateway_ip as string | null | undefined);
  const pools = poolsOf(
    c,
    gateway,
    body.allocation_pools === undefined ? undefined : checkPoolShapes(body.allocation_pools),
  );
  checkOverlap(c, body.cidr as string, network.id, await subnetsOf(ctx.db, network.id));
  await checkQuota(ctx.db, 'subnet', project);
  return createSubnet(
    ctx.db,
    {
      id,
      project_id: project,
      network_id: network.id,
      name: (body.name as string) ?? '',
      description: (body.description as string) ?? '',
      ip_version: version,
      cidr: body.cidr as string,
      gateway_ip: gateway,
      enable_dhcp: (body.enable_dhcp as boolean) ?? true,
      ipv6_ra_mode: (body.ipv6_ra_mode as string | null) ?? null,
      ipv6_address_mode: (body.ipv6_address_mode as string | null) ?? null,
      allocation_pools: pools,
      dns_nameservers: body.dns_nameservers === undefined ? [] : checkNameservers(body.dns_nameservers),
      host_routes: body.host_routes === undefined ? [] : checkHostRoutes(body.host_routes, version),
    },
    ctx.clock.now(),
  );
}

async function update(ctx: NetCtx, caller: Caller, id: string, body: Record<string, unknown>) {
  const { subnet, network } = await visibleSubnet(ctx, caller, id);
  authorize(ctx, caller, 'update_subnet', subnetTarget(subnet, network), () => subnetNotFound(id));
  const c = parseCidr(subnet.cidr) ?? checkCidr(subnet.cidr, subnet.ip_version);
  const gateway =
    body.gateway_ip === undefined ? subnet.gateway_ip : gatewayOf(c, body.gateway_ip as string | null);
  const pools =
    body.allocation_pools === undefined && body.gateway_ip === undefined
      ? undefined
      : poolsOf(
          c,
          gateway,
          body.allocation_pools === undefined
            ? subnet.allocation_pools
            : checkPoolShapes(body.allocation_pools),
        );
  return updateSubnet(
    ctx.db,
    subnet,
    {
      ...(body.name !== undefined ? { name: body.name as string } : {}),
      ...(body.description !== undefined ? { description: body.description as string } : {}),
      ...(body.enable_dhcp !== undefined ? { enable_dhcp: body.enable_dhcp as boolean } : {}),
      ...(body.gateway_ip !== undefined ? { gateway_ip: gateway } : {}),
      ...(pools ? { allocation_pools: pools } : {}),
      ...(body.dns_nameservers !== undefined
        ? { dns_nameservers: checkNameservers(body.dns_nameservers) }
        : {}),
      ...(body.host_routes !== undefined
        ? { host_routes: checkHostRoutes(body.host_routes, subnet.ip_version) }
        : {}),
    },
    ctx.clock.now(),
  );
}

export function registerSubnetRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.post('/v2.0/subnets', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const s = await create(ctx, caller, parseBody(req.body, 'subnet', ATTRS, 'post'));
    return reply.code(201).send({ subnet: subnetView(s) });
  });

  app.get('/v2.0/subnets', async (req) => {
    const caller = callerOf(ctx, req);
    const all = await listSubnets(ctx.db, caller.admin ? undefined : caller.project);
    return listBody(req, 'subnets', all.map(subnetView), subnetNotFound);
  });

  app.get<IdParams>('/v2.0/subnets/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const { subnet, network } = await visibleSubnet(ctx, caller, req.params.id);
    authorize(ctx, caller, 'get_subnet', subnetTarget(subnet, network), () => subnetNotFound(subnet.id));
    return { subnet: showFields(req, subnetView(subnet)) };
  });

  app.put<IdParams>('/v2.0/subnets/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const s = await update(ctx, caller, req.params.id, parseBody(req.body, 'subnet', ATTRS, 'put'));
    return { subnet: subnetView(s) };
  });

  app.delete<IdParams>('/v2.0/subnets/:id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const { subnet, network } = await visibleSubnet(ctx, caller, req.params.id);
    authorize(ctx, caller, 'delete_subnet', subnetTarget(subnet, network), () => subnetNotFound(subnet.id));
    if ((await allocationsIn(ctx.db, subnet.id)) > 0) throw subnetInUse(subnet.id);
    await deleteSubnet(ctx.db, subnet.id);
    return reply.code(204).send();
  });
}
