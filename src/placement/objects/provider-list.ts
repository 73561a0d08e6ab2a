// GET /resource_providers filters: name, uuid, in_tree, member_of (AND of any-of sets, and
// forbidden), required traits (AND of any-of sets, and forbidden) and resources with capacity.
import { sql } from 'kysely';
import type { PlacementDbHandle as Db } from '../context.ts';
import { badRequest } from '../errors.ts';
import { aggregateIds } from './aggregate.ts';
import { hasCapacity } from './capacity-sql.ts';
import { classIds, noSuchClass } from './resource-class.ts';
import { findProvider, providerQuery, type ResourceProvider, toProvider } from './resource-provider.ts';
import { noSuchTraits, traitIds } from './trait.ts';

export interface ProviderFilters {
  readonly name?: string;
  readonly uuid?: string;
  readonly inTree?: string;
  readonly memberOf?: readonly ReadonlySet<string>[];
  readonly forbiddenAggs?: ReadonlySet<string>;
  readonly requiredTraits?: readonly ReadonlySet<string>[];
  readonly forbiddenTraits?: ReadonlySet<string>;
  readonly resources?: Readonly<Record<string, number>>;
}

const inList = (ids: readonly number[]) => (ids.length ? sql.join(ids.map((i) => sql.lit(i))) : sql`null`);

async function traitConditions(db: Db, f: ProviderFilters) {
  const names = [...(f.requiredTraits ?? []).flatMap((s) => [...s]), ...(f.forbiddenTraits ?? [])];
  const ids = await traitIds(db, names, (missing) =>
    badRequest(`Invalid trait(s) in "required" parameter: ${noSuchTraits(missing)}`),
  );
  const conds = (f.requiredTraits ?? []).map(
    (set) =>
      sql<boolean>`rp.id in (select resource_provider_id from resource_provider_traits
        where trait_id in (${inList([...set].map((n) => ids.get(n) as number))}))`,
  );
  if (f.forbiddenTraits?.size)
    conds.push(sql<boolean>`rp.id not in (select resource_provider_id from resource_provider_traits
      where trait_id in (${inList([...f.forbiddenTraits].map((n) => ids.get(n) as number))}))`);
  return conds;
}

async function aggregateConditions(db: Db, f: ProviderFilters) {
  const known = await aggregateIds(db, [
    ...(f.memberOf ?? []).flatMap((s) => [...s]),
    ...(f.forbiddenAggs ?? []),
  ]);
  const idsOf = (set: ReadonlySet<string>) =>
    [...set].map((u) => known.get(u)).filter((x): x is number => x !== undefined);
  const conds = (f.memberOf ?? []).map(
    (set) =>
      sql<boolean>`rp.id in (select resource_provider_id from resource_provider_aggregates
        where aggregate_id in (${inList(idsOf(set))}))`,
  );
  const bad = f.forbiddenAggs ? idsOf(f.forbiddenAggs) : [];
  if (bad.length)
    conds.push(sql<boolean>`rp.id not in (select resource_provider_id from resource_provider_aggregates
      where aggregate_id in (${inList(bad)}))`);
  return conds;
}

export async function listProviders(db: Db, f: ProviderFilters = {}): Promise<readonly ResourceProvider[]> {
  let q = providerQuery(db);
  if (f.name !== undefined) q = q.where('rp.name', '=', f.name);
  if (f.uuid !== undefined) q = q.where('rp.uuid', '=', f.uuid);
  if (f.inTree !== undefined) {
    const anchor = await findProvider(db, f.inTree);
    if (!anchor) return [];
    q = q.where('rp.root_provider_id', '=', anchor.root_provider_id);
  }
  const conds = [...(await traitConditions(db, f)), ...(await aggregateConditions(db, f))];
  if (f.resources) {
    const ids = await classIds(db, Object.keys(f.resources), (n) =>
      badRequest(`Invalid resource class in resources parameter: ${noSuchClass(n)}`),
    );
    for (const [rc, amount] of Object.entries(f.resources))
      conds.push(hasCapacity('rp.id', ids.get(rc) as number, amount));
  }
  for (const c of conds) q = q.where(c);
  const rows = await q.orderBy('rp.id').execute();
  return rows.map((r) => toProvider(r as Parameters<typeof toProvider>[0]));
}
