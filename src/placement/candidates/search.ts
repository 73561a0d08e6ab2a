// Query building for allocation candidates: which providers can serve a request group (or one
// resource class of it), the trees and sharing providers around them. Everything that touches
// SQL lives here; tree walking and assembly work on what these return.
import { type RawBuilder, sql } from 'kysely';
import { toNumber, toNumberOrNull } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';
import { badRequest } from '../errors.ts';
import { aggregateIds } from '../objects/aggregate.ts';
import { hasCapacity } from '../objects/capacity-sql.ts';
import { classIds, noSuchClass } from '../objects/resource-class.ts';
import { findProvider } from '../objects/resource-provider.ts';
import { noSuchTraits, SHARING_TRAIT, traitIds } from '../objects/trait.ts';
import type { RequestGroup, RequestWide } from './request.ts';

/** A request group with every name turned into an id. */
export interface ResolvedGroup {
  readonly group: RequestGroup;
  readonly resources: ReadonlyMap<number, number>;
  readonly requiredTraits: readonly ReadonlySet<number>[];
  readonly forbiddenTraits: ReadonlySet<number>;
  readonly memberOf: readonly ReadonlySet<number>[];
  readonly forbiddenAggs: ReadonlySet<number>;
  readonly treeRootId?: number;
}

/** [provider id, root id] */
export type ProviderRoot = readonly [number, number];

const lits = (ids: Iterable<number>) => {
  const list = [...ids];
  return list.length ? sql.join(list.map((i) => sql.lit(i))) : sql`null`;
};

/** Names → ids; unknown classes/traits are 400, unknown aggregates or in_tree mean "no match". */
export async function resolveGroup(db: Db, g: RequestGroup): Promise<ResolvedGroup | undefined> {
  const rcs = await classIds(db, Object.keys(g.resources), (n) =>
    badRequest(`Invalid resource class in resources parameter: ${noSuchClass(n)}`),
  );
  const traitNames = [...g.requiredTraits.flatMap((s) => [...s]), ...g.forbiddenTraits];
  const traits = await traitIds(db, traitNames, (missing) => badRequest(noSuchTraits(missing)));
  const aggs = await aggregateIds(db, [...g.memberOf.flatMap((s) => [...s]), ...g.forbiddenAggs]);
  const aggSet = (s: ReadonlySet<string>) =>
    new Set([...s].flatMap((u) => (aggs.has(u) ? [aggs.get(u) as number] : [])));
  const memberOf = g.memberOf.map(aggSet);
  if (memberOf.some((s) => s.size === 0)) return undefined;
  let treeRootId: number | undefined;
  if (g.inTree) {
    const anchor = await findProvider(db, g.inTree);
    if (!anchor) return undefined;
    treeRootId = anchor.root_provider_id;
  }
  return Object.freeze({
    group: g,
    resources: new Map(Object.entries(g.resources).map(([n, a]) => [rcs.get(n) as number, a])),
    requiredTraits: g.requiredTraits.map((s) => new Set([...s].map((n) => traits.get(n) as number))),
    forbiddenTraits: new Set([...g.forbiddenTraits].map((n) => traits.get(n) as number)),
    memberOf,
    forbiddenAggs: aggSet(g.forbiddenAggs),
    treeRootId,
  });
}

function ownFilters(rg: ResolvedGroup): RawBuilder<boolean>[] {
  const conds: RawBuilder<boolean>[] = [];
  for (const any of rg.requiredTraits)
    conds.push(
      sql`rp.id in (select resource_provider_id from resource_provider_traits where trait_id in (${lits(any)}))`,
    );
  if (rg.forbiddenTraits.size)
    conds.push(
      sql`rp.id not in (select resource_provider_id from resource_provider_traits where trait_id in (${lits(rg.forbiddenTraits)}))`,
    );
  for (const any of rg.memberOf)
    conds.push(
      sql`rp.id in (select resource_provider_id from resource_provider_aggregates where aggregate_id in (${lits(any)}))`,
    );
  if (rg.forbiddenAggs.size)
    conds.push(
      sql`rp.id not in (select resource_provider_id from resource_provider_aggregates where aggregate_id in (${lits(rg.forbiddenAggs)}))`,
    );
  return conds;
}

async function select(
  db: Db,
  conds: readonly RawBuilder<boolean>[],
  limit?: number,
): Promise<ProviderRoot[]> {
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const lim = limit ? sql`limit ${sql.lit(limit)}` : sql``;
  const res = await sql<{ id: unknown; root_provider_id: unknown }>`select rp.id, rp.root_provider_id
    from resource_providers rp ${where} order by rp.id ${lim}`.execute(db.kysely);
  return res.rows.map((r) => [toNumber(r.id), toNumber(r.root_provider_id)] as const);
}

export interface SingleOptions {
  readonly limit?: number;
  /** Only providers in these trees (root_required), when set. */
  readonly roots?: ReadonlySet<number>;
}

