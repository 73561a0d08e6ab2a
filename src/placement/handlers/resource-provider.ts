// /resource_providers and /resource_providers/{uuid}.
import { newUuid } from '../../common/ids.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { HandlerResult, RequestContext } from '../context.ts';
import { newest } from '../context.ts';
import { badRequest } from '../errors.ts';
import type { Microversion } from '../microversion.ts';
import { listProviders, type ProviderFilters } from '../objects/provider-list.ts';
import {
  createProvider,
  deleteProvider,
  getProvider,
  ObjectActionError,
  type ResourceProvider,
  updateProvider,
} from '../objects/resource-provider.ts';
import { Rules } from '../policies.ts';
import { memberOfParam, parseResources, traitsParam } from '../query-params.ts';
import { byVersion } from '../schemas/by-version.ts';
import {
  LIST_PROVIDERS,
  POST_PROVIDER,
  POST_PROVIDER_1_14,
  PUT_PROVIDER,
  PUT_PROVIDER_1_14,
} from '../schemas/resource-provider.ts';
import { extractJson, validateQuery } from '../schemas/validate.ts';

export const providerUrl = (uuid: string) => `/resource_providers/${uuid}`;

function links(rp: ResourceProvider, mv: Microversion) {
  const self = providerUrl(rp.uuid);
  const rels = ['inventories', 'usages'];
  if (mv.atLeast('1.1')) rels.push('aggregates');
  if (mv.atLeast('1.6')) rels.push('traits');
  if (mv.atLeast('1.11')) rels.push('allocations');
  return [{ rel: 'self', href: self }, ...rels.map((rel) => ({ rel, href: `${self}/${rel}` }))];
}

export function providerView(rp: ResourceProvider, mv: Microversion) {
  return {
    uuid: rp.uuid,
    name: rp.name,
    generation: rp.generation,
    ...(mv.atLeast('1.14')
      ? { parent_provider_uuid: rp.parent_provider_uuid, root_provider_uuid: rp.root_provider_uuid }
      : {}),
    links: links(rp, mv),
  };
}

/** uuid with dashes, lower case (upstream normalises with uuid.UUID). */
export function canonicalUuid(u: string): string {
  const hex = u.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface ProviderBody {
  name: string;
  uuid?: string;
  parent_provider_uuid?: string | null;
}

export async function createResourceProvider(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_CREATE);
  const data = extractJson<ProviderBody>(
    ctx.body,
    ctx.mv.atLeast('1.14') ? POST_PROVIDER_1_14 : POST_PROVIDER,
  );
  const uuid = data.uuid ? canonicalUuid(data.uuid) : newUuid();
  const { db, clock } = ctx.deps;
  let rp: ResourceProvider;
  try {
    rp = await inTransaction(db, (trx) =>
      createProvider(
        trx,
        { uuid, name: data.name, parent_provider_uuid: data.parent_provider_uuid },
        clock.now(),
      ),
    );
  } catch (err) {
    if (err instanceof ObjectActionError)
      throw badRequest(`Unable to create resource provider "${data.name}", ${uuid}: ${err.message}`);
    throw err;
  }
  const location = providerUrl(rp.uuid);
  if (!ctx.mv.atLeast('1.20')) return { status: 201, location };
  return {
    status: 200,
    location,
    body: providerView(rp, ctx.mv),
    lastModified: newest([rp.updated_at, rp.created_at], clock.now()),
  };
}

export async function getResourceProvider(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_SHOW);
  const rp = await getProvider(ctx.deps.db, ctx.params.uuid);
  return {
    status: 200,
    body: providerView(rp, ctx.mv),
    lastModified: newest([rp.updated_at ?? rp.created_at], ctx.deps.clock.now()),
  };
}

function filtersOf(ctx: RequestContext): ProviderFilters {
  const q = ctx.query;
  const f: { -readonly [K in keyof ProviderFilters]: ProviderFilters[K] } = {};
  if (q.has('member_of')) {
    const a = memberOfParam(q, ctx.mv);
    f.memberOf = a.memberOf;
    f.forbiddenAggs = a.forbidden;
  }
  if (q.has('required')) {
    const t = traitsParam(q, ctx.mv);
    f.requiredTraits = t.required;
    f.forbiddenTraits = t.forbidden;
  }
  if (q.has('uuid')) f.uuid = q.get('uuid');
  if (q.has('name')) f.name = q.get('name');
  if (q.has('in_tree')) f.inTree = q.get('in_tree');
  if (q.has('resources')) f.resources = parseResources(q.get('resources') as string);
  return f;
}

export async function listResourceProviders(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_LIST);
  validateQuery(ctx.query.last(), byVersion(LIST_PROVIDERS, ctx.mv));
  const rps = await listProviders(ctx.deps.db, filtersOf(ctx));
  return {
    status: 200,
    body: { resource_providers: rps.map((rp) => providerView(rp, ctx.mv)) },
    lastModified: newest(
      rps.map((rp) => rp.updated_at ?? rp.created_at),
      ctx.deps.clock.now(),
    ),
  };
}

export async function updateResourceProvider(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_UPDATE);
  const { db, clock } = ctx.deps;
  const uuid = ctx.params.uuid;
  const rp = await getProvider(db, uuid);
  const data = extractJson<Omit<ProviderBody, 'uuid'>>(
    ctx.body,
    ctx.mv.atLeast('1.14') ? PUT_PROVIDER_1_14 : PUT_PROVIDER,
  );
  let updated: ResourceProvider;
  try {
    updated = await inTransaction(db, (trx) =>
      updateProvider(trx, rp, data, ctx.mv.atLeast('1.37'), clock.now()),
    );
  } catch (err) {
    if (err instanceof ObjectActionError)
      throw badRequest(
        `Unable to save resource provider ${uuid}: Object action update failed because: ${err.message}`,
      );
    throw err;
  }
  return {
    status: 200,
    body: providerView(updated, ctx.mv),
    lastModified: newest([updated.updated_at], clock.now()),
  };
}

export async function deleteResourceProvider(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_DELETE);
  const uuid = ctx.params.uuid;
  const { db } = ctx.deps;
  await inTransaction(db, async (trx) => {
    const rp = await getProvider(trx, uuid, `No resource provider with uuid ${uuid} found for delete`);
    await deleteProvider(trx, rp);
  });
  return { status: 204 };
}
