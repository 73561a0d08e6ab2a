// Tree walking: the candidates of ONE request group, each anchored at a tree root. A suffixed group
// (or any group when no trees or sharing providers exist) is served by one provider; the unsuffixed
// group may spread its classes over the providers of a tree plus sharing providers anchored to it.
import type { PlacementDbHandle as Db } from '../context.ts';
import { anchorsForSharing } from '../objects/aggregate.ts';
import {
  type ProviderInfo,
  type ProviderRoot,
  providerInfo,
  providersForGroup,
  providersWithCapacity,
  type ResolvedGroup,
} from './search.ts';

export interface AllocItem {
  readonly rpId: number;
  readonly rcId: number;
  readonly amount: number;
}

export interface GroupCandidate {
  readonly suffix: string;
  readonly anchor: number;
  readonly useSameProvider: boolean;
  readonly items: readonly AllocItem[];
  readonly providers: readonly number[];
}

export interface WalkContext {
  readonly db: Db;
  readonly hasTrees: boolean;
  readonly sharing: ReadonlySet<number>;
  /** Trees allowed by root_required (undefined: all). */
  readonly anchorRoots?: ReadonlySet<number>;
}

const allowed = (ctx: WalkContext, root: number) => !ctx.anchorRoots || ctx.anchorRoots.has(root);

/** Whether a group is served by a single provider. */
export const singleProviderMode = (ctx: WalkContext, rg: ResolvedGroup): boolean =>
  rg.group.useSameProvider || (!ctx.hasTrees && ctx.sharing.size === 0);

/** Candidates where one provider serves the whole group (plus anchors of sharing providers). */
export async function singleProviderCandidates(
  ctx: WalkContext,
  rg: ResolvedGroup,
  limit?: number,
): Promise<GroupCandidate[]> {
  const rows = await providersForGroup(ctx.db, rg, { limit, roots: limit ? ctx.anchorRoots : undefined });
  const shared = rows.filter(([id]) => ctx.sharing.has(id)).map(([id]) => id);
  const anchors = shared.length ? await anchorsForSharing(ctx.db, shared) : new Map<number, Set<number>>();
  const out: GroupCandidate[] = [];
  for (const [rpId, root] of rows) {
    const items = [...rg.resources].map(([rcId, amount]) => ({ rpId, rcId, amount }));
    const make = (anchor: number) => ({
      suffix: rg.group.suffix,
      anchor,
      useSameProvider: rg.group.useSameProvider,
      items,
      providers: [rpId],
    });
    if (allowed(ctx, root)) out.push(make(root));
    for (const a of anchors.get(rpId) ?? []) if (a !== root && allowed(ctx, a)) out.push(make(a));
  }
  return out;
}

const intersects = (a: ReadonlySet<number>, b: ReadonlySet<number>) => [...b].some((x) => a.has(x));

function inAggregates(rg: ResolvedGroup, p: ProviderInfo | undefined): boolean {
  return !!p && rg.memberOf.every((set) => intersects(p.aggs, set));
}

/** (provider, anchor root) options for one class: tree providers plus anchored sharing providers. */
async function classOptions(
  ctx: WalkContext,
  rg: ResolvedGroup,
  rows: readonly ProviderRoot[],
  info: ReadonlyMap<number, ProviderInfo>,
  anchors: ReadonlyMap<number, ReadonlySet<number>>,
): Promise<ProviderRoot[]> {
  const opts: ProviderRoot[] = [...rows];
  if (rg.treeRootId === undefined)
    for (const [rp] of rows)
      if (ctx.sharing.has(rp) && (rg.memberOf.length === 0 || inAggregates(rg, info.get(rp))))
        for (const a of anchors.get(rp) ?? []) opts.push([rp, a]);
  const seen = new Set<string>();
  return opts.filter(([rp, root]) => {
    const k = `${rp}:${root}`;
    if (seen.has(k) || !allowed(ctx, root)) return false;
    seen.add(k);
    const me = info.get(rp);
    const top = info.get(root);
    if (rg.memberOf.length && !inAggregates(rg, me) && !inAggregates(rg, top)) return false;
    if (
      rg.forbiddenAggs.size &&
      (intersects(me?.aggs ?? new Set(), rg.forbiddenAggs) ||
        intersects(top?.aggs ?? new Set(), rg.forbiddenAggs))
    )
      return false;
    return true;
  });
}

function traitsSatisfied(
  rg: ResolvedGroup,
  chosen: readonly number[],
  info: ReadonlyMap<number, ProviderInfo>,
): boolean {
  const all = new Set<number>();
  for (const id of chosen) {
    const traits = info.get(id)?.traits ?? new Set<number>();
    if (intersects(traits, rg.forbiddenTraits)) return false;
    for (const t of traits) all.add(t);
  }
  return rg.requiredTraits.every((any) => intersects(all, any));
}

function* product<T>(lists: readonly (readonly T[])[], i = 0, acc: T[] = []): Generator<T[]> {
  if (i === lists.length) {
    yield [...acc];
    return;
  }
  for (const x of lists[i]) {
    acc.push(x);
    yield* product(lists, i + 1, acc);
    acc.pop();
  }
}

/** Candidates of the unsuffixed group spread over a tree (and sharing providers). */
export async function treeCandidates(ctx: WalkContext, rg: ResolvedGroup): Promise<GroupCandidate[]> {
  const perClass: [number, number, ProviderRoot[]][] = [];
  for (const [rcId, amount] of rg.resources) {
    const rows = await providersWithCapacity(ctx.db, rcId, amount, rg.treeRootId);
    if (rows.length === 0) return [];
    perClass.push([rcId, amount, rows]);
  }
  const ids = new Set(perClass.flatMap(([, , rows]) => rows.flat()));
  const shared = [...ids].filter((id) => ctx.sharing.has(id));
  const anchors = shared.length ? await anchorsForSharing(ctx.db, shared) : new Map<number, Set<number>>();
  for (const set of anchors.values()) for (const a of set) ids.add(a);
  const info = await providerInfo(ctx.db, ids);
  const byAnchor = new Map<number, Map<number, AllocItem[]>>();
  for (const [rcId, amount, rows] of perClass) {
    for (const [rp, root] of await classOptions(ctx, rg, rows, info, anchors)) {
      const m = byAnchor.get(root) ?? new Map<number, AllocItem[]>();
      byAnchor.set(root, m);
      m.set(rcId, [...(m.get(rcId) ?? []), { rpId: rp, rcId, amount }]);
    }
  }
  const out: GroupCandidate[] = [];
  for (const anchor of [...byAnchor.keys()].sort((a, b) => a - b)) {
    const m = byAnchor.get(anchor) as Map<number, AllocItem[]>;
    if (m.size !== rg.resources.size) continue;
    for (const items of product([...m.values()])) {
      const providers = [...new Set(items.map((i) => i.rpId))];
      if (!traitsSatisfied(rg, providers, info)) continue;
      out.push({ suffix: rg.group.suffix, anchor, useSameProvider: false, items, providers });
    }
  }
  return out;
}
