// /resource_providers/{uuid}/usages and /usages (1.9+; by consumer type from 1.38).
import type { HandlerResult, RequestContext } from '../context.ts';
import { getProvider } from '../objects/resource-provider.ts';
import { providerUsages, totalUsages, usagesByConsumerType } from '../objects/usage.ts';
import { Rules } from '../policies.ts';
import { GET_USAGES_1_9, GET_USAGES_1_38 } from '../schemas/misc.ts';
import { validateQuery } from '../schemas/validate.ts';

export async function listProviderUsages(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_USAGES);
  const uuid = ctx.params.uuid;
  const rp = await getProvider(ctx.deps.db, uuid, `No resource provider with uuid ${uuid} found`);
  const usages = await providerUsages(ctx.deps.db, rp.id);
  return {
    status: 200,
    body: { resource_provider_generation: rp.generation, usages },
    lastModified: ctx.deps.clock.now(),
  };
}

export async function getTotalUsages(ctx: RequestContext): Promise<HandlerResult> {
  const q = ctx.query;
  const projectId = q.get('project_id');
  ctx.can(Rules.TOTAL_USAGES, { project_id: projectId });
  const byType = ctx.mv.atLeast('1.38');
  validateQuery(q.last(), byType ? GET_USAGES_1_38 : GET_USAGES_1_9);
  const filter = { projectId: projectId as string, userId: q.get('user_id') };
  const usages = byType
    ? await usagesByConsumerType(ctx.deps.db, filter, q.get('consumer_type'))
    : await totalUsages(ctx.deps.db, filter);
  return { status: 200, body: { usages }, lastModified: ctx.deps.clock.now() };
}
