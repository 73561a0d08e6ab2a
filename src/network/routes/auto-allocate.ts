// /v2.0/auto-allocated-topology/{project_id} (what `networks: auto` asks for): the project's
// network, made on first request with a /24 subnet and a router to the default external network.
// `?fields=dry-run` only checks that it could be made; DELETE takes it apart.
import type { FastifyInstance } from 'fastify';
import { newUuid } from '../../common/ids.ts';
import { authorize, callerOf, type NetCtx, targetOf } from '../context.ts';
import { conflict, notFound } from '../faults.ts';
import { parseCidr } from '../ip.ts';
import { queryOf } from '../list-query.ts';
import type { Network, Router } from '../model.ts';
import { createNetwork, deleteNetwork, findNetwork, listNetworks } from '../repo/networks.ts';
import { portsWhere } from '../repo/ports.ts';
import { deleteRouterRow, findRouter, insertRouter } from '../repo/routers.ts';
import { createSubnet } from '../repo/subnets.ts';
import { addInterface, interfacesOf, removeInterface, setGateway } from '../router-service.ts';
import { poolsOf } from '../subnet-checks.ts';

type ProjectParams = { Params: { project_id: string } };

/** The subnet every auto-allocated network gets (each project's is its own, isolated network). */
const AUTO_CIDR = '10.0.0.0/24';

const failure = (why: string) => conflict('AutoAllocationFailure', `Deployment error: ${why}.`);

async function defaultExternal(ctx: NetCtx): Promise<Network> {
  const ext = (await listNetworks(ctx.db, undefined)).find((n) => n.external && n.is_default);
  if (!ext) throw failure('No default router:external network');
  return ext;
}

async function allocate(ctx: NetCtx, project: string): Promise<string> {
  const ext = await defaultExternal(ctx);
  const now = ctx.clock.now();
  const net = await createNetwork(
    ctx.db,
    {
      id: newUuid(),
      project_id: project,
      name: 'auto_allocated_network',
      description: '',
      admin_state_up: true,
      shared: false,
      external: false,
      is_default: false,
      mtu: ctx.mtu,
      port_security_enabled: true,
      network_type: 'local',
      physical_network: null,
      segmentation_id: null,
    },
    now,
  );
  const c = parseCidr(AUTO_CIDR)!;
  const subnet = await createSubnet(
    ctx.db,
    {
      id: newUuid(),
      project_id: project,
      network_id: net.id,
      name: 'auto_allocated_subnet_v4',
      description: '',
      ip_version: 4,
      cidr: AUTO_CIDR,
      gateway_ip: '10.0.0.1',
      enable_dhcp: true,
      ipv6_ra_mode: null,
      ipv6_address_mode: null,
      allocation_pools: poolsOf(c, '10.0.0.1', undefined),
      dns_nameservers: [],
      host_routes: [],
    },
    now,
  );
  const routerId = newUuid();
  await insertRouter(
    ctx.db,
    {
      id: routerId,
      project_id: project,
      name: 'auto_allocated_router',
      description: '',
      admin_state_up: true,
    },
    now,
  );
  const router = await setGateway(ctx, (await findRouter(ctx.db, routerId)) as Router, {
    network_id: ext.id,
  });
  await addInterface(ctx, router, { subnet: { subnet, network: net } });
  try {
    await ctx.db.kysely
      .insertInto('auto_allocated_topologies')
      .values({ project_id: project, network_id: net.id, router_id: routerId })
      .execute();
    return net.id;
  } catch (err) {
    // Another request made the project's topology first: keep that one, undo this one.
    await teardown(ctx, net.id, routerId);
    const row = await ctx.db.kysely
      .selectFrom('auto_allocated_topologies')
      .select('network_id')
      .where('project_id', '=', project)
      .executeTakeFirst();
    if (row) return row.network_id;
    throw err;
  }
}

async function teardown(ctx: NetCtx, networkId: string, routerId: string | null) {
  const router = routerId ? await findRouter(ctx.db, routerId) : undefined;
  if (router) {
    for (const p of await interfacesOf(ctx, router.id)) await removeInterface(ctx, router, { port_id: p.id });
    await setGateway(ctx, router, null);
    await ctx.db.kysely.deleteFrom('auto_allocated_topologies').where('router_id', '=', router.id).execute();
    await deleteRouterRow(ctx.db, router.id);
  }
  if ((await portsWhere(ctx.db, { network_id: networkId })).length > 0)
    throw conflict(
      'NetworkInUse',
      `Unable to complete operation on network ${networkId}. There are one or more ports still in use on the network.`,
    );
  await ctx.db.kysely.deleteFrom('auto_allocated_topologies').where('network_id', '=', networkId).execute();
  await deleteNetwork(ctx.db, networkId);
}

export function registerAutoAllocateRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.get<ProjectParams>('/v2.0/auto-allocated-topology/:project_id', async (req) => {
    const caller = callerOf(ctx, req);
    const project = req.params.project_id;
    authorize(ctx, caller, 'get_auto_allocated_topology', targetOf(project));
    if (queryOf(req.url).getAll('fields').includes('dry-run')) {
      await defaultExternal(ctx);
      return { auto_allocated_topology: { dry_run: 'pass' } };
    }
    const row = await ctx.db.kysely
      .selectFrom('auto_allocated_topologies')
      .selectAll()
      .where('project_id', '=', project)
      .executeTakeFirst();
    const id =
      row && (await findNetwork(ctx.db, row.network_id)) ? row.network_id : await allocate(ctx, project);
    return { auto_allocated_topology: { id, tenant_id: project, project_id: project } };
  });

  app.delete<ProjectParams>('/v2.0/auto-allocated-topology/:project_id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const project = req.params.project_id;
    authorize(ctx, caller, 'delete_auto_allocated_topology', targetOf(project));
    const row = await ctx.db.kysely
      .selectFrom('auto_allocated_topologies')
      .selectAll()
      .where('project_id', '=', project)
      .executeTakeFirst();
    if (!row) throw notFound('TopologyNotFound', `Topology of project ${project} could not be found.`);
    await teardown(ctx, row.network_id, row.router_id);
    return reply.code(204).send();
  });
}
