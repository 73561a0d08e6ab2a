// /flavors, /flavors/detail, /flavors/{id} (+ flavor-access actions) — upstream flavors.py,
// flavor_manage and flavor_access.
import { createFlavor } from '../../../compute-api/flavors.ts';
import { Conflict, Invalid, NotFound } from '../../../faults/fault.ts';
import * as flavors from '../../../objects/flavor.ts';
import { isAdmin } from '../deps.ts';
import { FLAVOR_POLICIES as P } from '../policies/flavors.ts';
import { actionRoute } from '../routing/actions.ts';
import { pageOf } from '../routing/pagination.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/flavors.ts';
import { flavorAccessView, flavorBrief, flavorDetail } from '../views/flavors.ts';

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

function isPublicFilter(raw: string | undefined): boolean | null {
  if (raw === undefined) return true;
  const s = raw.trim().toLowerCase();
  if (s === 'none') return null;
  if (TRUE.includes(s)) return true;
  if (FALSE.includes(s)) return false;
  throw new Invalid(`Invalid is_public filter [${raw}]`);
}

function intFilter(ctx: RouteContext, name: 'minRam' | 'minDisk'): number | undefined {
  const raw = ctx.param(name);
  if (raw === undefined) return undefined;
  if (!/^\s*[-+]?\d+\s*$/.test(raw)) throw new Invalid(`Invalid ${name} filter [${raw}]`);
  return Number(raw);
}

async function listFlavors(ctx: RouteContext): Promise<readonly flavors.Flavor[]> {
  const page = pageOf(ctx);
  const admin = isAdmin(ctx.auth);
  const filter: flavors.FlavorFilter = {
    isPublic: admin ? isPublicFilter(ctx.param('is_public')) : true,
    ...(!admin && { disabled: false }),
    minMemoryMb: intFilter(ctx, 'minRam'),
    minRootGb: intFilter(ctx, 'minDisk'),
    ...(ctx.mv.atLeast('2.102') && ctx.param('name') !== undefined && { name: ctx.param('name') }),
    projectId: ctx.auth.project_id,
  };
  try {
    return await flavors.list(ctx.deps.apiDb, {
      filter,
      sortKey: (ctx.param('sort_key') || 'flavorid') as flavors.SortKey,
      sortDir: (ctx.param('sort_dir') || 'asc') as 'asc' | 'desc',
      limit: page.limit,
      marker: page.marker,
    });
  } catch (err) {
    if (err instanceof NotFound && page.marker !== undefined)
      throw new Invalid(`marker [${page.marker}] not found`);
    throw err;
  }
}

/** 2.61+: extra specs in the view when the caller may list them. */
const withSpecs = (ctx: RouteContext) => ctx.mv.atLeast('2.61') && ctx.can(P.extraSpecsIndex);

function listBody(ctx: RouteContext, items: readonly flavors.Flavor[], detail: boolean) {
  const specs = detail && withSpecs(ctx);
  const list = items.map((f) =>
    detail ? flavorDetail(f, ctx.mv, ctx.links, specs) : flavorBrief(f, ctx.mv, ctx.links),
  );
  const next = ctx.links.collection(
    detail ? 'flavors/detail' : 'flavors',
    items,
    () => items[items.length - 1].flavorid,
    pageOf(ctx).limit,
  );
  return { flavors: list, ...(next.length > 0 && { flavors_links: next }) };
}

function projectsOf(ctx: RouteContext, id: string) {
  return flavors.listProjects(ctx.deps.apiDb, id);
}

