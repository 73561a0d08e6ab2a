// Traits: the standard os-traits names (synced at start) and CUSTOM_* ones; which providers have
// which. Owns its SQL.
import { sql } from 'kysely';
import { isDuplicateEntry } from '../../db/errors.ts';
import { fromDbTime, toDbTime } from '../../db/time.ts';
import { toNumber } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';
import { STANDARD_TRAITS } from '../data/standard-traits.ts';
import { badRequest, conflict, notFound } from '../errors.ts';

export interface Trait {
  readonly id: number;
  readonly name: string;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export interface TraitFilters {
  readonly nameIn?: readonly string[];
  readonly prefix?: string;
  readonly associated?: boolean;
}

const toTrait = (r: { id: unknown; name: string; created_at: unknown; updated_at: unknown }): Trait =>
  Object.freeze({
    id: toNumber(r.id),
    name: r.name,
    created_at: fromDbTime(r.created_at),
    updated_at: fromDbTime(r.updated_at),
  });

export const SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE';
export const isCustomTrait = (name: string): boolean => name.startsWith('CUSTOM_');
export const noSuchTraits = (names: Iterable<string>) => `No such trait(s): ${[...names].join(', ')}.`;

/** Inserts the os-traits names missing from the table (idempotent; run at start). */
export async function ensureStandardTraits(db: Db, now: Date): Promise<void> {
  const have = new Set((await db.kysely.selectFrom('traits').select('name').execute()).map((r) => r.name));
  const missing = STANDARD_TRAITS.filter((n) => !have.has(n));
  for (let i = 0; i < missing.length; i += 200) {
    const rows = missing.slice(i, i + 200).map((name) => ({ name, created_at: toDbTime(now) }));
    try {
      await db.kysely.insertInto('traits').values(rows).execute();
    } catch (err) {
      if (!isDuplicateEntry(err)) throw err;
    }
  }
}

export async function listTraits(db: Db, f: TraitFilters = {}): Promise<readonly Trait[]> {
  let q = db.kysely.selectFrom('traits').selectAll('traits');
  if (f.nameIn) {
    if (f.nameIn.length === 0) return [];
    q = q.where('traits.name', 'in', [...f.nameIn]);
  }
  if (f.prefix !== undefined) {
    const pattern = `${f.prefix.replace(/[!%_]/g, '!$&')}%`;
    q = q.where(sql<boolean>`traits.name like ${pattern} escape '!'`);
  }
  if (f.associated !== undefined) {
    const linked = db.kysely.selectFrom('resource_provider_traits').select('trait_id');
    q = q.where('traits.id', f.associated ? 'in' : 'not in', linked);
  }
  return (await q.orderBy('traits.name').execute()).map(toTrait);
}

export async function findTrait(db: Db, name: string): Promise<Trait | undefined> {
  const row = await db.kysely.selectFrom('traits').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toTrait(row) : undefined;
}

export async function getTrait(db: Db, name: string): Promise<Trait> {
  const t = await findTrait(db, name);
  if (!t) throw notFound(noSuchTraits([name]));
  return t;
}

/** Creates a custom trait; returns [trait, created]. */
export async function ensureTrait(db: Db, name: string, now: Date): Promise<readonly [Trait, boolean]> {
  const found = await findTrait(db, name);
  if (found) return [found, false];
  try {
    await db.kysely
      .insertInto('traits')
      .values({ name, created_at: toDbTime(now) })
      .execute();
    return [await getTrait(db, name), true];
  } catch (err) {
    if (isDuplicateEntry(err)) return [await getTrait(db, name), false];
    throw err;
  }
}

export async function deleteTrait(db: Db, trait: Trait): Promise<void> {
  if (!isCustomTrait(trait.name)) throw badRequest(`Cannot delete standard trait ${trait.name}.`);
  const used = await db.kysely
    .selectFrom('resource_provider_traits')
    .select('trait_id')
    .where('trait_id', '=', trait.id)
    .limit(1)
    .executeTakeFirst();
  if (used) throw conflict(`The trait ${trait.name} is in use by a resource provider.`);
  await db.kysely.deleteFrom('traits').where('id', '=', trait.id).execute();
}

/** name → id; every name must exist (else `onMissing` with the unknown names). */
export async function traitIds(
  db: Db,
  names: Iterable<string>,
  onMissing: (missing: readonly string[]) => Error,
): Promise<ReadonlyMap<string, number>> {
  const wanted = [...new Set(names)];
  if (wanted.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('traits')
    .select(['id', 'name'])
    .where('name', 'in', wanted)
    .execute();
  const map = new Map(rows.map((r) => [r.name, toNumber(r.id)]));
  const missing = wanted.filter((n) => !map.has(n));
  if (missing.length > 0) throw onMissing(missing);
  return map;
}

export async function providerTraits(db: Db, providerId: number): Promise<readonly Trait[]> {
  const rows = await db.kysely
    .selectFrom('traits')
    .innerJoin('resource_provider_traits as rpt', 'rpt.trait_id', 'traits.id')
    .selectAll('traits')
    .where('rpt.resource_provider_id', '=', providerId)
    .orderBy('traits.name')
    .execute();
  return rows.map(toTrait);
}

/** Trait names of many providers at once (provider id → names). */
export async function traitNamesByProvider(
  db: Db,
  providerIds: readonly number[],
): Promise<ReadonlyMap<number, readonly string[]>> {
  const out = new Map<number, string[]>();
  for (let i = 0; i < providerIds.length; i += 5000) {
    const rows = await db.kysely
      .selectFrom('resource_provider_traits as rpt')
      .innerJoin('traits', 'traits.id', 'rpt.trait_id')
      .select(['rpt.resource_provider_id as rp', 'traits.name'])
      .where('rpt.resource_provider_id', 'in', providerIds.slice(i, i + 5000))
      .execute();
    for (const r of rows) {
      const id = toNumber(r.rp);
      out.set(id, [...(out.get(id) ?? []), r.name]);
    }
  }
  return out;
}

/** Replaces a provider's traits (the caller bumps the generation in the same transaction). */
export async function replaceProviderTraits(db: Db, providerId: number, ids: readonly number[], now: Date) {
  await db.kysely
    .deleteFrom('resource_provider_traits')
    .where('resource_provider_id', '=', providerId)
    .execute();
  if (ids.length === 0) return;
  await db.kysely
    .insertInto('resource_provider_traits')
    .values(
      ids.map((trait_id) => ({ resource_provider_id: providerId, trait_id, created_at: toDbTime(now) })),
    )
    .execute();
}

/** id → name of the given traits. */
export async function traitNamesById(db: Db, ids: Iterable<number>): Promise<ReadonlyMap<number, string>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Map();
  const rows = await db.kysely.selectFrom('traits').select(['id', 'name']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [toNumber(r.id), r.name]));
}
