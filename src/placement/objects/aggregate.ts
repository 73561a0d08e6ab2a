// Provider aggregates (placement_aggregates + resource_provider_aggregates). Owns its SQL.
import { isDuplicateEntry } from '../../db/errors.ts';
import { toDbTime } from '../../db/time.ts';
import { toNumber } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';

export async function providerAggregates(db: Db, providerId: number): Promise<readonly string[]> {
  const rows = await db.kysely
    .selectFrom('resource_provider_aggregates as rpa')
    .innerJoin('placement_aggregates as a', 'a.id', 'rpa.aggregate_id')
    .select('a.uuid')
    .where('rpa.resource_provider_id', '=', providerId)
    .orderBy('a.uuid')
    .execute();
  return rows.map((r) => r.uuid);
}

async function ensureAggregateIds(db: Db, uuids: readonly string[], now: Date): Promise<readonly number[]> {
  const ids: number[] = [];
  for (const uuid of uuids) {
    let row = await db.kysely
      .selectFrom('placement_aggregates')
      .select('id')
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    if (!row) {
      try {
        await db.kysely
          .insertInto('placement_aggregates')
          .values({ uuid, created_at: toDbTime(now) })
          .execute();
      } catch (err) {
        if (!isDuplicateEntry(err)) throw err;
      }
      row = await db.kysely
        .selectFrom('placement_aggregates')
        .select('id')
        .where('uuid', '=', uuid)
        .executeTakeFirstOrThrow();
    }
    ids.push(toNumber(row.id));
  }
  return ids;
}

/** Replaces a provider's aggregates (the caller bumps the generation when the version wants it). */
export async function replaceProviderAggregates(
  db: Db,
  providerId: number,
  uuids: readonly string[],
  now: Date,
) {
  const ids = await ensureAggregateIds(db, [...new Set(uuids)], now);
  await db.kysely
    .deleteFrom('resource_provider_aggregates')
    .where('resource_provider_id', '=', providerId)
    .execute();
  if (ids.length === 0) return;
  await db.kysely
    .insertInto('resource_provider_aggregates')
    .values(
      ids.map((aggregate_id) => ({
        resource_provider_id: providerId,
        aggregate_id,
        created_at: toDbTime(now),
      })),
    )
    .execute();
}

/** Aggregate uuid → id for those that exist. */
export async function aggregateIds(db: Db, uuids: Iterable<string>): Promise<ReadonlyMap<string, number>> {
  const list = [...new Set(uuids)];
  if (list.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('placement_aggregates')
    .select(['id', 'uuid'])
    .where('uuid', 'in', list)
    .execute();
  return new Map(rows.map((r) => [r.uuid, toNumber(r.id)]));
}

/**
 * Providers in at least one aggregate of every set (member_of: AND of ORs). An empty result when
 * a set names no known aggregate.
 */
export async function providersInAggregates(
  db: Db,
  memberOf: readonly ReadonlySet<string>[],
): Promise<Set<number>> {
  const known = await aggregateIds(
    db,
    memberOf.flatMap((s) => [...s]),
  );
  let result: Set<number> | undefined;
  for (const set of memberOf) {
    const ids = [...set].map((u) => known.get(u)).filter((x): x is number => x !== undefined);
    if (ids.length === 0) return new Set();
    const rows = await db.kysely
      .selectFrom('resource_provider_aggregates')
      .select('resource_provider_id')
      .distinct()
      .where('aggregate_id', 'in', ids)
      .execute();
    const these = new Set(rows.map((r) => toNumber(r.resource_provider_id)));
    result = result ? new Set([...result].filter((x) => these.has(x))) : these;
    if (result.size === 0) return result;
  }
  return result ?? new Set();
}

/** Providers in any of the aggregates (forbidden member_of). */
export async function providersInAnyAggregate(db: Db, uuids: ReadonlySet<string>): Promise<Set<number>> {
  if (uuids.size === 0) return new Set();
  return providersInAggregates(db, [uuids]);
}

/** Sharing provider id → root ids of every provider that shares an aggregate with it. */
export async function anchorsForSharing(
  db: Db,
  sharingIds: readonly number[],
): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>();
  if (sharingIds.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('resource_provider_aggregates as sa')
    .innerJoin('resource_provider_aggregates as oa', 'oa.aggregate_id', 'sa.aggregate_id')
    .innerJoin('resource_providers as other', 'other.id', 'oa.resource_provider_id')
    .select(['sa.resource_provider_id as sp', 'other.root_provider_id as root'])
    .where('sa.resource_provider_id', 'in', [...sharingIds])
    .execute();
  for (const r of rows) {
    const sp = toNumber(r.sp);
    if (!out.has(sp)) out.set(sp, new Set());
    out.get(sp)?.add(toNumber(r.root));
  }
  return out;
}
