// /v2.0/routers: create (with external_gateway_info), list, show, update (gateway set/clear),
// delete (refused while interfaces remain), add_router_interface / remove_router_interface.
import type { FastifyInstance } from 'fastify';
import { newUuid } from '../../common/ids.ts';
import type { PolicyTarget } from '../../policy/types.ts';
import { type AttrMap, bool, dict, list, OWNED, parseBody, uuid, type Validator } from '../attrs.ts';
import { authorize, type Caller, callerOf, type NetCtx, owningProject, targetOf } from '../context.ts';
import { invalidAttr, routerInUse, routerNotFound } from '../faults.ts';
import type { Router } from '../model.ts';
import { deletePortRow } from '../repo/ports.ts';
import { checkQuota } from '../repo/quotas.ts';
import { deleteRouterRow, findRouter, insertRouter, listRouters, updateRouter } from '../repo/routers.ts';
import {
  addInterface,
  badRouter,
  type GatewayRequest,
  gatewayOf,
  interfacesOf,
  removeInterface,
  setGateway,
} from '../router-service.ts';
import { routerView } from '../views.ts';
import { type IdParams, listBody, showFields } from './common.ts';
import { visiblePort } from './ports.ts';
import { visibleSubnet } from './subnets.ts';

const gatewayInfo: Validator = (v, a) => {
  if (v === null) return null;
  const o = dict(v, a) as Record<string, unknown>;
  // An empty object clears the gateway, as null does (what `openstack router unset` sends).
  if (Object.keys(o).length === 0) return null;
  const extra = Object.keys(o).filter(
    (k) => !['network_id', 'enable_snat', 'external_fixed_ips'].includes(k),
  );
  if (extra.length > 0) throw invalidAttr(a, `Unexpected keys supplied: ${extra.join(', ')}`);
  if (o.network_id === undefined)
    throw invalidAttr(a, "Validation of dictionary's keys failed. Expected keys: {'network_id'}");
  return {
    network_id: uuid()(o.network_id, a),
    ...(o.enable_snat !== undefined ? { enable_snat: bool(o.enable_snat, a) } : {}),
    ...(o.external_fixed_ips !== undefined
      ? { external_fixed_ips: list(dict)(o.external_fixed_ips, a) }
      : {}),
  };
};

const ATTRS: AttrMap = Object.freeze({
  ...OWNED,
  admin_state_up: { post: true, put: true, validate: bool },
  status: { post: false, put: false },
  external_gateway_info: { post: true, put: true, validate: gatewayInfo },
  routes: { post: false, put: true, validate: list(dict) },
  distributed: { post: true, put: true, validate: bool },
  ha: { post: true, put: true, validate: bool },
  availability_zone_hints: { post: true, put: false, validate: list() },
  flavor_id: { post: false, put: false },
});

async function visibleRouter(ctx: NetCtx, caller: Caller, id: string): Promise<Router> {
  const r = await findRouter(ctx.db, id);
  if (!r || (!caller.admin && r.project_id !== caller.project)) throw routerNotFound(id);
  return r;
}

async function view(ctx: NetCtx, r: Router) {
  return routerView(r, await gatewayOf(ctx, r));
}

function authorizeGateway(
  ctx: NetCtx,
  caller: Caller,
  action: string,
  gw: GatewayRequest | null | undefined,
  target: PolicyTarget,
) {
  if (!gw) return;
  if (gw.enable_snat !== undefined)
    authorize(ctx, caller, `${action}:external_gateway_info:enable_snat`, target);
  if (gw.external_fixed_ips !== undefined)
    authorize(ctx, caller, `${action}:external_gateway_info:external_fixed_ips`, target);
}

async function create(ctx: NetCtx, caller: Caller, body: Record<string, unknown>): Promise<Router> {
  const project = owningProject(caller, body);
  authorize(ctx, caller, 'create_router', targetOf(project));
  const gw = body.external_gateway_info as GatewayRequest | null | undefined;
  authorizeGateway(ctx, caller, 'create_router', gw, targetOf(project));
  if (body.distributed === true || body.ha === true)
    throw badRouter('Distributed and HA routers are not supported');
  await checkQuota(ctx.db, 'router', project);
  const id = newUuid();
  await insertRouter(
    ctx.db,
    {
      id,
      project_id: project,
      name: (body.name as string) ?? '',
      description: (body.description as string) ?? '',
      admin_state_up: (body.admin_state_up as boolean) ?? true,
    },
    ctx.clock.now(),
  );
  const r = (await findRouter(ctx.db, id)) as Router;
  if (!gw) return r;
  try {
    return await setGateway(ctx, r, gw);
  } catch (err) {
    await deleteRouterRow(ctx.db, id);
    throw err;
  }
}

