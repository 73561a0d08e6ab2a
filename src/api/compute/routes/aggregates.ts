// /os-aggregates — upstream aggregates.py: CRUD, add/remove host, set_metadata (the zone is the
// availability_zone metadata), uuid from 2.41, image precache requests from 2.81.
import * as A from '../../../compute-api/aggregates.ts';
import { Invalid } from '../../../faults/fault.ts';
import * as aggregates from '../../../objects/aggregate.ts';
import { INFRA_POLICIES as P } from '../policies/infra.ts';
import { actionRoute } from '../routing/actions.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/infra.ts';
import { aggregateView } from '../views/infra.ts';
import { cellDeps } from './infra.ts';

const deps = (ctx: RouteContext): A.AggregateDeps => ({ ...cellDeps(ctx), clock: ctx.deps.clock });
const none = () => ({});

/** utils.validate_integer(id, 'id'). */
function aggregateId(ctx: RouteContext): number {
  const raw = ctx.params.id;
  if (!/^\s*[-+]?\d+\s*$/.test(raw)) throw new Invalid('Invalid input received: id must be an integer');
  return Number(raw);
}

const show = (ctx: RouteContext, a: aggregates.Aggregate) => ({ aggregate: aggregateView(a, ctx.mv) });

export const AGGREGATE_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/os-aggregates',
    policy: { rule: P.aggIndex, target: none },
    query: S.plainQuery,
    handler: async (ctx) => ({
      aggregates: (await aggregates.list(ctx.deps.apiDb)).map((a) => aggregateView(a, ctx.mv)),
    }),
  },
  {
    method: 'POST',
    url: '/os-aggregates',
    policy: { rule: P.aggCreate, target: none },
    body: S.aggregateCreateBody,
    handler: async (ctx) => {
      const { name, availability_zone: zone } = ctx.body.aggregate;
      const a = await A.createAggregate(deps(ctx), String(name).trim(), zone ? String(zone).trim() : null);
      return { aggregate: aggregateView(a, ctx.mv, true) };
    },
  },
  {
    method: 'GET',
    url: '/os-aggregates/:id',
    policy: { rule: P.aggShow, target: none },
    query: S.plainQuery,
    handler: async (ctx) => show(ctx, await aggregates.getById(ctx.deps.apiDb, aggregateId(ctx))),
  },
  {
    method: 'PUT',
    url: '/os-aggregates/:id',
    policy: { rule: P.aggUpdate, target: none },
    body: S.aggregateUpdateBody,
    handler: async (ctx) => {
      const body = ctx.body.aggregate;
      const values = {
        ...(body.name !== undefined && { name: String(body.name).trim() }),
        ...('availability_zone' in body && { availability_zone: body.availability_zone }),
      };
      return show(ctx, await A.updateAggregate(deps(ctx), aggregateId(ctx), values));
    },
  },
  {
    method: 'DELETE',
    url: '/os-aggregates/:id',
    policy: { rule: P.aggDelete, target: none },
    handler: async (ctx) => {
      await A.deleteAggregate(deps(ctx), aggregateId(ctx));
      return undefined;
    },
  },
  actionRoute({
    url: '/os-aggregates/:id/action',
    rules: [P.aggAddHost, P.aggRemoveHost, P.aggSetMetadata],
    actions: {
      add_host: {
        body: S.addHostBody,
        handler: async (ctx) => {
          ctx.authorize(P.aggAddHost, {});
          return show(ctx, await A.addHost(deps(ctx), aggregateId(ctx), ctx.body.add_host.host));
        },
      },
      remove_host: {
        body: S.removeHostBody,
        handler: async (ctx) => {
          ctx.authorize(P.aggRemoveHost, {});
          return show(ctx, await A.removeHost(deps(ctx), aggregateId(ctx), ctx.body.remove_host.host));
        },
      },
      set_metadata: {
        body: S.setMetadataBody,
        handler: async (ctx) => {
          ctx.authorize(P.aggSetMetadata, {});
          return show(ctx, await A.setMetadata(deps(ctx), aggregateId(ctx), ctx.body.set_metadata.metadata));
        },
      },
    },
  }),
  {
    method: 'POST',
    url: '/os-aggregates/:id/images',
    minVersion: '2.81',
    policy: { rule: P.aggImages, target: none },
    body: S.aggregateImagesBody,
    status: 202,
    handler: async (ctx) => {
      const id = aggregateId(ctx);
      const ids: string[] = ctx.body.cache.map((c: { id: string }) => c.id);
      if (new Set(ids).size !== ids.length) throw new Invalid('Duplicate images in request');
      await aggregates.getById(ctx.deps.apiDb, id);
      return undefined;
    },
  },
];
