// /v2.0/floatingips: create (an address from the external network, optionally associated at once),
// list, show, update (associate with a port / disassociate with port_id null), delete.
import type { FastifyInstance } from 'fastify';
import { newUuid } from '../../common/ids.ts';
import { type AttrMap, ip, OWNED, parseBody, str, uuid } from '../attrs.ts';
import { authorize, type Caller, callerOf, type NetCtx, owningProject, targetOf } from '../context.ts';
import { badRequest, conflict, floatingIpNotFound, NeutronFault, notFound } from '../faults.ts';
import { parseIp } from '../ip.ts';
import { type FloatingIp, OWNER_FLOATINGIP, type Port } from '../model.ts';
import { portEvent } from '../nova-notifier.ts';
import { createPort } from '../port-service.ts';
import { findNetwork } from '../repo/networks.ts';
import { deletePortRow, findPort } from '../repo/ports.ts';
import { checkQuota } from '../repo/quotas.ts';
import {
  type Association,
  deleteFloatingIpRow,
  findFloatingIp,
  insertFloatingIp,
  listFloatingIps,
  updateFloatingIp,
} from '../repo/routers.ts';
import { routerFor } from '../router-service.ts';
import { floatingIpView } from '../views.ts';
import { type IdParams, listBody, showFields } from './common.ts';
import { visiblePort } from './ports.ts';

const ATTRS: AttrMap = Object.freeze({
  ...OWNED,
  name: { post: false, put: false },
  floating_network_id: { post: true, put: false, validate: uuid() },
  floating_ip_address: { post: true, put: false, validate: ip() },
  subnet_id: { post: true, put: false, validate: uuid(true) },
  port_id: { post: true, put: true, validate: uuid(true) },
  fixed_ip_address: { post: true, put: true, validate: ip(true) },
  router_id: { post: false, put: false },
  status: { post: false, put: false },
  dns_domain: { post: false, put: false },
  dns_name: { post: false, put: false },
  qos_policy_id: { post: true, put: true, validate: str(36, true) },
});

const badFip = (msg: string) => new NeutronFault('BadRequest', 400, `Bad floatingip request: ${msg}.`);

async function visibleFip(ctx: NetCtx, caller: Caller, id: string): Promise<FloatingIp> {
  const f = await findFloatingIp(ctx.db, id);
  if (!f || (!caller.admin && f.project_id !== caller.project)) throw floatingIpNotFound(id);
  return f;
}

