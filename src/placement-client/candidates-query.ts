// A RequestSpec as a GET /allocation_candidates query (what upstream's ResourceRequest builds):
// the unsuffixed group gets the flavor's VCPU, MEMORY_MB and DISK_GB unless an extra spec already
// asks for that class, `resources[$S]:<RC>=N` extra specs add or override (0 drops the class),
// `trait[$S]:<NAME>=required|forbidden` from the flavor and `trait:<NAME>` from the image become
// required/forbidden traits, the requested destination's aggregates become member_of (and `!in:`
// for forbidden ones), a forced node becomes in_tree, and [scheduler] max_placement_results the limit.
import type { RequestSpec } from '../scheduler/types.ts';

/** One request group: suffix '' is the unsuffixed group (resources may spread over a tree). */
export interface RequestGroup {
  readonly suffix: string;
  readonly resources: Readonly<Record<string, number>>;
  readonly required: readonly string[];
  readonly forbidden: readonly string[];
  /** Each entry: aggregates any one of which will do (member_of=in:a,b). */
  readonly memberOf: readonly (readonly string[])[];
  readonly forbiddenAggregates: readonly string[];
  readonly inTree?: string;
}

export interface ResourceRequest {
  readonly groups: readonly RequestGroup[];
  readonly groupPolicy?: string;
  readonly limit?: number;
}

export interface CandidatesQueryOptions {
  /** [scheduler] max_placement_results is read from here unless `limit` is given. */
  readonly conf?: { readonly scheduler: { readonly max_placement_results: number } };
  readonly limit?: number;
  /**
   * Compute node uuids of a forced host/node (force_hosts, force_nodes or requested_destination):
   * one becomes in_tree; several drop the limit so none of them is cut off.
   */
  readonly forcedNodes?: readonly string[];
}

/** Extra spec keys: resources[$S]:<RC>, trait[$S]:<NAME> ($S = digits or _NAME, as placement 1.33). */
const SUFFIX = '([1-9][0-9]*|_[A-Za-z0-9_-]{1,64})?';
const RESOURCES_KEY = new RegExp(`^resources${SUFFIX}:([A-Z0-9_]+)$`);
const TRAIT_KEY = new RegExp(`^trait${SUFFIX}:([A-Za-z0-9_]+)$`);
const GROUP_POLICIES = new Set(['none', 'isolate']);

interface Draft {
  resources: Map<string, number>;
  traits: Map<string, 'required' | 'forbidden'>;
  memberOf: string[][];
  forbiddenAggregates: Set<string>;
  inTree?: string;
}

const draft = (): Draft => ({
  resources: new Map(),
  traits: new Map(),
  memberOf: [],
  forbiddenAggregates: new Set(),
});

/** Ceiling of swap MB in GB, as the disk placement asks for (upstream convert_mb_to_ceil_gb). */
export const swapGb = (swapMb: number): number => (swapMb > 0 ? Math.ceil(swapMb / 1024) : 0);

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

