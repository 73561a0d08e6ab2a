// /resource_providers/{uuid}/aggregates (1.1+; with the provider generation from 1.19).
import { inTransaction } from '../../db/transaction.ts';
import type { HandlerResult, RequestContext } from '../context.ts';
import { conflict, ErrorCode, GenerationRace } from '../errors.ts';
import { providerAggregates, replaceProviderAggregates } from '../objects/aggregate.ts';
import { bumpGeneration, getProvider } from '../objects/resource-provider.ts';
import { Rules } from '../policies.ts';
import { PUT_AGGREGATES_1_1, PUT_AGGREGATES_1_19 } from '../schemas/misc.ts';
import { extractJson } from '../schemas/validate.ts';

function body(ctx: RequestContext, aggregates: readonly string[], generation: number): HandlerResult {
  const withGen = ctx.mv.atLeast('1.19') ? { resource_provider_generation: generation } : {};
  return { status: 200, body: { aggregates, ...withGen }, lastModified: ctx.deps.clock.now() };
}

export async function getAggregates(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.AGG_LIST);
  const rp = await getProvider(ctx.deps.db, ctx.params.uuid);
  return body(ctx, await providerAggregates(ctx.deps.db, rp.id), rp.generation);
}

export async function setAggregates(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.AGG_UPDATE);
  const { db, clock } = ctx.deps;
  const withGen = ctx.mv.atLeast('1.19');
  const rp = await getProvider(db, ctx.params.uuid);
  const data = extractJson<string[] | { aggregates: string[]; resource_provider_generation: number }>(
    ctx.body,
    withGen ? PUT_AGGREGATES_1_19 : PUT_AGGREGATES_1_1,
  );
  const stale = () =>
    conflict(
      "Resource provider's generation already changed. Please update the generation and try again.",
      ErrorCode.CONCURRENT_UPDATE,
    );
  const uuids = Array.isArray(data) ? data : data.aggregates;
  if (!Array.isArray(data) && data.resource_provider_generation !== rp.generation) throw stale();
  let generation = rp.generation;
  try {
    await inTransaction(db, async (trx) => {
      await replaceProviderAggregates(trx, rp.id, uuids, clock.now());
      if (withGen) generation = await bumpGeneration(trx, rp, clock.now());
    });
  } catch (err) {
    if (err instanceof GenerationRace)
      throw conflict(`Update conflict: ${err.message}`, ErrorCode.CONCURRENT_UPDATE);
    throw err;
  }
  return body(ctx, uuids, generation);
}