/** Providers that alone satisfy the whole group: capacity for every class, own traits and aggregates. */
export function providersForGroup(
  db: Db,
  rg: ResolvedGroup,
  opts: SingleOptions = {},
): Promise<ProviderRoot[]> {
  const conds = [...ownFilters(rg)];
  for (const [rc, amount] of rg.resources) conds.push(hasCapacity('rp.id', rc, amount));
  if (rg.treeRootId !== undefined) conds.push(sql`rp.root_provider_id = ${sql.lit(rg.treeRootId)}`);
  if (opts.roots) conds.push(sql`rp.root_provider_id in (${lits(opts.roots)})`);
  return select(db, conds, opts.limit);
}

/** Providers with capacity for one class (optionally within one tree). */
export function providersWithCapacity(
  db: Db,
  rcId: number,
  amount: number,
  rootId?: number,
): Promise<ProviderRoot[]> {
  const conds = [hasCapacity('rp.id', rcId, amount)];
  if (rootId !== undefined) conds.push(sql`rp.root_provider_id = ${sql.lit(rootId)}`);
  return select(db, conds);
}

export async function hasProviderTrees(db: Db): Promise<boolean> {
  const row = await db.kysely
    .selectFrom('resource_providers')
    .select('id')
    .where('parent_provider_id', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function sharingProviderIds(db: Db): Promise<Set<number>> {
  const rows = await db.kysely
    .selectFrom('resource_provider_traits as rpt')
    .innerJoin('traits as t', 't.id', 'rpt.trait_id')
    .select('rpt.resource_provider_id')
    .where('t.name', '=', SHARING_TRAIT)
    .execute();
  return new Set(rows.map((r) => toNumber(r.resource_provider_id)));
}

/** Root providers having every required trait and none of the forbidden ones (root_required). */
export async function rootsWithTraits(db: Db, wide: RequestWide): Promise<Set<number> | undefined> {
  if (!wide.rootRequired.size && !wide.rootForbidden.size) return undefined;
  const ids = await traitIds(db, [...wide.rootRequired, ...wide.rootForbidden], (m) =>
    badRequest(noSuchTraits(m)),
  );
  const conds: RawBuilder<boolean>[] = [sql`rp.parent_provider_id is null`];
  for (const n of wide.rootRequired)
    conds.push(
      sql`rp.id in (select resource_provider_id from resource_provider_traits where trait_id = ${sql.lit(ids.get(n) as number)})`,
    );
  if (wide.rootForbidden.size)
    conds.push(
      sql`rp.id not in (select resource_provider_id from resource_provider_traits where trait_id in (${lits([...wide.rootForbidden].map((n) => ids.get(n) as number))}))`,
    );
  return new Set((await select(db, conds)).map(([id]) => id));
}

export interface ProviderInfo {
  readonly id: number;
  readonly uuid: string;
  readonly parentId: number | null;
  readonly rootId: number;
  readonly traits: ReadonlySet<number>;
  readonly aggs: ReadonlySet<number>;
}

const CHUNK = 5000;

/** uuid, tree position, trait ids and aggregate ids of the given providers. */
export async function providerInfo(db: Db, ids: Iterable<number>): Promise<Map<number, ProviderInfo>> {
  const list = [...new Set(ids)];
  const out = new Map<number, ProviderInfo>();
  for (let i = 0; i < list.length; i += CHUNK) {
    const part = list.slice(i, i + CHUNK);
    const rows = await sql<{
      id: unknown;
      uuid: string;
      parent_provider_id: unknown;
      root_provider_id: unknown;
    }>`
      select id, uuid, parent_provider_id, root_provider_id from resource_providers where id in (${lits(part)})`.execute(
      db.kysely,
    );
    const traits = await sql<{ p: unknown; t: unknown }>`select resource_provider_id as p, trait_id as t
      from resource_provider_traits where resource_provider_id in (${lits(part)})`.execute(db.kysely);
    const aggs = await sql<{ p: unknown; a: unknown }>`select resource_provider_id as p, aggregate_id as a
      from resource_provider_aggregates where resource_provider_id in (${lits(part)})`.execute(db.kysely);
    const tmap = group(traits.rows.map((r) => [toNumber(r.p), toNumber(r.t)]));
    const amap = group(aggs.rows.map((r) => [toNumber(r.p), toNumber(r.a)]));
    for (const r of rows.rows) {
      const id = toNumber(r.id);
      out.set(id, {
        id,
        uuid: r.uuid,
        parentId: toNumberOrNull(r.parent_provider_id),
        rootId: toNumber(r.root_provider_id),
        traits: tmap.get(id) ?? new Set(),
        aggs: amap.get(id) ?? new Set(),
      });
    }
  }
  return out;
}

function group(pairs: readonly (readonly [number, number])[]): Map<number, Set<number>> {
  const m = new Map<number, Set<number>>();
  for (const [k, v] of pairs) {
    if (!m.has(k)) m.set(k, new Set());
    m.get(k)?.add(v);
  }
  return m;
}

/** Ids of every provider in the given trees. */
export async function providersInTrees(db: Db, roots: Iterable<number>): Promise<number[]> {
  const list = [...new Set(roots)];
  const out: number[] = [];
  for (let i = 0; i < list.length; i += CHUNK) {
    const res = await sql<{ id: unknown }>`select id from resource_providers
      where root_provider_id in (${lits(list.slice(i, i + CHUNK))})`.execute(db.kysely);
    out.push(...res.rows.map((r) => toNumber(r.id)));
  }
  return out;
}

export interface InventoryUse {
  readonly rcId: number;
  readonly capacity: number;
  readonly used: number;
  readonly maxUnit: number;
}

/** Inventories (capacity, used, max_unit) of the given providers, by provider id. */
export async function inventoryUse(db: Db, ids: Iterable<number>): Promise<Map<number, InventoryUse[]>> {
  const list = [...new Set(ids)];
  const out = new Map<number, InventoryUse[]>();
  for (let i = 0; i < list.length; i += CHUNK) {
    const part = lits(list.slice(i, i + CHUNK));
    const inv = await sql<
      Record<string, unknown>
    >`select resource_provider_id as p, resource_class_id as rc, total,
      reserved, allocation_ratio, max_unit from inventories where resource_provider_id in (${part})`.execute(
      db.kysely,
    );
    const use = await sql<Record<string, unknown>>`select resource_provider_id as p, resource_class_id as rc,
      sum(used) as used from allocations where resource_provider_id in (${part})
      group by resource_provider_id, resource_class_id`.execute(db.kysely);
    const used = new Map(use.rows.map((r) => [`${toNumber(r.p)}:${toNumber(r.rc)}`, toNumber(r.used)]));
    for (const r of inv.rows) {
      const p = toNumber(r.p);
      const rcId = toNumber(r.rc);
      const entry: InventoryUse = {
        rcId,
        capacity: Math.floor((toNumber(r.total) - toNumber(r.reserved)) * Number(r.allocation_ratio)),
        used: used.get(`${p}:${rcId}`) ?? 0,
        maxUnit: toNumber(r.max_unit),
      };
      out.set(p, [...(out.get(p) ?? []), entry]);
    }
  }
  return out;
}

/** One page of providers (id order, after `afterId`) passing the group's trait/aggregate/tree filters. */
export async function providerPage(
  db: Db,
  rg: ResolvedGroup,
  afterId: number,
  size: number,
  roots?: ReadonlySet<number>,
): Promise<{ id: number; uuid: string }[]> {
  const conds = [...ownFilters(rg), sql<boolean>`rp.id > ${sql.lit(afterId)}`];
  if (rg.treeRootId !== undefined) conds.push(sql`rp.root_provider_id = ${sql.lit(rg.treeRootId)}`);
  if (roots) conds.push(sql`rp.root_provider_id in (${lits(roots)})`);
  const res = await sql<{ id: unknown; uuid: string }>`select rp.id, rp.uuid from resource_providers rp
    where ${sql.join(conds, sql` and `)} order by rp.id limit ${sql.lit(size)}`.execute(db.kysely);
  return res.rows.map((r) => ({ id: toNumber(r.id), uuid: r.uuid }));
}

export interface InventoryTerms extends InventoryUse {
  readonly minUnit: number;
  readonly stepSize: number;
  /** (total - reserved) * ratio, unrounded (what the capacity test compares with). */
  readonly rawCapacity: number;
}

/** Every inventory of the providers with its current usage, by provider id. */
export async function inventoriesWithUsage(
  db: Db,
  ids: readonly number[],
): Promise<Map<number, InventoryTerms[]>> {
  const out = new Map<number, InventoryTerms[]>();
  if (ids.length === 0) return out;
  const res = await sql<
    Record<string, unknown>
  >`select i.resource_provider_id as p, i.resource_class_id as rc,
      i.total, i.reserved, i.allocation_ratio as ratio, i.min_unit, i.max_unit, i.step_size,
      (select coalesce(sum(a.used), 0) from allocations a where a.resource_provider_id = i.resource_provider_id
        and a.resource_class_id = i.resource_class_id) as used
    from inventories i where i.resource_provider_id in (${lits(ids)})`.execute(db.kysely);
  for (const r of res.rows) {
    const p = toNumber(r.p);
    const raw = (toNumber(r.total) - toNumber(r.reserved)) * Number(r.ratio);
    const list = out.get(p) ?? [];
    if (list.length === 0) out.set(p, list);
    list.push({
      rcId: toNumber(r.rc),
      capacity: Math.floor(raw),
      rawCapacity: raw,
      used: toNumber(r.used),
      maxUnit: toNumber(r.max_unit),
      minUnit: toNumber(r.min_unit),
      stepSize: toNumber(r.step_size),
    });
  }
  return out;
}

/** Trait ids by provider. */
export async function traitsOf(db: Db, ids: readonly number[]): Promise<Map<number, Set<number>>> {
  if (ids.length === 0) return new Map();
  const res = await sql<{ p: unknown; t: unknown }>`select resource_provider_id as p, trait_id as t
    from resource_provider_traits where resource_provider_id in (${lits(ids)})`.execute(db.kysely);
  return group(res.rows.map((r) => [toNumber(r.p), toNumber(r.t)]));
}
