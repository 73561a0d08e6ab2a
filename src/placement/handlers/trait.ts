// /traits, /traits/{name} and /resource_providers/{uuid}/traits (1.6+).
import { inTransaction } from '../../db/transaction.ts';
import type { HandlerResult, RequestContext } from '../context.ts';
import { newest } from '../context.ts';
import { badRequest, conflict, ErrorCode, GenerationRace } from '../errors.ts';
import { bumpGeneration, getProvider } from '../objects/resource-provider.ts';
import {
  deleteTrait,
  ensureTrait,
  getTrait,
  listTraits,
  providerTraits,
  replaceProviderTraits,
  type Trait,
  type TraitFilters,
} from '../objects/trait.ts';
import { Rules } from '../policies.ts';
import { CUSTOM_TRAIT, LIST_TRAITS, SET_PROVIDER_TRAITS } from '../schemas/misc.ts';
import { extractJson, schemaError, validateQuery } from '../schemas/validate.ts';

const traitUrl = (name: string) => `/traits/${name}`;

function nameFilter(value: string): TraitFilters {
  const at = value.indexOf(':');
  if (at < 0)
    throw badRequest(
      `Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: "${value}"`,
    );
  const [op, rest] = [value.slice(0, at), value.slice(at + 1)];
  if (op === 'in') return { nameIn: rest.split(',') };
  if (op === 'startswith') return { prefix: rest };
  return {};
}

const stamp = (ctx: RequestContext, traits: readonly Trait[]) =>
  newest(
    traits.map((t) => t.updated_at ?? t.created_at),
    ctx.deps.clock.now(),
  );

export async function listAllTraits(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.TRAIT_LIST);
  validateQuery(ctx.query.last(), LIST_TRAITS);
  let filters: TraitFilters = ctx.query.has('name') ? nameFilter(ctx.query.get('name') as string) : {};
  const assoc = ctx.query.get('associated');
  if (assoc !== undefined) {
    if (!['true', 'false'].includes(assoc.toLowerCase()))
      throw badRequest('The query parameter "associated" only accepts "true" or "false"');
    filters = { ...filters, associated: assoc.toLowerCase() === 'true' };
  }
  const traits = await listTraits(ctx.deps.db, filters);
  return { status: 200, body: { traits: traits.map((t) => t.name) }, lastModified: stamp(ctx, traits) };
}

export async function getOneTrait(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.TRAIT_SHOW);
  const t = await getTrait(ctx.deps.db, ctx.params.name);
  return { status: 204, lastModified: t.created_at ?? ctx.deps.clock.now() };
}

export async function putTrait(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.TRAIT_UPDATE);
  const name = ctx.params.name;
  if (schemaError(CUSTOM_TRAIT, name))
    throw badRequest(
      'The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"',
    );
  const [t, created] = await ensureTrait(ctx.deps.db, name, ctx.deps.clock.now());
  return {
    status: created ? 201 : 204,
    location: traitUrl(t.name),
    lastModified: t.created_at ?? ctx.deps.clock.now(),
  };
}

export async function deleteOneTrait(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.TRAIT_DELETE);
  const t = await getTrait(ctx.deps.db, ctx.params.name);
  await deleteTrait(ctx.deps.db, t);
  return { status: 204 };
}

export async function listProviderTraits(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_TRAIT_LIST);
  const uuid = ctx.params.uuid;
  const rp = await getProvider(ctx.deps.db, uuid, `No resource provider with uuid ${uuid} found`);
  const traits = await providerTraits(ctx.deps.db, rp.id);
  return {
    status: 200,
    body: { traits: traits.map((t) => t.name), resource_provider_generation: rp.generation },
    lastModified: stamp(ctx, traits),
  };
}

export async function setProviderTraits(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_TRAIT_UPDATE);
  const { db, clock } = ctx.deps;
  const data = extractJson<{ traits: string[]; resource_provider_generation: number }>(
    ctx.body,
    SET_PROVIDER_TRAITS,
  );
  const rp = await getProvider(db, ctx.params.uuid);
  const stale = () =>
    conflict(
      "Resource provider's generation already changed. Please update the generation and try again.",
      ErrorCode.CONCURRENT_UPDATE,
    );
  if (rp.generation !== data.resource_provider_generation) throw stale();
  const traits = await listTraits(db, { nameIn: data.traits });
  const have = new Set(traits.map((t) => t.name));
  const missing = [...new Set(data.traits)].filter((n) => !have.has(n));
  if (missing.length) throw badRequest(`No such trait ${missing.join(', ')}`);
  let generation: number;
  try {
    generation = await inTransaction(db, async (trx) => {
      await replaceProviderTraits(
        trx,
        rp.id,
        traits.map((t) => t.id),
        clock.now(),
      );
      return bumpGeneration(trx, rp, clock.now());
    });
  } catch (err) {
    if (err instanceof GenerationRace) throw stale();
    throw err;
  }
  return {
    status: 200,
    body: { traits: traits.map((t) => t.name), resource_provider_generation: generation },
    lastModified: stamp(ctx, traits),
  };
}

export async function deleteProviderTraits(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_TRAIT_DELETE);
  const { db, clock } = ctx.deps;
  const rp = await getProvider(db, ctx.params.uuid);
  try {
    await inTransaction(db, async (trx) => {
      await replaceProviderTraits(trx, rp.id, [], clock.now());
      await bumpGeneration(trx, rp, clock.now());
    });
  } catch (err) {
    if (err instanceof GenerationRace) throw conflict(err.message, ErrorCode.CONCURRENT_UPDATE);
    throw err;
  }
  return { status: 204 };
}
