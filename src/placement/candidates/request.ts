// GET /allocation_candidates query → request groups and request-wide parameters (upstream
// lib.RequestGroup / RequestWideParams), with every microversion rule and upstream message.
import type { QueryParams } from '../context.ts';
import { badRequest, ErrorCode } from '../errors.ts';
import type { Microversion } from '../microversion.ts';
import { inTreeParam, memberOfParam, parseResources, parseTraits, traitsParam } from '../query-params.ts';
import { GROUP_PAT, GROUP_PAT_1_33 } from '../schemas/common.ts';

export interface RequestGroup {
  readonly suffix: string;
  /** Suffixed groups are satisfied by one provider each. */
  readonly useSameProvider: boolean;
  readonly resources: Readonly<Record<string, number>>;
  readonly requiredTraits: readonly ReadonlySet<string>[];
  readonly forbiddenTraits: ReadonlySet<string>;
  readonly memberOf: readonly ReadonlySet<string>[];
  readonly forbiddenAggs: ReadonlySet<string>;
  readonly inTree?: string;
}

export interface RequestWide {
  readonly limit?: number;
  readonly groupPolicy?: 'none' | 'isolate';
  readonly rootRequired: ReadonlySet<string>;
  readonly rootForbidden: ReadonlySet<string>;
  readonly sameSubtrees: readonly ReadonlySet<string>[];
}

export function parseWide(q: QueryParams): RequestWide {
  const limit = q.getAll('limit')[0];
  const policy = q.getAll('group_policy')[0] as RequestWide['groupPolicy'];
  const roots = q.getAll('root_required');
  let rootRequired = new Set<string>();
  let rootForbidden = new Set<string>();
  if (roots.length > 1)
    throw badRequest(
      "Query parameter 'root_required' may be specified only once.",
      ErrorCode.ILLEGAL_DUPLICATE_QUERYPARAM,
    );
  if (roots.length === 1) {
    const t = parseTraits(roots[0], true, false);
    rootRequired = new Set(t.required.flatMap((s) => [...s]));
    rootForbidden = new Set(t.forbidden);
    const clash = [...rootForbidden].filter((x) => rootRequired.has(x));
    if (clash.length)
      throw badRequest(
        `Conflicting required and forbidden traits found in root_required: ${clash.join(', ')}`,
        ErrorCode.QUERYPARAM_BAD_VALUE,
      );
  }
  const sameSubtrees = q.getAll('same_subtree').map((v) => new Set(v.split(',').map((s) => s.trim())));
  if (sameSubtrees.some((s) => s.has('')))
    throw badRequest(
      'Empty string (unsuffixed group) can not be specified in `same_subtree` ',
      ErrorCode.QUERYPARAM_BAD_VALUE,
    );
  return {
    limit: limit === undefined ? undefined : Number(limit),
    groupPolicy: policy,
    rootRequired,
    rootForbidden,
    sameSubtrees,
  };
}

interface Draft {
  resources: Readonly<Record<string, number>>;
  requiredTraits: readonly ReadonlySet<string>[];
  forbiddenTraits: ReadonlySet<string>;
  memberOf: readonly ReadonlySet<string>[];
  forbiddenAggs: ReadonlySet<string>;
  inTree?: string;
}

function parseItems(q: QueryParams, mv: Microversion): Map<string, Draft> {
  const pat = new RegExp(
    `^(resources|required|member_of|in_tree)(${mv.atLeast('1.33') ? GROUP_PAT_1_33 : GROUP_PAT})?$`,
  );
  const out = new Map<string, Draft>();
  for (const key of q.keys()) {
    const m = pat.exec(key);
    if (!m) continue;
    const suffix = m[2] ?? '';
    const g = out.get(suffix) ?? {
      resources: {},
      requiredTraits: [],
      forbiddenTraits: new Set<string>(),
      memberOf: [],
      forbiddenAggs: new Set<string>(),
    };
    out.set(suffix, g);
    const value = q.get(key) as string;
    if (m[1] === 'resources') g.resources = parseResources(value);
    else if (m[1] === 'required') {
      const t = traitsParam(q, mv, suffix);
      g.requiredTraits = t.required;
      g.forbiddenTraits = t.forbidden;
    } else if (m[1] === 'member_of') {
      const a = memberOfParam(q, mv, suffix);
      g.memberOf = a.memberOf;
      g.forbiddenAggs = a.forbidden;
    } else g.inTree = inTreeParam(value);
  }
  return out;
}