/** The association for port/fixed IP: the port's address and the router reaching the external network. */
async function associationFor(
  ctx: NetCtx,
  caller: Caller,
  fip: Pick<FloatingIp, 'id' | 'project_id' | 'floating_network_id' | 'floating_ip_address'>,
  portId: string | null,
  fixedIp: string | null | undefined,
): Promise<Association> {
  if (portId === null)
    return { fixed_port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' };
  const { port } = await visiblePort(ctx, caller, portId);
  if (port.project_id !== fip.project_id && !caller.admin)
    throw badFip(
      `Cannot create floating IP and bind it to Port ${port.id}, since that port is owned by a different tenant`,
    );
  const fixed = pickFixed(port, fixedIp);
  const router = await routerFor(ctx, fixed.subnet_id, fip.floating_network_id);
  if (!router)
    throw notFound(
      'ExternalGatewayForFloatingIPNotFound',
      `External network ${fip.floating_network_id} is not reachable from subnet ${fixed.subnet_id}.  Therefore, cannot associate Port ${port.id} with a Floating IP.`,
    );
  const taken = (await listFloatingIps(ctx.db, undefined)).find(
    (o) => o.id !== fip.id && o.fixed_port_id === port.id && o.fixed_ip_address === fixed.ip_address,
  );
  if (taken)
    throw conflict(
      'FloatingIPPortAlreadyAssociated',
      `Cannot associate floating IP ${fip.floating_ip_address} (${fip.id}) with port ${port.id} using fixed IP ${fixed.ip_address}, as that fixed IP already has a floating IP on external network ${fip.floating_network_id}.`,
    );
  return {
    fixed_port_id: port.id,
    fixed_ip_address: fixed.ip_address,
    router_id: router.id,
    status: 'ACTIVE',
  };
}

function pickFixed(port: Port, wanted: string | null | undefined) {
  if (wanted) {
    const f = port.fixed_ips.find((x) => x.ip_address === wanted);
    if (!f) throw badFip(`Port ${port.id} does not have fixed ip ${wanted}`);
    return f;
  }
  const v4 = port.fixed_ips.find((x) => parseIp(x.ip_address)?.version === 4);
  if (!v4) throw badFip(`Port ${port.id} does not have any fixed IPv4 addresses`);
  return v4;
}

async function create(ctx: NetCtx, caller: Caller, body: Record<string, unknown>): Promise<FloatingIp> {
  if (body.floating_network_id === undefined)
    throw badRequest("Failed to parse request. Required attribute 'floating_network_id' not specified");
  const project = owningProject(caller, body);
  authorize(ctx, caller, 'create_floatingip', targetOf(project));
  if (body.floating_ip_address !== undefined)
    authorize(ctx, caller, 'create_floatingip:floating_ip_address', targetOf(project));
  const net = await findNetwork(ctx.db, body.floating_network_id as string);
  if (!net)
    throw notFound('NetworkNotFound', `Network ${String(body.floating_network_id)} could not be found.`);
  if (!net.external) throw badFip(`Network ${net.id} is not a valid external network`);
  await checkQuota(ctx.db, 'floatingip', project);
  const id = newUuid();
  const fixedIps =
    body.subnet_id || body.floating_ip_address
      ? [
          {
            ...(body.subnet_id ? { subnet_id: body.subnet_id as string } : {}),
            ...(body.floating_ip_address ? { ip_address: body.floating_ip_address as string } : {}),
          },
        ]
      : undefined;
  const port = await createPort(ctx, {
    project_id: '',
    network: net,
    device_id: id,
    device_owner: OWNER_FLOATINGIP,
    counted: false,
    ...(fixedIps ? { fixed_ips: fixedIps } : {}),
  });
  const address = port.fixed_ips.find((f) => parseIp(f.ip_address)?.version === 4) ?? port.fixed_ips[0];
  if (!address) {
    await deletePortRow(ctx.db, port.id);
    throw badFip(`Network ${net.id} has no subnet to take an address from`);
  }
  try {
    const fip = {
      id,
      project_id: project,
      floating_network_id: net.id,
      floating_ip_address: address.ip_address,
    };
    const assoc = await associationFor(
      ctx,
      caller,
      fip,
      (body.port_id as string | null | undefined) ?? null,
      body.fixed_ip_address as string | undefined,
    );
    await insertFloatingIp(
      ctx.db,
      { ...fip, description: (body.description as string) ?? '', floating_port_id: port.id, ...assoc },
      ctx.clock.now(),
    );
  } catch (err) {
    await deletePortRow(ctx.db, port.id);
    throw err;
  }
  return (await findFloatingIp(ctx.db, id)) as FloatingIp;
}

/** Tells Nova about the instances behind the given fixed ports (association changed). */
async function notifyPorts(ctx: NetCtx, portIds: readonly (string | null)[]) {
  if (!ctx.nova) return;
  const events = [];
  for (const id of new Set(portIds))
    if (id) {
      const p = await findPort(ctx.db, id);
      if (p) events.push(...portEvent(p, 'network-changed'));
    }
  ctx.nova.notify(events);
}

export function registerFloatingIpRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.post('/v2.0/floatingips', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const f = await create(ctx, caller, parseBody(req.body, 'floatingip', ATTRS, 'post'));
    await notifyPorts(ctx, [f.fixed_port_id]);
    return reply.code(201).send({ floatingip: floatingIpView(f) });
  });

  app.get('/v2.0/floatingips', async (req) => {
    const caller = callerOf(ctx, req);
    const all = await listFloatingIps(ctx.db, caller.admin ? undefined : caller.project);
    return listBody(req, 'floatingips', all.map(floatingIpView), floatingIpNotFound);
  });

  app.get<IdParams>('/v2.0/floatingips/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const f = await visibleFip(ctx, caller, req.params.id);
    authorize(ctx, caller, 'get_floatingip', targetOf(f.project_id), () => floatingIpNotFound(f.id));
    return { floatingip: showFields(req, floatingIpView(f)) };
  });

  app.put<IdParams>('/v2.0/floatingips/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const body = parseBody(req.body, 'floatingip', ATTRS, 'put');
    const f = await visibleFip(ctx, caller, req.params.id);
    authorize(ctx, caller, 'update_floatingip', targetOf(f.project_id), () => floatingIpNotFound(f.id));
    const assoc =
      'port_id' in body
        ? await associationFor(
            ctx,
            caller,
            f,
            body.port_id as string | null,
            body.fixed_ip_address as string | undefined,
          )
        : {};
    await updateFloatingIp(
      ctx.db,
      f,
      { ...assoc, ...(body.description !== undefined ? { description: body.description as string } : {}) },
      ctx.clock.now(),
    );
    const now = (await findFloatingIp(ctx.db, f.id)) as FloatingIp;
    await notifyPorts(ctx, [f.fixed_port_id, now.fixed_port_id]);
    return { floatingip: floatingIpView(now) };
  });

  app.delete<IdParams>('/v2.0/floatingips/:id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const f = await visibleFip(ctx, caller, req.params.id);
    authorize(ctx, caller, 'delete_floatingip', targetOf(f.project_id), () => floatingIpNotFound(f.id));
    await deleteFloatingIpRow(ctx.db, f.id);
    if (await findPort(ctx.db, f.floating_port_id)) await deletePortRow(ctx.db, f.floating_port_id);
    await notifyPorts(ctx, [f.fixed_port_id]);
    return reply.code(204).send();
  });
}
