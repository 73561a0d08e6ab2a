// Writing allocations for one or many consumers in one transaction (PUT/POST /allocations and the
// reshaper): consumer generation checks, capacity checks against (total - reserved) * ratio and
// min/max/step, then a compare-and-set on every touched provider's generation. A lost provider
// race rolls back and retries (allocation_conflict_retry_count); a stale consumer generation is 409.
import type { Logger } from '../../common/log.ts';
import { isDeadlock } from '../../db/errors.ts';
import { toDbTime } from '../../db/time.ts';
import { inTransaction } from '../../db/transaction.ts';
import { toNumber } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';
import { badRequest, ConcurrentUpdate, conflict, ErrorCode, GenerationRace } from '../errors.ts';
import {
  type Consumer,
  createConsumer,
  deleteConsumersWithoutAllocations,
  ensureConsumerType,
  ensureProject,
  ensureUser,
  findConsumer,
  touchConsumer,
} from './consumer.ts';
import { classIds } from './resource-class.ts';
import { bumpGeneration, providersByUuid } from './resource-provider.ts';

export interface ConsumerWrite {
  readonly consumerUuid: string;
  readonly projectId: string;
  readonly userId: string;
  /** Expected generation (null: must not exist); undefined: not checked (before 1.28). */
  readonly consumerGeneration?: number | null;
  /** From 1.38. */
  readonly consumerType?: string;
  /** provider uuid → class → amount; empty removes the consumer's allocations. */
  readonly allocations: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

export interface WriteDeps {
  readonly now: Date;
  readonly retries: number;
  readonly log: Logger;
}

interface Item {
  readonly consumer: string;
  readonly rpId: number;
  readonly rpUuid: string;
  readonly rcId: number;
  readonly rc: string;
  readonly used: number;
}

interface Prepared {
  readonly write: ConsumerWrite;
  readonly projectId: number;
  readonly userId: number;
  readonly typeId?: number;
}

type Items = readonly Omit<Item, 'consumer'>[];

async function prepare(db: Db, writes: readonly ConsumerWrite[], now: Date) {
  const rpUuids = [...new Set(writes.flatMap((w) => [...w.allocations.keys()]))];
  const providers = await providersByUuid(db, rpUuids);
  for (const u of rpUuids)
    if (!providers.has(u)) throw badRequest(`Allocation for resource provider '${u}' that does not exist.`);
  const names = writes.flatMap((w) => [...w.allocations.values()].flatMap((r) => Object.keys(r)));
  const rcIds = await classIds(db, names, (n) =>
    badRequest(
      `Unable to allocate inventory for consumer ${writes[0]?.consumerUuid}: No such resource class ${n}.`,
    ),
  );
  const prepared: Prepared[] = [];
  const items: Item[] = [];
  for (const w of writes) {
    prepared.push({
      write: w,
      projectId: await ensureProject(db, w.projectId, now),
      userId: await ensureUser(db, w.userId, now),
      typeId: w.consumerType === undefined ? undefined : await ensureConsumerType(db, w.consumerType, now),
    });
    for (const [uuid, res] of w.allocations) {
      const rp = providers.get(uuid);
      for (const [rc, used] of Object.entries(res))
        items.push({
          consumer: w.consumerUuid,
          rpId: rp?.id ?? 0,
          rpUuid: uuid,
          rcId: rcIds.get(rc) ?? 0,
          rc,
          used,
        });
    }
  }
  return { prepared, items };
}

async function checkConsumer(db: Db, p: Prepared, now: Date): Promise<Consumer> {
  const { write } = p;
  const existing = await findConsumer(db, write.consumerUuid);
  if (existing) {
    if (write.consumerGeneration !== undefined && write.consumerGeneration !== existing.generation)
      throw new ConcurrentUpdate(
        `consumer generation conflict - expected ${write.consumerGeneration} but got ${existing.generation}`,
      );
    return existing;
  }
  if (write.consumerGeneration !== undefined && write.consumerGeneration !== null)
    throw new ConcurrentUpdate(
      `consumer generation conflict - expected null but got ${write.consumerGeneration}`,
    );
  return createConsumer(db, write.consumerUuid, p, now);
}

/** Allocations of consumers that are being emptied, as zero-used items (their providers get bumped). */
async function zeroedItems(db: Db, consumers: readonly string[]): Promise<Item[]> {
  if (consumers.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('allocations as a')
    .innerJoin('resource_providers as rp', 'rp.id', 'a.resource_provider_id')
    .innerJoin('resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .select(['a.consumer_id', 'a.resource_provider_id', 'rp.uuid', 'a.resource_class_id', 'rc.name'])
    .where('a.consumer_id', 'in', [...consumers])
    .execute();
  return rows.map((r) => ({
    consumer: r.consumer_id,
    rpId: toNumber(r.resource_provider_id),
    rpUuid: r.uuid,
    rcId: toNumber(r.resource_class_id),
    rc: r.name,
    used: 0,
  }));
}

type UsageMap = Map<string, number>;
const key = (rp: number, rc: number) => `${rp}:${rc}`;

async function usage(db: Db, rpIds: readonly number[]): Promise<UsageMap> {
  const rows = await db.kysely
    .selectFrom('allocations')
    .select(['resource_provider_id', 'resource_class_id', (eb) => eb.fn.sum<number>('used').as('used')])
    .where('resource_provider_id', 'in', [...rpIds])
    .groupBy(['resource_provider_id', 'resource_class_id'])
    .execute();
  return new Map(
    rows.map((r) => [key(toNumber(r.resource_provider_id), toNumber(r.resource_class_id)), toNumber(r.used)]),
  );
}

const allocError = (detail: string) => conflict(`Unable to allocate inventory: ${detail}`);

async function checkCapacity(db: Db, items: Items, prev: UsageMap, current?: UsageMap): Promise<void> {
  const wanted = items.filter((i) => i.used > 0);
  if (wanted.length === 0) return;
  const rpIds = [...new Set(wanted.map((i) => i.rpId))];
  const invs = await db.kysely
    .selectFrom('inventories')
    .selectAll()
    .where('resource_provider_id', 'in', rpIds)
    .execute();
  const inv = new Map(
    invs.map((r) => [key(toNumber(r.resource_provider_id), toNumber(r.resource_class_id)), r]),
  );
  const used = current ?? (await usage(db, rpIds));
  const sums = new Map<string, number>();
  for (const i of wanted) {
    const k = key(i.rpId, i.rcId);
    sums.set(k, (sums.get(k) ?? 0) + i.used);
  }
  for (const i of wanted) {
    const k = key(i.rpId, i.rcId);
    const row = inv.get(k);
    if (!row) throw allocError(`Inventory for '${i.rc}' on resource provider '${i.rpUuid}' invalid.`);
    const [min, max, step] = [toNumber(row.min_unit), toNumber(row.max_unit), toNumber(row.step_size)];
    const what = `Unable to create allocation for '${i.rc}' on resource provider '${i.rpUuid}'.`;
    if (i.used < min || i.used > max || i.used % step !== 0)
      throw allocError(`${what} The requested amount would violate inventory constraints.`);
    const capacity = (toNumber(row.total) - toNumber(row.reserved)) * Number(row.allocation_ratio);
    const now = used.get(k) ?? 0;
    const all = now + (sums.get(k) ?? 0);
    if (capacity < now + i.used || capacity < all) {
      const before = prev.get(k);
      if (before === undefined || all > before)
        throw allocError(`${what} The requested amount would exceed the capacity.`);
    }
  }
}

async function insertItems(db: Db, items: readonly Item[], now: Date): Promise<void> {
  const rows = items
    .filter((i) => i.used > 0)
    .map((i) => ({
      resource_provider_id: i.rpId,
      resource_class_id: i.rcId,
      consumer_id: i.consumer,
      used: i.used,
      created_at: toDbTime(now),
      updated_at: toDbTime(now),
    }));
  for (let i = 0; i < rows.length; i += 500)
    await db.kysely
      .insertInto('allocations')
      .values(rows.slice(i, i + 500))
      .execute();
}

/** Extra work inside the write transaction, between removing old and adding new allocations. */
/** Returns the generations it moved (provider id → generation now) so the final bump expects them. */
export type MidWrite = (trx: Db) => Promise<ReadonlyMap<number, number>>;

async function writeOnce(
  db: Db,
  prepared: readonly Prepared[],
  base: readonly Item[],
  deps: WriteDeps,
  mid?: MidWrite,
) {
  const consumers = new Map<string, Consumer>();
  for (const p of prepared) consumers.set(p.write.consumerUuid, await checkConsumer(db, p, deps.now));
  const emptied = prepared.filter((p) => p.write.allocations.size === 0).map((p) => p.write.consumerUuid);
  const items = [...base, ...(await zeroedItems(db, emptied))];
  const rpIds = [...new Set(items.map((i) => i.rpId))].sort((a, b) => a - b);
  const gens = rpIds.length
    ? await db.kysely
        .selectFrom('resource_providers')
        .select(['id', 'generation'])
        .where('id', 'in', rpIds)
        .execute()
    : [];
  const prev = rpIds.length ? await usage(db, rpIds) : new Map();
  let removed = 0;
  if (consumers.size > 0) {
    const res = await db.kysely
      .deleteFrom('allocations')
      .where('consumer_id', 'in', [...consumers.keys()])
      .executeTakeFirst();
    removed = Number(res.numDeletedRows);
  }
  const moved = mid ? await mid(db) : new Map<number, number>();
  // Nothing removed and nothing reshaped: usage is still what was just read.
  await checkCapacity(db, items, prev, removed === 0 && !mid ? prev : undefined);
  await insertItems(db, items, deps.now);
  for (const g of gens) {
    const id = toNumber(g.id);
    await bumpGeneration(db, { id, generation: moved.get(id) ?? toNumber(g.generation) }, deps.now);
  }
  for (const p of prepared)
    await touchConsumer(db, consumers.get(p.write.consumerUuid) as Consumer, p, deps.now);
  const withAllocs = new Set(items.filter((i) => i.used > 0).map((i) => i.consumer));
  await deleteConsumersWithoutAllocations(
    db,
    [...consumers.keys()].filter((c) => !withAllocs.has(c)),
  );
}

function retryable(err: unknown): boolean {
  return err instanceof GenerationRace || isDeadlock(err);
}

/** Replaces the allocations of every consumer in `writes`, atomically. */
export async function writeAllocations(
  db: Db,
  writes: readonly ConsumerWrite[],
  deps: WriteDeps,
  mid?: MidWrite,
) {
  const { prepared, items } = await prepare(db, writes, deps.now);
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, (trx) => writeOnce(trx, prepared, items, deps, mid));
    } catch (err) {
      if (!retryable(err)) throw err;
      if (attempt >= deps.retries) {
        deps.log.warn({ attempts: attempt }, 'Exceeded retry limit on allocations write');
        throw conflict(
          'Inventory and/or allocations changed while attempting to allocate: ' +
            'Another thread concurrently updated the data. Please retry your update',
          ErrorCode.CONCURRENT_UPDATE,
        );
      }
      deps.log.debug({ attempt }, 'Retrying allocations write on resource provider generation conflict');
    }
  }
}