async function update(ctx: NetCtx, caller: Caller, id: string, body: Record<string, unknown>) {
  let r = await visibleRouter(ctx, caller, id);
  authorize(ctx, caller, 'update_router', targetOf(r.project_id), () => routerNotFound(id));
  const gw = body.external_gateway_info as GatewayRequest | null | undefined;
  authorizeGateway(ctx, caller, 'update_router', gw, targetOf(r.project_id));
  if (gw !== undefined) r = await setGateway(ctx, r, gw);
  const changes = {
    ...(body.name !== undefined ? { name: body.name as string } : {}),
    ...(body.description !== undefined ? { description: body.description as string } : {}),
    ...(body.admin_state_up !== undefined ? { admin_state_up: body.admin_state_up as boolean } : {}),
    ...(body.routes !== undefined
      ? { routes: body.routes as { destination: string; nexthop: string }[] }
      : {}),
  };
  if (Object.keys(changes).length > 0) await updateRouter(ctx.db, r, changes, ctx.clock.now());
  return (await findRouter(ctx.db, id)) as Router;
}

function interfaceBody(body: unknown): { subnet_id?: string; port_id?: string } {
  const o = (body ?? {}) as Record<string, unknown>;
  const subnet = o.subnet_id as string | undefined;
  const port = o.port_id as string | undefined;
  if (subnet === undefined && port === undefined)
    throw badRouter('Either subnet_id or port_id must be specified');
  return {
    ...(subnet !== undefined ? { subnet_id: subnet } : {}),
    ...(port !== undefined ? { port_id: port } : {}),
  };
}

export function registerRouterRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.post('/v2.0/routers', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const r = await create(ctx, caller, parseBody(req.body, 'router', ATTRS, 'post'));
    return reply.code(201).send({ router: await view(ctx, r) });
  });

  app.get('/v2.0/routers', async (req) => {
    const caller = callerOf(ctx, req);
    const all = await listRouters(ctx.db, caller.admin ? undefined : caller.project);
    const views = [];
    for (const r of all) views.push(await view(ctx, r));
    return listBody(req, 'routers', views, routerNotFound);
  });

  app.get<IdParams>('/v2.0/routers/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const r = await visibleRouter(ctx, caller, req.params.id);
    authorize(ctx, caller, 'get_router', targetOf(r.project_id), () => routerNotFound(r.id));
    return { router: showFields(req, await view(ctx, r)) };
  });

  app.put<IdParams>('/v2.0/routers/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const r = await update(ctx, caller, req.params.id, parseBody(req.body, 'router', ATTRS, 'put'));
    return { router: await view(ctx, r) };
  });

  app.delete<IdParams>('/v2.0/routers/:id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const r = await visibleRouter(ctx, caller, req.params.id);
    authorize(ctx, caller, 'delete_router', targetOf(r.project_id), () => routerNotFound(r.id));
    if ((await interfacesOf(ctx, r.id)).length > 0) throw routerInUse(r.id);
    const fresh = await setGateway(ctx, r, null);
    if (fresh.gw_port_id) await deletePortRow(ctx.db, fresh.gw_port_id);
    await deleteRouterRow(ctx.db, r.id);
    return reply.code(204).send();
  });

  app.put<IdParams>('/v2.0/routers/:id/add_router_interface', async (req) => {
    const caller = callerOf(ctx, req);
    const r = await visibleRouter(ctx, caller, req.params.id);
    authorize(ctx, caller, 'add_router_interface', targetOf(r.project_id), () => routerNotFound(r.id));
    const by = interfaceBody(req.body);
    if (by.subnet_id !== undefined && by.port_id !== undefined)
      throw badRouter('Cannot specify both subnet-id and port-id');
    if (by.port_id !== undefined) {
      const { port } = await visiblePort(ctx, caller, by.port_id);
      return addInterface(ctx, r, { port });
    }
    const found = await visibleSubnet(ctx, caller, by.subnet_id as string);
    return addInterface(ctx, r, { subnet: { subnet: found.subnet, network: found.network! } });
  });

  app.put<IdParams>('/v2.0/routers/:id/remove_router_interface', async (req) => {
    const caller = callerOf(ctx, req);
    const r = await visibleRouter(ctx, caller, req.params.id);
    authorize(ctx, caller, 'remove_router_interface', targetOf(r.project_id), () => routerNotFound(r.id));
    return removeInterface(ctx, r, interfaceBody(req.body));
  });
}
