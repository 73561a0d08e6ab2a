// /os-hypervisors: list, detail, show, statistics and uptime (until 2.87), search and servers (until
// 2.52), the 2.53 query forms, uuids from 2.53, the 2.88 field changes — upstream hypervisors.py.
import {
  getHypervisor,
  type Hypervisor,
  hypervisorStatistics,
  instancesOn,
  listHypervisors,
  searchHypervisors,
} from '../../../compute-api/hypervisors.ts';
import { isUuidLike } from '../../../compute-api/uuids.ts';
import { Invalid, NotFound } from '../../../faults/fault.ts';
import type { HostedInstance } from '../../../objects/instance-reports.ts';
import { isServiceUp } from '../../../objects/service.ts';
import { NotImplementedFault } from '../faults/faults.ts';
import { HOSTS_ADMIN_POLICIES as P } from '../policies/hosts-admin.ts';
import { pageOf } from '../routing/pagination.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/services.ts';
import { boolFromString } from '../validation/params.ts';
import { hypervisorView } from '../views/services.ts';
import { cellDeps } from './infra.ts';

const isUp = (ctx: RouteContext, hv: Hypervisor) =>
  isServiceUp(hv.service, ctx.deps.clock.now(), ctx.deps.conf.DEFAULT.service_down_time);

/** 2.88 detail views: stats.uptime, else ask the host (errors mean "unknown"). */
async function uptimeFor(ctx: RouteContext, hv: Hypervisor): Promise<string | null> {
  if (hv.node.stats.uptime !== undefined) return hv.node.stats.uptime;
  if (!ctx.deps.hostUptime || !isUp(ctx, hv)) return null;
  try {
    return (await ctx.deps.hostUptime.uptime(hv.node.host)) ?? null;
  } catch {
    return null;
  }
}

async function view(
  ctx: RouteContext,
  hv: Hypervisor,
  detail: boolean,
  servers?: readonly HostedInstance[],
  withServers = false,
) {
  const uptime = detail && ctx.mv.atLeast('2.88') ? await uptimeFor(ctx, hv) : undefined;
  return hypervisorView(hv.node, hv.service, isUp(ctx, hv), ctx.mv, { detail, servers, withServers, uptime });
}

const withServersParam = (ctx: RouteContext) =>
  ctx.mv.atLeast('2.53') && boolFromString(ctx.param('with_servers') ?? 'false');

async function listBody(ctx: RouteContext, detail: boolean) {
  const paged = ctx.mv.atLeast('2.33');
  const pattern = ctx.mv.atLeast('2.53') ? ctx.param('hypervisor_hostname_pattern') : undefined;
  const withServers = withServersParam(ctx);
  const page = paged ? pageOf(ctx) : undefined;
  let list: Hypervisor[];
  if (pattern !== undefined) {
    if (ctx.param('limit') !== undefined || page?.marker)
      throw new Invalid(
        'Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.',
      );
    list = await searchHypervisors(cellDeps(ctx), pattern);
  } else {
    list = await listHypervisors(cellDeps(ctx), page ?? {});
  }
  const views: Record<string, unknown>[] = [];
  for (const hv of list) {
    let servers: readonly HostedInstance[] | undefined;
    if (withServers) {
      try {
        servers = await instancesOn(cellDeps(ctx), hv);
      } catch (err) {
        if (err instanceof NotFound) continue;
        throw err;
      }
    }
    views.push(await view(ctx, hv, detail, servers, withServers));
  }
  const links =
    paged && pattern === undefined && page
      ? ctx.links.collection(
          detail ? 'os-hypervisors/detail' : 'os-hypervisors',
          views,
          () => views[views.length - 1].id as string,
          page.limit,
        )
      : [];
  return { hypervisors: views, ...(links.length > 0 && { hypervisors_links: links }) };
}

/** 2.53+: a uuid or 400; before: an integer or 404. */
function validateId(ctx: RouteContext, id: string): void {
  if (ctx.mv.atLeast('2.53')) {
    if (!isUuidLike(id)) throw new Invalid(`Invalid uuid ${id}`);
  } else if (!/^\s*[-+]?\d+\s*$/.test(id)) {
    throw new NotFound(`Hypervisor with ID '${id}' could not be found.`, 'nova.hypervisor_not_found');
  }
}

async function show(ctx: RouteContext) {
  const id = ctx.params.id;
  validateId(ctx, id);
  const hv = await getHypervisor(cellDeps(ctx), id);
  const withServers = withServersParam(ctx);
  let servers: readonly HostedInstance[] | undefined;
  if (withServers) {
    try {
      servers = await instancesOn(cellDeps(ctx), hv);
    } catch (err) {
      if (err instanceof NotFound)
        throw new NotFound(`Hypervisor with ID '${id}' could not be found.`, 'nova.hypervisor_not_found');
      throw err;
    }
  }
  return { hypervisor: await view(ctx, hv, true, servers, withServers) };
}

async function uptime(ctx: RouteContext) {
  const id = ctx.params.id;
  validateId(ctx, id);
  const hv = await getHypervisor(cellDeps(ctx), id);
  if (!isUp(ctx, hv)) throw new Invalid(`Compute service of ${hv.node.host} is unavailable at this time.`);
  const text = ctx.deps.hostUptime ? await ctx.deps.hostUptime.uptime(hv.node.host) : undefined;
  if (text === undefined) throw new NotImplementedFault();
  return { hypervisor: { ...(await view(ctx, hv, false)), uptime: text } };
}

async function searchBody(ctx: RouteContext, withServers: boolean) {
  const list = await searchHypervisors(cellDeps(ctx), ctx.params.id);
  const views = [];
  for (const hv of list) {
    const servers = withServers ? await instancesOn(cellDeps(ctx), hv) : undefined;
    views.push(await view(ctx, hv, false, servers));
  }
  return { hypervisors: views };
}

const admin = (rule: string) => ({ rule, target: () => ({}) });

export const HYPERVISOR_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/os-hypervisors',
    policy: admin(P.hvList),
    query: S.hypervisorIndexQuery,
    handler: (ctx) => listBody(ctx, false),
  },
  {
    method: 'GET',
    url: '/os-hypervisors/detail',
    policy: admin(P.hvListDetail),
    query: S.hypervisorIndexQuery,
    handler: (ctx) => listBody(ctx, true),
  },
  {
    method: 'GET',
    url: '/os-hypervisors/statistics',
    maxVersion: '2.87',
    policy: admin(P.hvStatistics),
    handler: async (ctx) => ({ hypervisor_statistics: await hypervisorStatistics(cellDeps(ctx)) }),
  },
  {
    method: 'GET',
    url: '/os-hypervisors/:id',
    policy: admin(P.hvShow),
    query: S.hypervisorShowQuery,
    handler: show,
  },
  {
    method: 'GET',
    url: '/os-hypervisors/:id/uptime',
    maxVersion: '2.87',
    policy: admin(P.hvUptime),
    handler: uptime,
  },
  {
    method: 'GET',
    url: '/os-hypervisors/:id/search',
    maxVersion: '2.52',
    policy: admin(P.hvSearch),
    handler: (ctx) => searchBody(ctx, false),
  },
  {
    method: 'GET',
    url: '/os-hypervisors/:id/servers',
    maxVersion: '2.52',
    policy: admin(P.hvServers),
    handler: (ctx) => searchBody(ctx, true),
  },
];