/** The request groups and request-wide parameters of a spec. */
export function resourceRequest(spec: RequestSpec, opts: CandidatesQueryOptions = {}): ResourceRequest {
  const groups = new Map<string, Draft>();
  const group = (suffix: string) => {
    let g = groups.get(suffix);
    if (!g) {
      g = draft();
      groups.set(suffix, g);
    }
    return g;
  };
  group('');
  const flavor = spec.flavor;
  const specs = flavor.extra_specs ?? {};
  for (const [key, value] of Object.entries(specs)) {
    const r = RESOURCES_KEY.exec(key);
    if (r) {
      if (!/^\d+$/.test(value.trim())) continue;
      group(r[1] ?? '').resources.set(r[2], Number(value.trim()));
      continue;
    }
    const t = TRAIT_KEY.exec(key);
    if (t && (value === 'required' || value === 'forbidden')) group(t[1] ?? '').traits.set(t[2], value);
  }
  // Image traits join the unsuffixed group; the flavor decides when both name a trait.
  const unsuffixed = group('');
  for (const [key, value] of Object.entries(spec.image?.properties ?? {})) {
    const t = /^trait:([A-Za-z0-9_]+)$/.exec(key);
    if (t && (value === 'required' || value === 'forbidden') && !unsuffixed.traits.has(t[1]))
      unsuffixed.traits.set(t[1], value);
  }
  const asked = new Set([...groups.values()].flatMap((g) => [...g.resources.keys()]));
  if (!asked.has('VCPU') && !asked.has('PCPU')) unsuffixed.resources.set('VCPU', flavor.vcpus);
  if (!asked.has('MEMORY_MB')) unsuffixed.resources.set('MEMORY_MB', flavor.memory_mb);
  if (!asked.has('DISK_GB')) {
    const disk = (spec.is_bfv ? 0 : flavor.root_gb) + flavor.ephemeral_gb + swapGb(flavor.swap);
    unsuffixed.resources.set('DISK_GB', disk);
  }

  const dest = spec.requested_destination;
  for (const ored of dest?.aggregates ?? []) {
    const aggs = splitList(ored);
    if (aggs.length > 0) unsuffixed.memberOf.push(aggs);
  }
  for (const entry of dest?.forbidden_aggregates ?? [])
    for (const agg of splitList(entry)) unsuffixed.forbiddenAggregates.add(agg);

  let limit = opts.limit ?? opts.conf?.scheduler.max_placement_results;
  const forced = opts.forcedNodes ?? [];
  if (forced.length === 1) unsuffixed.inTree = forced[0];
  else if (forced.length > 1) limit = undefined;

  for (const g of groups.values()) for (const [rc, n] of g.resources) if (n <= 0) g.resources.delete(rc);
  if (unsuffixed.resources.size === 0 && groups.size > 1) {
    // Every resource is in numbered groups: the tree and aggregate limits go to each of them.
    for (const [suffix, g] of groups) {
      if (suffix === '') continue;
      g.inTree ??= unsuffixed.inTree;
      g.memberOf.push(...unsuffixed.memberOf);
      for (const a of unsuffixed.forbiddenAggregates) g.forbiddenAggregates.add(a);
    }
    unsuffixed.inTree = undefined;
    unsuffixed.memberOf = [];
    unsuffixed.forbiddenAggregates.clear();
  }
  const out: RequestGroup[] = [];
  for (const [suffix, g] of groups) {
    const resources = Object.fromEntries(g.resources);
    // A group asking for nothing is left out; one with traits but no resources is sent as it is
    // (placement refuses it, as it refuses such a flavor upstream).
    const constrained =
      g.traits.size > 0 || g.memberOf.length > 0 || g.forbiddenAggregates.size > 0 || g.inTree !== undefined;
    if (g.resources.size === 0 && !constrained) continue;
    const traitsOf = (kind: string) =>
      [...g.traits]
        .filter(([, v]) => v === kind)
        .map(([n]) => n)
        .sort();
    out.push(
      Object.freeze({
        suffix,
        resources: Object.freeze(resources),
        required: Object.freeze(traitsOf('required')),
        forbidden: Object.freeze(traitsOf('forbidden')),
        memberOf: Object.freeze(g.memberOf.map((a) => Object.freeze([...a].sort()))),
        forbiddenAggregates: Object.freeze([...g.forbiddenAggregates].sort()),
        ...(g.inTree ? { inTree: g.inTree } : {}),
      }),
    );
  }
  const policy = specs.group_policy;
  return Object.freeze({
    groups: Object.freeze(out),
    ...(policy && GROUP_POLICIES.has(policy) ? { groupPolicy: policy } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
}

/** The query parameters of a request, sorted (as upstream's to_querystring). */
export function toQuery(req: ResourceRequest): URLSearchParams {
  const params: [string, string][] = [];
  if (req.limit !== undefined) params.push(['limit', String(req.limit)]);
  if (req.groupPolicy) params.push(['group_policy', req.groupPolicy]);
  for (const g of req.groups) {
    const s = g.suffix;
    const resources = Object.entries(g.resources)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rc, n]) => `${rc}:${n}`);
    params.push([`resources${s}`, resources.join(',')]);
    const traits = [...g.required, ...g.forbidden.map((t) => `!${t}`)];
    if (traits.length > 0) params.push([`required${s}`, traits.join(',')]);
    for (const any of g.memberOf) params.push([`member_of${s}`, `in:${any.join(',')}`]);
    if (g.forbiddenAggregates.length > 0)
      params.push([`member_of${s}`, `!in:${g.forbiddenAggregates.join(',')}`]);
    if (g.inTree) params.push([`in_tree${s}`, g.inTree]);
  }
  params.sort(([ka, va], [kb, vb]) => (ka === kb ? va.localeCompare(vb) : ka < kb ? -1 : 1));
  return new URLSearchParams(params);
}

/** The GET /allocation_candidates query for a spec. */
export function candidatesQuery(spec: RequestSpec, opts: CandidatesQueryOptions = {}): URLSearchParams {
  return toQuery(resourceRequest(spec, opts));
}
