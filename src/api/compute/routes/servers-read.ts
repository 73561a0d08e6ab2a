// GET /servers, GET /servers/detail and GET /servers/{id} (upstream servers.py index, detail,
// show): servers of every cell and those still build requests, filtered, sorted and paged as
// upstream; another project's server is "not found" to non-admins.
import { instanceOfBuild } from '../../../compute-api/server-list/build-view.ts';
import { loadExtras } from '../../../compute-api/server-list/extras.ts';
import { type ListedServer, listServers } from '../../../compute-api/server-list/list.ts';
import { networkSecurityGroups } from '../../../compute-api/server-list/security-groups.ts';
import { locate } from '../../../compute-api/servers/lookup.ts';
import type { PolicyTarget } from '../../../policy/types.ts';
import { isAdmin } from '../deps.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import { pageOf } from '../routing/pagination.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import { indexQuery, showQuery } from '../schemas/servers-query.ts';
import {
  type HostStatusPolicy,
  type ServerViewOptions,
  serverBrief,
  serverDetail,
} from '../views/servers.ts';
import { listRequestOf } from './servers-search.ts';

const P = SERVER_POLICIES.servers;

function hostStatusPolicy(ctx: RouteContext, target?: PolicyTarget): HostStatusPolicy {
  if (!ctx.mv.atLeast('2.16')) return null;
  if (ctx.can(P.showHostStatus, target)) return 'all';
  if (ctx.can(P.showHostStatusUnknownOnly, target)) return 'unknown-only';
  return null;
}

/** What the caller may see, decided once per request (target: the shown server's project). */
function viewOptions(ctx: RouteContext, target?: PolicyTarget): ServerViewOptions {
  return {
    mv: ctx.mv,
    links: ctx.links,
    admin: isAdmin(ctx.auth),
    extendedAttributes: ctx.can(SERVER_POLICIES.extendedAttributes, target),
    extraSpecs: ctx.mv.atLeast('2.47') && ctx.can(P.showFlavorExtraSpecs, target),
    hostStatus: hostStatusPolicy(ctx, target),
  };
}

/** The servers' security groups from the network service, when there is one. */
function sgSource(ctx: RouteContext) {
  const src = networkSecurityGroups(ctx.deps.conf, ctx.auth, ctx.deps.log);
  return src ? { securityGroupsOf: src } : {};
}

async function details(ctx: RouteContext, servers: readonly ListedServer[], o: ServerViewOptions) {
  const extras = await loadExtras(ctx.deps, servers, {
    hostStatus: o.hostStatus !== null,
    serverGroups: Boolean(o.show) && ctx.mv.atLeast('2.71'),
    requestSpecs: ctx.mv.atLeast('2.96'),
    ...sgSource(ctx),
  });
  return servers.map((s, i) => serverDetail(s.instance, extras[i], { ...o, isBuild: s.kind === 'build' }));
}

async function listBody(ctx: RouteContext, detail: boolean) {
  ctx.authorize(detail ? P.detail : P.index);
  const request = await listRequestOf(ctx, detail);
  const servers = request ? await listServers(ctx.deps, request) : [];
  const list = detail
    ? await details(ctx, servers, viewOptions(ctx))
    : servers.map((s) => serverBrief(s.instance, ctx.links));
  const next = ctx.links.collection(
    detail ? 'servers/detail' : 'servers',
    servers,
    () => servers[servers.length - 1].instance.uuid,
    pageOf(ctx).limit,
  );
  return { servers: list, ...(next.length > 0 && { servers_links: next }) };
}

/**
 * What PUT /servers/{id} and rebuild answer before 2.75: the show view without the extension
 * attributes (zone, extended status and server attributes, usage dates, volumes, security groups,
 * config drive, key name, host status, groups) and addresses without their OS-EXT-IPS keys.
 */
export function basicView(server: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const dropped = ['security_groups', 'config_drive', 'key_name', 'host_status', 'server_groups'];
  for (const [k, v] of Object.entries(server)) {
    if (/^(OS-EXT-|OS-SRV-USG:|os-extended-volumes:)/.test(k) || dropped.includes(k)) continue;
    out[k] = v;
  }
  if (server.addresses && typeof server.addresses === 'object') {
    const addresses: Record<string, unknown> = {};
    for (const [net, list] of Object.entries(
      server.addresses as Record<string, { version: number; addr: string }[]>,
    ))
      addresses[net] = list.map((a) => ({ version: a.version, addr: a.addr }));
    out.addresses = addresses;
  }
  return out;
}

/** The answer of PUT /servers/{id} and rebuild: show's body, reduced before 2.75 as upstream. */
export async function updatedBody(
  ctx: RouteContext,
  id: string,
): Promise<{ server: Record<string, unknown> }> {
  const body = (await showBody(ctx, id)) as { server: Record<string, unknown> };
  return ctx.mv.atLeast('2.75') ? body : { server: basicView(body.server) };
}

/** GET /servers/{id}'s body (also what PUT /servers/{id} answers); checks the show policy. */
export async function showBody(ctx: RouteContext, id: string): Promise<{ server: unknown }> {
  const l = await locate(ctx.deps.apiDb, ctx.deps.cells, ctx.auth, id);
  const server: ListedServer =
    l.kind === 'build'
      ? { kind: 'build', instance: instanceOfBuild(l.build, 0), build: l.build }
      : { kind: 'instance', instance: l.instance, cell: l.cell };
  const target = { project_id: server.instance.project_id };
  ctx.authorize(P.show, target);
  const [view] = await details(ctx, [server], { ...viewOptions(ctx, target), show: true });
  return { server: view };
}

export const SERVER_READ_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/servers',
    policy: { inHandler: [P.index, P.indexAllTenants, P.allowAllFilters] },
    query: indexQuery,
    handler: (ctx) => listBody(ctx, false),
  },
  {
    method: 'GET',
    url: '/servers/detail',
    policy: {
      inHandler: [P.detail, P.detailAllTenants, P.allowAllFilters, P.showHostStatus, P.showFlavorExtraSpecs],
    },
    query: indexQuery,
    handler: (ctx) => listBody(ctx, true),
  },
  {
    method: 'GET',
    url: '/servers/:id',
    policy: {
      inHandler: [P.show, P.showHostStatus, P.showFlavorExtraSpecs, SERVER_POLICIES.extendedAttributes],
    },
    query: showQuery,
    handler: (ctx) => showBody(ctx, ctx.params.id),
  },
];
