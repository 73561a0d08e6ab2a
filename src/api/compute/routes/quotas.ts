// /limits, /os-quota-sets/{project}[/defaults|/detail], /os-quota-class-sets/{class} — upstream
// limits.py, quota_sets.py, quota_classes.py.
import * as quotas from '../../../compute-api/quotas.ts';
import { Invalid } from '../../../faults/fault.ts';
import * as quotaDb from '../../../objects/quota.ts';
import { QUOTA_POLICIES as P } from '../policies/quotas.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/quotas.ts';
import { boolFromString } from '../validation/params.ts';
import * as V from '../views/quotas.ts';
import { quotaDeps } from './quota-deps.ts';

const projectTarget = (ctx: RouteContext) => ({ project_id: ctx.params.id });
const userOf = (ctx: RouteContext) => ctx.query.user_id?.[0];

async function currentLimits(ctx: RouteContext, projectId: string, userId?: string) {
  const d = quotaDeps(ctx);
  const q = userId
    ? await quotas.getUserQuotas(d, projectId, userId)
    : await quotas.getProjectQuotas(d, projectId);
  return V.limitsOf(q);
}

const unlimited = (v: number) => (v === -1 ? Number.POSITIVE_INFINITY : v);

function checkRange(resource: string, value: number, range: quotas.Settable): void {
  if (unlimited(value) < unlimited(range.minimum))
    throw new Invalid(
      `Quota limit ${value} for ${resource} must be greater than or equal to already used and reserved ${range.minimum}.`,
    );
  if (unlimited(value) > unlimited(range.maximum))
    throw new Invalid(`Quota limit ${value} for ${resource} must be less than or equal to ${range.maximum}.`);
}

async function updateQuotaSet(ctx: RouteContext) {
  const projectId = ctx.params.id;
  const userId = userOf(ctx);
  const body: Record<string, unknown> = ctx.body.quota_set;
  const force = boolFromString(body.force ?? 'False');
  const d = quotaDeps(ctx);
  const settable = await quotas.getSettableQuotas(d, projectId, userId);
  const valid: [string, number][] = [];
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'force' || raw === null || raw === '' || raw === undefined) continue;
    const value = Number(raw);
    if (!force) checkRange(key, value, settable[key]);
    valid.push([key, value]);
  }
  const now = ctx.deps.clock.now();
  for (const [key, value] of valid) {
    if (userId) await quotaDb.setUserLimit(ctx.deps.apiDb, projectId, userId, key, value, now);
    else await quotaDb.setProjectLimit(ctx.deps.apiDb, projectId, key, value, now);
  }
  return {
    quota_set: V.quotaSetView(
      undefined,
      await currentLimits(ctx, projectId, userId),
      V.filteredQuotas(ctx.mv),
    ),
  };
}

export const QUOTA_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/limits',
    policy: { inHandler: [P.limits, P.limitsOtherProject] },
    query: S.limitsQuery,
    handler: async (ctx) => {
      ctx.authorize(P.limits, {});
      let projectId = ctx.auth.project_id ?? '';
      const other = ctx.param('tenant_id');
      if (other !== undefined) {
        projectId = other;
        ctx.authorize(P.limitsOtherProject);
      }
      const q = await quotas.getProjectQuotas(quotaDeps(ctx), projectId, { usages: true });
      return V.limitsView(q, ctx.mv);
    },
  },
  {
    method: 'GET',
    url: '/os-quota-sets/:id',
    policy: { rule: P.show, target: projectTarget },
    query: S.quotaSetQuery,
    handler: async (ctx) => ({
      quota_set: V.quotaSetView(
        ctx.params.id,
        await currentLimits(ctx, ctx.params.id, userOf(ctx)),
        V.filteredQuotas(ctx.mv),
      ),
    }),
  },
  {
    method: 'GET',
    url: '/os-quota-sets/:id/detail',
    policy: { rule: P.detail, target: projectTarget },
    query: S.quotaSetQuery,
    handler: async (ctx) => {
      const d = quotaDeps(ctx);
      const userId = userOf(ctx);
      const q = userId
        ? await quotas.getUserQuotas(d, ctx.params.id, userId, { usages: true })
        : await quotas.getProjectQuotas(d, ctx.params.id, { usages: true });
      return { quota_set: V.quotaSetView(ctx.params.id, V.detailOf(q), V.filteredQuotas(ctx.mv)) };
    },
  },
  {
    method: 'GET',
    url: '/os-quota-sets/:id/defaults',
    policy: { rule: P.defaults, target: projectTarget },
    query: S.defaultsQuery,
    handler: async (ctx) => ({
      quota_set: V.quotaSetView(
        ctx.params.id,
        await quotas.getDefaults(quotaDeps(ctx)),
        V.filteredQuotas(ctx.mv),
      ),
    }),
  },
  {
    method: 'PUT',
    url: '/os-quota-sets/:id',
    policy: { rule: P.update, target: projectTarget },
    query: S.quotaSetQuery,
    body: S.quotaSetUpdateBody,
    handler: updateQuotaSet,
  },
  {
    method: 'DELETE',
    url: '/os-quota-sets/:id',
    policy: { rule: P.delete, target: projectTarget },
    query: S.quotaSetQuery,
    status: 202,
    handler: async (ctx) => {
      const userId = userOf(ctx);
      if (userId) await quotaDb.destroyUser(ctx.deps.apiDb, ctx.params.id, userId);
      else await quotaDb.destroyProject(ctx.deps.apiDb, ctx.params.id);
      return undefined;
    },
  },
  {
    method: 'GET',
    url: '/os-quota-class-sets/:id',
    policy: { rule: P.classShow, target: () => ({}) },
    query: S.quotaClassShowQuery,
    handler: async (ctx) => {
      const values = await quotas.getClassQuotas(quotaDeps(ctx), ctx.params.id);
      return { quota_class_set: V.quotaSetView(ctx.params.id, values, V.filteredClassQuotas(ctx.mv)) };
    },
  },
  {
    method: 'PUT',
    url: '/os-quota-class-sets/:id',
    policy: { rule: P.classUpdate, target: () => ({}) },
    body: S.quotaClassUpdateBody,
    handler: async (ctx) => {
      const name = ctx.params.id;
      if (name.length > 255)
        throw new Invalid('Invalid input received: quota_class_name has more than 255 characters.');
      const now = ctx.deps.clock.now();
      for (const [key, value] of Object.entries(ctx.body.quota_class_set as Record<string, unknown>))
        await quotaDb.setClassLimit(ctx.deps.apiDb, name, key, Number(value), now);
      const values = await quotas.getClassQuotas(quotaDeps(ctx), name);
      return { quota_class_set: V.quotaSetView(undefined, values, V.filteredClassQuotas(ctx.mv)) };
    },
  },
];
