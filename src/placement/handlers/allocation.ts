// /allocations/{consumer_uuid}, POST /allocations (1.13+) and /resource_providers/{uuid}/allocations.
import { isUuidLike } from '../../common/ids.ts';
import type { HandlerResult, RequestContext } from '../context.ts';
import { newest } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import type { Microversion } from '../microversion.ts';
import {
  allocationsOfConsumer,
  allocationsOnProvider,
  deleteConsumerAllocations,
} from '../objects/allocation.ts';
import { type ConsumerWrite, writeAllocations } from '../objects/allocation-write.ts';
import { getProvider } from '../objects/resource-provider.ts';
import { Rules } from '../policies.ts';
import {
  ALLOCATION_1_0,
  ALLOCATION_1_8,
  ALLOCATION_1_12,
  ALLOCATION_1_28,
  ALLOCATION_1_34,
  ALLOCATION_1_38,
  POST_ALLOCATIONS_1_13,
  POST_ALLOCATIONS_1_28,
  POST_ALLOCATIONS_1_34,
  POST_ALLOCATIONS_1_38,
} from '../schemas/allocation.ts';
import { byVersion } from '../schemas/by-version.ts';
import { extractJson } from '../schemas/validate.ts';
import { canonicalUuid } from './resource-provider.ts';

type Resources = Record<string, number>;

/** One consumer's allocations in the dict form (1.12+). */
export interface AllocationBody {
  allocations: Record<string, { resources: Resources; generation?: number }>;
  project_id?: string;
  user_id?: string;
  consumer_generation?: number | null;
  consumer_type?: string;
}

interface ListFormBody {
  allocations: { resource_provider: { uuid: string }; resources: Resources }[];
  project_id?: string;
  user_id?: string;
}

export async function listForConsumer(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.ALLOC_LIST);
  const found = await allocationsOfConsumer(ctx.deps.db, ctx.params.consumer_uuid);
  const allocations: Record<string, { resources: Resources; generation: number }> = {};
  for (const a of found?.allocations ?? []) {
    const entry = allocations[a.provider_uuid] ?? { resources: {}, generation: a.provider_generation };
    entry.resources[a.resource_class] = a.used;
    allocations[a.provider_uuid] = entry;
  }
  const mv = ctx.mv;
  const extra =
    found && mv.atLeast('1.12')
      ? {
          project_id: found.project_id,
          user_id: found.user_id,
          ...(mv.atLeast('1.28') ? { consumer_generation: found.generation } : {}),
          ...(mv.atLeast('1.38') ? { consumer_type: found.consumer_type ?? 'unknown' } : {}),
        }
      : {};
  const stamp = newest(
    (found?.allocations ?? []).map((a) => a.updated_at ?? a.created_at),
    ctx.deps.clock.now(),
  );
  return { status: 200, body: { allocations, ...extra }, lastModified: stamp };
}

export async function listForProvider(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RP_ALLOC_LIST);
  const uuid = ctx.params.uuid;
  const rp = await getProvider(
    ctx.deps.db,
    uuid,
    `Resource provider '${uuid}' not found: No resource provider with uuid ${uuid} found`,
  );
  const rows = await allocationsOnProvider(ctx.deps.db, rp.id);
  const allocations: Record<string, { resources: Resources; consumer_generation?: number | null }> = {};
  for (const a of rows) {
    const entry = allocations[a.consumer_uuid] ?? { resources: {} };
    entry.resources[a.resource_class] = a.used;
    if (ctx.mv.atLeast('1.28')) entry.consumer_generation = a.consumer_generation;
    allocations[a.consumer_uuid] = entry;
  }
  return {
    status: 200,
    body: { allocations, resource_provider_generation: rp.generation },
    lastModified: newest(
      rows.map((r) => r.updated_at ?? r.created_at),
      ctx.deps.clock.now(),
    ),
  };
}

const PUT_SCHEMAS = [
  ['1.38', ALLOCATION_1_38],
  ['1.34', ALLOCATION_1_34],
  ['1.28', ALLOCATION_1_28],
  ['1.12', ALLOCATION_1_12],
  ['1.8', ALLOCATION_1_8],
  ['1.0', ALLOCATION_1_0],
] as const;

/** A consumer's request body as a write (defaults for missing project/user before 1.8). */
export function consumerWrite(
  ctx: RequestContext,
  consumerUuid: string,
  body: AllocationBody,
): ConsumerWrite {
  const s = ctx.deps.settings;
  const mv: Microversion = ctx.mv;
  const hasOwner = body.project_id !== undefined;
  return {
    consumerUuid,
    projectId: hasOwner ? (body.project_id as string) : s.incompleteConsumerProjectId,
    userId: hasOwner ? (body.user_id as string) : s.incompleteConsumerUserId,
    consumerGeneration: mv.atLeast('1.28') ? (body.consumer_generation ?? null) : undefined,
    consumerType: mv.atLeast('1.38') ? body.consumer_type : undefined,
    allocations: new Map(Object.entries(body.allocations).map(([rp, a]) => [rp, a.resources])),
  };
}

function fromListForm(body: ListFormBody): AllocationBody {
  const allocations: AllocationBody['allocations'] = {};
  for (const a of body.allocations) allocations[a.resource_provider.uuid] = { resources: a.resources };
  return { ...body, allocations };
}

export async function putForConsumer(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.ALLOC_UPDATE);
  const raw = ctx.params.consumer_uuid;
  if (!isUuidLike(raw)) throw badRequest(`Malformed consumer_uuid: ${raw}`);
  const data = extractJson<AllocationBody | ListFormBody>(ctx.body, byVersion(PUT_SCHEMAS, ctx.mv));
  const body = ctx.mv.atLeast('1.12') ? (data as AllocationBody) : fromListForm(data as ListFormBody);
  const { db, clock, settings, log } = ctx.deps;
  await writeAllocations(db, [consumerWrite(ctx, canonicalUuid(raw), body)], {
    now: clock.now(),
    retries: settings.allocationConflictRetryCount,
    log,
  });
  return { status: 204 };
}

const POST_SCHEMAS = [
  ['1.38', POST_ALLOCATIONS_1_38],
  ['1.34', POST_ALLOCATIONS_1_34],
  ['1.28', POST_ALLOCATIONS_1_28],
  ['1.13', POST_ALLOCATIONS_1_13],
] as const;

export async function postAllocations(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.ALLOC_MANAGE);
  const data = extractJson<Record<string, AllocationBody>>(ctx.body, byVersion(POST_SCHEMAS, ctx.mv));
  const writes = Object.entries(data).map(([c, b]) => consumerWrite(ctx, c, b));
  const { db, clock, settings, log } = ctx.deps;
  await writeAllocations(db, writes, {
    now: clock.now(),
    retries: settings.allocationConflictRetryCount,
    log,
  });
  return { status: 204 };
}

export async function deleteForConsumer(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.ALLOC_DELETE);
  const uuid = ctx.params.consumer_uuid;
  const { db } = ctx.deps;
  const deleted = await db.kysely
    .transaction()
    .execute((trx) => deleteConsumerAllocations({ kysely: trx, caps: db.caps }, uuid));
  if (!deleted) throw notFound(`No allocations for consumer '${uuid}'`);
  return { status: 204 };
}
