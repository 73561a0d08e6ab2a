// Result assembly: combine the candidates of every request group per anchor tree (depth-first),
// keep the combinations that honour group_policy, same_subtree and capacity, sum what several
// groups take from one provider, stop at the limit.

import type { InventoryUse } from './search.ts';
import type { AllocItem, GroupCandidate } from './trees.ts';

export interface AllocationRequest {
  readonly anchor: number;
  readonly items: readonly AllocItem[];
  /** suffix → provider ids. */
  readonly mappings: ReadonlyMap<string, ReadonlySet<number>>;
}

export interface MergeOptions {
  readonly isolate: boolean;
  readonly sameSubtrees: readonly ReadonlySet<string>[];
  /** Parent id of each provider (same_subtree). */
  readonly parentOf: (id: number) => number | null;
  /** Capacity check of summed amounts; undefined when no sums can happen. */
  readonly use?: ReadonlyMap<number, readonly InventoryUse[]>;
  /** Providers' roots must differ inside one request (before 1.29 with trees present). */
  readonly rootOf?: (id: number) => number;
  readonly limit?: number;
}

function* combos(
  lists: readonly (readonly GroupCandidate[])[],
  i = 0,
  acc: GroupCandidate[] = [],
): Generator<GroupCandidate[]> {
  if (i === lists.length) {
    yield [...acc];
    return;
  }
  for (const c of lists[i]) {
    acc.push(c);
    yield* combos(lists, i + 1, acc);
    acc.pop();
  }
}

function isolated(set: readonly GroupCandidate[]): boolean {
  const granular = set.filter((c) => c.useSameProvider);
  return new Set(granular.map((c) => c.providers[0])).size === granular.length;
}

function ancestors(id: number, parentOf: (id: number) => number | null): Set<number> {
  const out = new Set<number>([id]);
  for (let p = parentOf(id); p !== null; p = parentOf(p)) out.add(p);
  return out;
}

function sameSubtree(set: readonly GroupCandidate[], opts: MergeOptions): boolean {
  for (const suffixes of opts.sameSubtrees) {
    const rps = [...new Set(set.filter((c) => suffixes.has(c.suffix)).flatMap((c) => c.providers))];
    if (rps.length <= 1) continue;
    const lines = rps.map((r) => ancestors(r, opts.parentOf));
    const common = (x: number) => lines.every((l) => l.has(x));
    if (!rps.some(common)) return false;
  }
  return true;
}

function consolidate(anchor: number, set: readonly GroupCandidate[]): AllocationRequest {
  const sums = new Map<string, AllocItem>();
  const mappings = new Map<string, Set<number>>();
  for (const c of set) {
    for (const it of c.items) {
      const k = `${it.rpId}:${it.rcId}`;
      const prev = sums.get(k);
      sums.set(k, prev ? { ...prev, amount: prev.amount + it.amount } : it);
    }
    const m = mappings.get(c.suffix) ?? new Set<number>();
    for (const p of c.providers) m.add(p);
    mappings.set(c.suffix, m);
  }
  return { anchor, items: [...sums.values()], mappings };
}

function fits(req: AllocationRequest, use: ReadonlyMap<number, readonly InventoryUse[]>): boolean {
  return req.items.every((it) => {
    const inv = use.get(it.rpId)?.find((u) => u.rcId === it.rcId);
    return !!inv && inv.used + it.amount <= inv.capacity && it.amount <= inv.maxUnit;
  });
}

function distinctRoots(req: AllocationRequest, rootOf: (id: number) => number): boolean {
  const rps = new Set(req.items.map((i) => i.rpId));
  return new Set([...rps].map(rootOf)).size === rps.size;
}

const keyOf = (r: AllocationRequest) =>
  `${r.items
    .map((i) => `${i.rpId}:${i.rcId}:${i.amount}`)
    .sort()
    .join(',')}|${[...r.mappings]
    .map(([s, p]) => `${s}=${[...p].sort().join('/')}`)
    .sort()
    .join(',')}`;

/** Every allocation request the groups' candidates make together, in a stable order. */
export function mergeCandidates(
  bySuffix: ReadonlyMap<string, readonly GroupCandidate[]>,
  opts: MergeOptions,
): AllocationRequest[] {
  const suffixes = [...bySuffix.keys()];
  const byAnchor = new Map<number, Map<string, GroupCandidate[]>>();
  for (const [suffix, cands] of bySuffix)
    for (const c of cands) {
      const m = byAnchor.get(c.anchor) ?? new Map<string, GroupCandidate[]>();
      byAnchor.set(c.anchor, m);
      m.set(suffix, [...(m.get(suffix) ?? []), c]);
    }
  const out = new Map<string, AllocationRequest>();
  for (const anchor of [...byAnchor.keys()].sort((a, b) => a - b)) {
    const m = byAnchor.get(anchor) as Map<string, GroupCandidate[]>;
    if (m.size !== suffixes.length) continue;
    for (const set of combos(suffixes.map((s) => m.get(s) as GroupCandidate[]))) {
      if (opts.isolate && !isolated(set)) continue;
      if (!sameSubtree(set, opts)) continue;
      const req = consolidate(anchor, set);
      if (opts.use && !fits(req, opts.use)) continue;
      if (opts.rootOf && !distinctRoots(req, opts.rootOf)) continue;
      const k = keyOf(req);
      if (!out.has(k)) out.set(k, req);
      if (opts.limit !== undefined && out.size >= opts.limit) return [...out.values()];
    }
  }
  return [...out.values()];
}
