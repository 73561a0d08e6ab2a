// The fast path for the common case: one request group, no provider trees, no sharing providers.
// Every matching provider is one candidate, so providers are read page by page in id order and
// checked in memory against the inventories (with usage) that the summaries need anyway; reading
// stops once `limit` candidates are found.
import type { PlacementDbHandle as Db } from '../context.ts';
import type { AllocationRequest } from './assemble.ts';
import type { CandidateResult, ProviderSummary } from './index.ts';
import {
  type InventoryTerms,
  inventoriesWithUsage,
  providerPage,
  type ResolvedGroup,
  traitsOf,
} from './search.ts';

function fits(invs: readonly InventoryTerms[] | undefined, rg: ResolvedGroup): boolean {
  if (!invs) return false;
  for (const [rcId, amount] of rg.resources) {
    const inv = invs.find((i) => i.rcId === rcId);
    if (!inv) return false;
    if (amount < inv.minUnit || amount > inv.maxUnit || amount % inv.stepSize !== 0) return false;
    if (inv.used + amount > inv.rawCapacity) return false;
  }
  return true;
}

interface Match {
  readonly id: number;
  readonly uuid: string;
  readonly inventories: readonly InventoryTerms[];
}

async function matches(db: Db, rg: ResolvedGroup, limit: number | undefined, roots?: ReadonlySet<number>) {
  const out: Match[] = [];
  const size = Math.max(100, limit ?? 1000);
  let after = 0;
  for (;;) {
    const page = await providerPage(db, rg, after, size, roots);
    if (page.length === 0) return out;
    const invs = await inventoriesWithUsage(
      db,
      page.map((p) => p.id),
    );
    for (const p of page) {
      const mine = invs.get(p.id);
      if (!fits(mine, rg)) continue;
      out.push({ id: p.id, uuid: p.uuid, inventories: mine ?? [] });
      if (limit !== undefined && out.length >= limit) return out;
    }
    if (page.length < size) return out;
    after = page[page.length - 1].id;
  }
}

export async function flatCandidates(
  db: Db,
  rg: ResolvedGroup,
  limit: number | undefined,
  roots?: ReadonlySet<number>,
): Promise<CandidateResult> {
  const found = await matches(db, rg, limit, roots);
  const traits = await traitsOf(
    db,
    found.map((m) => m.id),
  );
  const uuids = new Map(found.map((m) => [m.id, m.uuid]));
  const requests: AllocationRequest[] = found.map((m) => ({
    anchor: m.id,
    items: [...rg.resources].map(([rcId, amount]) => ({ rpId: m.id, rcId, amount })),
    mappings: new Map([[rg.group.suffix, new Set([m.id])]]),
  }));
  const summaries: ProviderSummary[] = found.map((m) => ({
    info: {
      id: m.id,
      uuid: m.uuid,
      parentId: null,
      rootId: m.id,
      traits: traits.get(m.id) ?? new Set(),
      aggs: new Set(),
    },
    inventories: m.inventories,
  }));
  return {
    requests,
    summaries,
    uuidOf: (id) => uuids.get(id) ?? '',
    rootOf: (id) => id,
    parentOf: () => null,
  };
}
