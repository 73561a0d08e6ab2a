// /os-server-groups — upstream server_groups.py: policies as a one-item list before 2.64, policy +
// rules from it, project/user ids from 2.13, the server_groups quota on create.

import { serverGroupsLeft } from '../../../compute-api/quotas.ts';
import { Invalid } from '../../../faults/fault.ts';
import * as groups from '../../../objects/instance-group.ts';
import { isAdmin } from '../deps.ts';
import { ForbiddenFault } from '../faults/faults.ts';
import { INFRA_POLICIES as P } from '../policies/infra.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/infra.ts';
import { serverGroupView } from '../views/infra.ts';
import { quotaDeps } from './quota-deps.ts';

async function checkQuota(ctx: RouteContext, delta: number): Promise<void> {
  if ((await serverGroupsLeft(quotaDeps(ctx), ctx.auth.project_id ?? '', ctx.auth.user_id)) < delta)
    throw new ForbiddenFault('Quota exceeded, too many server groups.');
}

/** common.limited: offset, then at most limit (capped by [api] max_limit). */
function limited<T>(ctx: RouteContext, items: readonly T[]): readonly T[] {
  const max = ctx.deps.conf.api.max_limit;
  const offset = Number(ctx.param('offset') ?? 0);
  const limit = Math.min(max, Number(ctx.param('limit') ?? 0) || max);
  return items.slice(offset, offset + limit);
}

const view = (ctx: RouteContext, g: groups.InstanceGroup) => serverGroupView(g, ctx.mv, g.members);

export const SERVER_GROUP_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/os-server-groups',
    policy: { rule: P.sgIndex, target: (ctx) => ({ project_id: ctx.auth.project_id }) },
    query: S.serverGroupIndexQuery,
    handler: async (ctx) => {
      let list: readonly groups.InstanceGroup[];
      if (ctx.query.all_projects !== undefined && isAdmin(ctx.auth)) {
        ctx.authorize(P.sgIndexAll, { project_id: ctx.auth.project_id });
        list = await groups.list(ctx.deps.apiDb);
      } else list = await groups.list(ctx.deps.apiDb, ctx.auth.project_id ?? '');
      return { server_groups: limited(ctx, list).map((g) => view(ctx, g)) };
    },
  },
  {
    method: 'POST',
    url: '/os-server-groups',
    policy: { rule: P.sgCreate, target: (ctx) => ({ project_id: ctx.auth.project_id }) },
    body: S.serverGroupCreateBody,
    handler: async (ctx) => {
      await checkQuota(ctx, 1);
      const v = ctx.body.server_group;
      let policy: string;
      let rules: Record<string, unknown> = {};
      if (ctx.mv.atLeast('2.64')) {
        policy = v.policy;
        rules = v.rules ?? {};
        if (policy !== 'anti-affinity' && Object.keys(rules).length > 0)
          throw new Invalid('Only anti-affinity policy supports rules.');
        if (rules.max_server_per_host !== undefined)
          rules = { max_server_per_host: Number(rules.max_server_per_host) };
      } else policy = v.policies[0];
      const g = await groups.create(
        ctx.deps.apiDb,
        { name: v.name, project_id: ctx.auth.project_id ?? '', user_id: ctx.auth.user_id, policy, rules },
        ctx.deps.clock.now(),
      );
      if (ctx.deps.conf.quota.recheck_quota) {
        try {
          await checkQuota(ctx, 0);
        } catch (err) {
          await groups.destroy(ctx.deps.apiDb, g.uuid);
          throw err;
        }
      }
      return { server_group: view(ctx, g) };
    },
  },
  {
    method: 'GET',
    url: '/os-server-groups/:id',
    policy: { inHandler: [P.sgShow] },
    query: S.plainQuery,
    handler: async (ctx) => {
      const g = await groups.getByUuid(ctx.deps.apiDb, ctx.params.id);
      ctx.authorize(P.sgShow, { project_id: g.project_id });
      return { server_group: view(ctx, g) };
    },
  },
  {
    method: 'DELETE',
    url: '/os-server-groups/:id',
    policy: { inHandler: [P.sgDelete] },
    status: 204,
    handler: async (ctx) => {
      const g = await groups.getByUuid(ctx.deps.apiDb, ctx.params.id);
      ctx.authorize(P.sgDelete, { project_id: g.project_id });
      await groups.destroy(ctx.deps.apiDb, g.uuid);
      return undefined;
    },
  },
];
