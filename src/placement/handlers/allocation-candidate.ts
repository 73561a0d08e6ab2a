// GET /allocation_candidates (1.10+): parse → find (candidates/) → this view.

import { type CandidateResult, findAllocationCandidates } from '../candidates/index.ts';
import { parseGroups, parseWide, type RequestGroup } from '../candidates/request.ts';
import type { HandlerResult, RequestContext } from '../context.ts';
import type { Microversion } from '../microversion.ts';
import { classNames } from '../objects/resource-class.ts';
import { traitNamesById } from '../objects/trait.ts';
import { Rules } from '../policies.ts';
import { LIST_CANDIDATES } from '../schemas/allocation-candidate.ts';
import { byVersion } from '../schemas/by-version.ts';
import { validateQuery } from '../schemas/validate.ts';

interface Names {
  readonly rc: ReadonlyMap<number, string>;
  readonly trait: ReadonlyMap<number, string>;
}

function requestsView(res: CandidateResult, names: Names, mv: Microversion) {
  const dict = mv.atLeast('1.12');
  const withMappings = mv.atLeast('1.34');
  return res.requests.map((r) => {
    const byRp = new Map<number, Record<string, number>>();
    for (const it of r.items) {
      let resources = byRp.get(it.rpId);
      if (!resources) {
        resources = {};
        byRp.set(it.rpId, resources);
      }
      resources[names.rc.get(it.rcId) as string] = it.amount;
    }
    if (!dict)
      return {
        allocations: [...byRp].map(([rp, resources]) => ({
          resource_provider: { uuid: res.uuidOf(rp) },
          resources,
        })),
      };
    const allocations: Record<string, { resources: Record<string, number> }> = {};
    for (const [rp, resources] of byRp) allocations[res.uuidOf(rp)] = { resources };
    if (!withMappings) return { allocations };
    const mappings: Record<string, string[]> = {};
    for (const [s, ps] of r.mappings) mappings[s] = [...ps].map(res.uuidOf);
    return { allocations, mappings };
  });
}

function summariesView(
  res: CandidateResult,
  names: Names,
  groups: readonly RequestGroup[],
  mv: Microversion,
) {
  const requested = new Set(groups.flatMap((g) => Object.keys(g.resources)));
  const [allClasses, withTraits, withTree] = [mv.atLeast('1.27'), mv.atLeast('1.17'), mv.atLeast('1.29')];
  const out: Record<string, unknown> = {};
  for (const s of res.summaries) {
    const resources: Record<string, { capacity: number; used: number }> = {};
    for (const inv of s.inventories) {
      const rc = names.rc.get(inv.rcId) as string;
      if (allClasses || requested.has(rc)) resources[rc] = { capacity: inv.capacity, used: inv.used };
    }
    const entry: Record<string, unknown> = { resources };
    if (withTraits) entry.traits = [...s.info.traits].map((t) => names.trait.get(t)).sort();
    if (withTree) {
      entry.parent_provider_uuid = s.info.parentId === null ? null : res.uuidOf(s.info.parentId);
      entry.root_provider_uuid = res.uuidOf(s.info.rootId);
    }
    out[s.info.uuid] = entry;
  }
  return out;
}

export async function listAllocationCandidates(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.CANDIDATES_LIST);
  validateQuery(ctx.query.last(), byVersion(LIST_CANDIDATES, ctx.mv));
  const wide = parseWide(ctx.query);
  const groups = parseGroups(ctx.query, ctx.mv, wide);
  const { db, settings, clock } = ctx.deps;
  const res = await findAllocationCandidates(db, groups, wide, {
    nestedAware: ctx.mv.atLeast('1.29'),
    maxCandidates: settings.maxAllocationCandidates,
  });
  const names: Names = {
    rc: await classNames(db),
    trait: await traitNamesById(
      db,
      res.summaries.flatMap((s) => [...s.info.traits]),
    ),
  };
  return {
    status: 200,
    body: {
      allocation_requests: requestsView(res, names, ctx.mv),
      provider_summaries: summariesView(res, names, groups, ctx.mv),
    },
    lastModified: clock.now(),
  };
}