const hasResources = (g: Draft) => Object.keys(g.resources).length > 0;

function checkSubtrees(groups: Map<string, Draft>, wide: RequestWide): void {
  const resourceless = [...groups].filter(([, g]) => !hasResources(g)).map(([s]) => s);
  if (resourceless.length === groups.size)
    throw badRequest(
      'There must be at least one resources or resources[$S] parameter.',
      ErrorCode.QUERYPARAM_MISSING_VALUE,
    );
  const inSubtrees = new Set(wide.sameSubtrees.flatMap((s) => [...s]));
  const bad = resourceless.filter((s) => !inSubtrees.has(s));
  if (bad.length)
    throw badRequest(
      `Resourceless suffixed group request should be specified in \`same_subtree\` query param: bad group(s) - ${JSON.stringify(bad).replace(/"/g, "'")}.`,
      ErrorCode.QUERYPARAM_BAD_VALUE,
    );
  const unknown = [...inSubtrees].filter((s) => !groups.has(s));
  if (unknown.length)
    throw badRequest(
      `Real suffixes should be specified in \`same_subtree\`: ${JSON.stringify(unknown).replace(/"/g, "'")} not found in ${JSON.stringify([...groups.keys()]).replace(/"/g, "'")}.`,
      ErrorCode.QUERYPARAM_BAD_VALUE,
    );
}

function checkOrphans(groups: Map<string, Draft>): void {
  const traitOrphans = [...groups]
    .filter(([, g]) => g.requiredTraits.length && !hasResources(g))
    .map(([s]) => `required${s}`);
  if (traitOrphans.length)
    throw badRequest(
      `All traits parameters must be associated with resources.  Found the following orphaned traits keys: ${traitOrphans.join(', ')}`,
    );
  const aggOrphans = [...groups]
    .filter(([, g]) => !hasResources(g) && (g.memberOf.length || g.forbiddenAggs.size))
    .map(([s]) => `member_of${s}`);
  if (aggOrphans.length)
    throw badRequest(
      `All member_of parameters must be associated with resources. Found the following orphaned member_of keys: ${aggOrphans.join(', ')}`,
    );
  if (![...groups.values()].every(hasResources))
    throw badRequest('All request groups must specify resources.');
  if (groups.size === 0)
    throw badRequest('At least one request group (`resources` or `resources{$S}`) is required.');
}

function checkForbidden(groups: Map<string, Draft>): void {
  const clashes: string[] = [];
  for (const [s, g] of groups)
    for (const any of g.requiredTraits)
      if ([...any].every((t) => g.forbiddenTraits.has(t)))
        clashes.push(`required${s}: (${[...any].sort().join(', ')})`);
  if (clashes.length)
    throw badRequest(
      `Conflicting required and forbidden traits found in the following traits keys: ${clashes.sort().join(', ')}`,
    );
}

export function parseGroups(q: QueryParams, mv: Microversion, wide: RequestWide): readonly RequestGroup[] {
  const drafts = parseItems(q, mv);
  if (mv.atLeast('1.36')) checkSubtrees(drafts, wide);
  else checkOrphans(drafts);
  if (mv.atLeast('1.22')) checkForbidden(drafts);
  const groups = [...drafts].map(([suffix, d]) =>
    Object.freeze({ suffix, useSameProvider: suffix !== '', ...d }),
  );
  if (!wide.groupPolicy && groups.filter((g) => g.useSameProvider).length > 1)
    throw badRequest(
      'The "group_policy" parameter is required when specifying more than one "resources{N}" parameter.',
    );
  return groups;
}
