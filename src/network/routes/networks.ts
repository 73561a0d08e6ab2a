// /v2.0/networks: create, list, show, update, delete (with the provider, external-net,
// port-security, net-mtu and auto-allocated-topology's is_default attributes).
import type { FastifyInstance } from 'fastify';
import { newUuid } from '../../common/ids.ts';
import type { PolicyTarget } from '../../policy/types.ts';
import { type AttrMap, bool, int, list, OWNED, oneOf, parseBody, str } from '../attrs.ts';
import { authorize, type Caller, callerOf, type NetCtx, owningProject, targetOf } from '../context.ts';
import { conflict, invalidInput, networkInUse, networkNotFound } from '../faults.ts';
import type { Network } from '../model.ts';
import {
  createNetwork,
  deleteNetwork,
  findNetwork,
  listNetworks,
  segmentTaken,
  updateNetwork,
} from '../repo/networks.ts';
import { countPortsOn, portsWhere } from '../repo/ports.ts';
import { checkQuota } from '../repo/quotas.ts';
import { networkView } from '../views.ts';
import { type IdParams, listBody, redact, showFields } from './common.ts';

const PROVIDER = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'];
const TYPES = ['local', 'flat', 'vlan', 'vxlan', 'geneve', 'gre'];

const ATTRS: AttrMap = Object.freeze({
  ...OWNED,
  admin_state_up: { post: true, put: true, validate: bool },
  status: { post: false, put: false },
  subnets: { post: false, put: false },
  shared: { post: true, put: true, validate: bool },
  'router:external': { post: true, put: true, validate: bool },
  is_default: { post: true, put: true, validate: bool },
  mtu: { post: true, put: true, validate: int(68, 65535) },
  port_security_enabled: { post: true, put: true, validate: bool },
  availability_zone_hints: { post: true, put: false, validate: list(str(255)) },
  'provider:network_type': { post: true, put: false, validate: oneOf(TYPES) },
  'provider:physical_network': { post: true, put: false, validate: str(64, true) },
  'provider:segmentation_id': { post: true, put: false, validate: int(0, 16777215, true) },
});

/** Network targets for policy: the owner, and network:* keys for the subnet/port rules. */
export const networkTarget = (n: Network) =>
  targetOf(n.project_id, {
    'network:project_id': n.project_id,
    'network:tenant_id': n.project_id,
    'network:shared': n.shared,
    'network:router:external': n.external,
  });

/** The network when the caller may see it (admin, owner, shared, external); 404 otherwise. */
export async function visibleNetwork(ctx: NetCtx, caller: Caller, id: string): Promise<Network> {
  const n = await findNetwork(ctx.db, id);
  if (!n) throw networkNotFound(id);
  if (!caller.admin && n.project_id !== caller.project && !n.shared && !n.external) throw networkNotFound(id);
  return n;
}

async function checkProvider(ctx: NetCtx, body: Record<string, unknown>) {
  const type = (body['provider:network_type'] as string | undefined) ?? 'local';
  const physnet = (body['provider:physical_network'] as string | null | undefined) ?? null;
  const segment = (body['provider:segmentation_id'] as number | null | undefined) ?? null;
  if ((type === 'flat' || type === 'vlan') && !physnet)
    throw invalidInput(`physical_network required for ${type} provider network`);
  if ((type === 'flat' || type === 'local') && segment !== null)
    throw invalidInput(`segmentation_id specified for ${type} provider network`);
  if (type === 'local' && physnet !== null)
    throw invalidInput('physical_network specified for local provider network');
  if (type === 'vlan' && (segment === null || segment < 1 || segment > 4094))
    throw invalidInput('segmentation_id out of range (1 through 4094)');
  if (type === 'flat' && (await segmentTaken(ctx.db, 'flat', physnet, null)))
    throw conflict(
      'FlatNetworkInUse',
      `Unable to create the flat network. Physical network ${physnet} is in use.`,
    );
  if (segment !== null && (await segmentTaken(ctx.db, type, physnet, segment)))
    throw conflict(
      'SegmentationIdInUse',
      `Unable to create the network. The segmentation ID ${segment} is in use.`,
    );
  return { network_type: type, physical_network: physnet, segmentation_id: segment };
}

async function checkDefault(ctx: NetCtx, id: string, isDefault: boolean | undefined) {
  if (!isDefault) return;
  const others = (await listNetworks(ctx.db, undefined)).filter((n) => n.is_default && n.id !== id);
  if (others.length > 0)
    throw conflict(
      'DefaultExternalNetworkExists',
      `Unable to set network ${id} as default external network. Network ${others[0].id} is already the default`,
    );
}