export const FLAVOR_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/flavors',
    policy: { none: 'any authenticated caller' },
    query: S.indexQuery,
    handler: async (ctx) => listBody(ctx, await listFlavors(ctx), false),
  },
  {
    method: 'GET',
    url: '/flavors/detail',
    policy: { inHandler: [P.extraSpecsIndex] },
    query: S.indexQuery,
    handler: async (ctx) => listBody(ctx, await listFlavors(ctx), true),
  },
  {
    method: 'GET',
    url: '/flavors/:id',
    policy: { inHandler: [P.extraSpecsIndex] },
    query: S.strictFrom2102,
    handler: async (ctx) => {
      const f = await flavors.getByFlavorId(ctx.deps.apiDb, ctx.params.id);
      return { flavor: flavorDetail(f, ctx.mv, ctx.links, withSpecs(ctx)) };
    },
  },
  {
    method: 'POST',
    url: '/flavors',
    policy: { rule: P.create, target: () => ({}) },
    body: S.createBody,
    handler: async (ctx) => {
      const v = ctx.body.flavor;
      const f = await createFlavor(ctx.deps.apiDb, ctx.deps.clock, {
        name: v.name,
        id: v.id,
        ram: v.ram,
        vcpus: v.vcpus,
        disk: v.disk,
        ephemeral: v['OS-FLV-EXT-DATA:ephemeral'],
        swap: v.swap,
        rxtx_factor: v.rxtx_factor,
        is_public: v['os-flavor-access:is_public'],
        description: ctx.mv.atLeast('2.55') ? v.description : null,
      });
      return { flavor: flavorDetail(f, ctx.mv, ctx.links, withSpecs(ctx)) };
    },
  },
  {
    method: 'PUT',
    url: '/flavors/:id',
    minVersion: '2.55',
    policy: { rule: P.update, target: () => ({}) },
    body: S.updateBody,
    handler: async (ctx) => {
      const f = await flavors.setDescription(
        ctx.deps.apiDb,
        ctx.params.id,
        ctx.body.flavor.description,
        ctx.deps.clock.now(),
      );
      return { flavor: flavorDetail(f, ctx.mv, ctx.links, withSpecs(ctx)) };
    },
  },
  {
    method: 'DELETE',
    url: '/flavors/:id',
    policy: { rule: P.delete, target: () => ({}) },
    status: 202,
    handler: async (ctx) => {
      await flavors.destroy(ctx.deps.apiDb, ctx.params.id);
      return undefined;
    },
  },
  {
    method: 'GET',
    url: '/flavors/:flavor_id/os-flavor-access',
    policy: P.access,
    query: S.strictFrom2102,
    handler: async (ctx) => {
      const f = await flavors.getByFlavorId(ctx.deps.apiDb, ctx.params.flavor_id);
      if (f.is_public) throw new NotFound('Access list not available for public flavors.');
      return flavorAccessView(f.flavorid, await projectsOf(ctx, f.flavorid));
    },
  },
  actionRoute({
    url: '/flavors/:id/action',
    rules: [P.addTenantAccess, P.removeTenantAccess],
    actions: {
      addTenantAccess: {
        body: S.addTenantAccessBody,
        handler: async (ctx) => {
          ctx.authorize(P.addTenantAccess, {});
          const tenant: string = ctx.body.addTenantAccess.tenant;
          const f = await flavors.getByFlavorId(ctx.deps.apiDb, ctx.params.id);
          if (ctx.mv.atLeast('2.7') && f.is_public)
            throw new Conflict('Can not add access to a public flavor.');
          await flavors.addProject(ctx.deps.apiDb, f.flavorid, tenant, ctx.deps.clock.now());
          return flavorAccessView(f.flavorid, await projectsOf(ctx, f.flavorid));
        },
      },
      removeTenantAccess: {
        body: S.removeTenantAccessBody,
        handler: async (ctx) => {
          ctx.authorize(P.removeTenantAccess, {});
          const tenant: string = ctx.body.removeTenantAccess.tenant;
          const f = await flavors.getByFlavorId(ctx.deps.apiDb, ctx.params.id);
          await flavors.removeProject(ctx.deps.apiDb, f.flavorid, tenant);
          return flavorAccessView(f.flavorid, await projectsOf(ctx, f.flavorid));
        },
      },
    },
  }),
];
