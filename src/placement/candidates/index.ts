// GET /allocation_candidates, the algorithm's entry: resolve the groups (search.ts), find each
// group's candidates (trees.ts), combine them (assemble.ts), then load the provider summaries of
// the trees involved. One request group served by single providers with no sharing providers
// around (the common compute-node case) pushes the limit into SQL.
import type { PlacementDbHandle as Db } from '../context.ts';
import { type AllocationRequest, mergeCandidates } from './assemble.ts';
import { flatCandidates } from './flat.ts';
import type { RequestGroup, RequestWide } from './request.ts';
import {
  hasProviderTrees,
  type InventoryUse,
  inventoryUse,
  type ProviderInfo,
  providerInfo,
  providersInTrees,
  type ResolvedGroup,
  resolveGroup,
  rootsWithTraits,
  sharingProviderIds,
} from './search.ts';
import {
  type GroupCandidate,
  singleProviderCandidates,
  singleProviderMode,
  treeCandidates,
  type WalkContext,
} from './trees.ts';

export interface CandidateOptions {
  /** 1.29+: nested providers may serve one request together. */
  readonly nestedAware: boolean;
  /** [placement] max_allocation_candidates (-1: unbounded). */
  readonly maxCandidates: number;
}

export interface ProviderSummary {
  readonly info: ProviderInfo;
  readonly inventories: readonly InventoryUse[];
}

export interface CandidateResult {
  readonly requests: readonly AllocationRequest[];
  readonly summaries: readonly ProviderSummary[];
  /** uuid of every provider named by requests or summaries. */
  readonly uuidOf: (id: number) => string;
  readonly rootOf: (id: number) => number;
  readonly parentOf: (id: number) => number | null;
}

const EMPTY: CandidateResult = Object.freeze({
  requests: [],
  summaries: [],
  uuidOf: () => '',
  rootOf: () => 0,
  parentOf: () => null,
});

function effectiveLimit(wide: RequestWide, opts: CandidateOptions): number | undefined {
  const caps = [wide.limit, opts.maxCandidates >= 0 ? opts.maxCandidates : undefined].filter(
    (x): x is number => x !== undefined,
  );
  return caps.length ? Math.min(...caps) : undefined;
}

async function groupCandidates(ctx: WalkContext, resolved: readonly ResolvedGroup[], limit?: number) {
  const fast = resolved.length === 1 && singleProviderMode(ctx, resolved[0]) && ctx.sharing.size === 0;
  const out = new Map<string, GroupCandidate[]>();
  for (const rg of resolved) {
    const cands = singleProviderMode(ctx, rg)
      ? await singleProviderCandidates(ctx, rg, fast ? limit : undefined)
      : await treeCandidates(ctx, rg);
    if (cands.length === 0) return undefined;
    out.set(rg.group.suffix, cands);
  }
  return out;
}

export async function findAllocationCandidates(
  db: Db,
  groups: readonly RequestGroup[],
  wide: RequestWide,
  opts: CandidateOptions,
): Promise<CandidateResult> {
  const resolved: ResolvedGroup[] = [];
  for (const g of groups) {
    const rg = await resolveGroup(db, g);
    if (!rg) return EMPTY;
    resolved.push(rg);
  }
  const anchorRoots = await rootsWithTraits(db, wide);
  if (anchorRoots?.size === 0) return EMPTY;
  const hasTrees = await hasProviderTrees(db);
  const ctx: WalkContext = { db, hasTrees, sharing: await sharingProviderIds(db), anchorRoots };
  const limit = effectiveLimit(wide, opts);
  if (resolved.length === 1 && !hasTrees && ctx.sharing.size === 0 && resolved[0].resources.size > 0)
    return flatCandidates(db, resolved[0], limit, anchorRoots);
  const bySuffix = await groupCandidates(ctx, resolved, limit);
  if (!bySuffix) return EMPTY;
  const all = [...bySuffix.values()].flat();
  const ids = new Set(all.flatMap((c) => [...c.providers, ...c.items.map((i) => i.rpId)]));
  const info = await providerInfo(db, ids);
  if (wide.sameSubtrees.length)
    for (const [id, p] of await providerInfo(
      db,
      await providersInTrees(
        db,
        [...info.values()].map((p) => p.rootId),
      ),
    ))
      info.set(id, p);
  const requests = mergeCandidates(bySuffix, {
    isolate: wide.groupPolicy === 'isolate',
    sameSubtrees: wide.sameSubtrees,
    parentOf: (id) => info.get(id)?.parentId ?? null,
    use: resolved.length > 1 ? await inventoryUse(db, ids) : undefined,
    rootOf: !opts.nestedAware && hasTrees ? (id) => info.get(id)?.rootId ?? id : undefined,
    limit,
  });
  if (requests.length === 0) return EMPTY;
  return summarize(db, requests, info, !opts.nestedAware && hasTrees);
}

async function summarize(
  db: Db,
  requests: readonly AllocationRequest[],
  known: Map<number, ProviderInfo>,
  onlyUsed: boolean,
): Promise<CandidateResult> {
  const used = new Set(requests.flatMap((r) => r.items.map((i) => i.rpId)));
  const roots = new Set([...used].map((id) => known.get(id)?.rootId ?? id));
  const ids = onlyUsed ? [...used] : await providersInTrees(db, roots);
  const missing = ids.filter((id) => !known.has(id));
  for (const [id, p] of await providerInfo(db, missing)) known.set(id, p);
  const inv = await inventoryUse(db, ids);
  const summaries = ids
    .sort((a, b) => a - b)
    .map((id) => ({ info: known.get(id) as ProviderInfo, inventories: inv.get(id) ?? [] }));
  return {
    requests,
    summaries,
    uuidOf: (id) => known.get(id)?.uuid ?? '',
    rootOf: (id) => known.get(id)?.rootId ?? id,
    parentOf: (id) => known.get(id)?.parentId ?? null,
  };
}