function authorizeAttrs(
  ctx: NetCtx,
  caller: Caller,
  action: string,
  body: Record<string, unknown>,
  target: PolicyTarget,
) {
  for (const a of ['shared', 'router:external', 'is_default', ...PROVIDER])
    if (a in body) authorize(ctx, caller, `${action}:${a}`, target);
}

async function create(ctx: NetCtx, caller: Caller, body: Record<string, unknown>): Promise<Network> {
  const project = owningProject(caller, body);
  const target = targetOf(project);
  authorize(ctx, caller, 'create_network', target);
  authorizeAttrs(ctx, caller, 'create_network', body, target);
  const provider = await checkProvider(ctx, body);
  const id = newUuid();
  await checkDefault(ctx, id, body.is_default as boolean | undefined);
  await checkQuota(ctx.db, 'network', project);
  return createNetwork(
    ctx.db,
    {
      id,
      project_id: project,
      name: (body.name as string) ?? '',
      description: (body.description as string) ?? '',
      admin_state_up: (body.admin_state_up as boolean) ?? true,
      shared: (body.shared as boolean) ?? false,
      external: (body['router:external'] as boolean) ?? false,
      is_default: (body.is_default as boolean) ?? false,
      mtu: (body.mtu as number) ?? ctx.mtu,
      port_security_enabled: (body.port_security_enabled as boolean) ?? true,
      ...provider,
    },
    ctx.clock.now(),
  );
}

async function update(ctx: NetCtx, caller: Caller, id: string, body: Record<string, unknown>) {
  const n = await visibleNetwork(ctx, caller, id);
  const target = networkTarget(n);
  authorize(ctx, caller, 'update_network', target, () => networkNotFound(id));
  authorizeAttrs(ctx, caller, 'update_network', body, target);
  if (body.shared === false && n.shared) {
    const foreign = (await portsWhere(ctx.db, { network_id: id })).filter(
      (p) => p.project_id !== n.project_id && p.project_id !== '',
    );
    if (foreign.length > 0)
      throw conflict(
        'InvalidSharedSetting',
        `Unable to reconfigure sharing settings for network ${id}. Multiple tenants are using it.`,
      );
  }
  await checkDefault(ctx, id, body.is_default as boolean | undefined);
  const { 'router:external': external, ...rest } = body;
  return updateNetwork(
    ctx.db,
    id,
    { ...rest, ...(external !== undefined ? { external: external as boolean } : {}) },
    ctx.clock.now(),
  );
}

export function networkViewFor(ctx: NetCtx, caller: Caller, n: Network) {
  return redact(ctx, caller, 'network', networkView(n), PROVIDER, networkTarget(n));
}

export function registerNetworkRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.post('/v2.0/networks', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const n = await create(ctx, caller, parseBody(req.body, 'network', ATTRS, 'post'));
    return reply.code(201).send({ network: networkViewFor(ctx, caller, n) });
  });

  app.get('/v2.0/networks', async (req) => {
    const caller = callerOf(ctx, req);
    const all = await listNetworks(ctx.db, caller.admin ? undefined : caller.project);
    const views = all
      .filter((n) => ctx.enforcer.enforce('get_network', networkTarget(n), caller.auth))
      .map((n) => networkViewFor(ctx, caller, n));
    return listBody(req, 'networks', views, networkNotFound);
  });

  app.get<IdParams>('/v2.0/networks/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const n = await visibleNetwork(ctx, caller, req.params.id);
    authorize(ctx, caller, 'get_network', networkTarget(n), () => networkNotFound(n.id));
    return { network: showFields(req, networkViewFor(ctx, caller, n)) };
  });

  app.put<IdParams>('/v2.0/networks/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const n = await update(ctx, caller, req.params.id, parseBody(req.body, 'network', ATTRS, 'put'));
    return { network: networkViewFor(ctx, caller, n) };
  });

  app.delete<IdParams>('/v2.0/networks/:id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const n = await visibleNetwork(ctx, caller, req.params.id);
    authorize(ctx, caller, 'delete_network', networkTarget(n), () => networkNotFound(n.id));
    if ((await countPortsOn(ctx.db, n.id)) > 0) throw networkInUse(n.id);
    await ctx.db.kysely.deleteFrom('auto_allocated_topologies').where('network_id', '=', n.id).execute();
    await deleteNetwork(ctx.db, n.id);
    return reply.code(204).send();
  });
}
