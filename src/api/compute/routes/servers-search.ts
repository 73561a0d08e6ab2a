// From the query string of GET /servers[/detail] to a server list request, as upstream's servers
// controller (_get_servers, remove_invalid_options, remove_invalid_sort_keys) and compute API
// get_all remap it: unknown parameters dropped, non-admin filters limited by microversion, status
// turned into vm/task states, all_tenants checked by policy, sort keys completed.

import type { ServerListRequest } from '../../../compute-api/server-list/list.ts';
import {
  REGEX_COLUMNS,
  type RegexColumn,
  type ServerSearch,
} from '../../../compute-api/server-list/search.ts';
import { sortSpec } from '../../../compute-api/server-list/sort.ts';
import { statesForStatuses } from '../../../compute-api/server-list/status.ts';
import { Forbidden, Invalid } from '../../../faults/fault.ts';
import * as flavors from '../../../objects/flavor.ts';
import { isAdmin } from '../deps.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import { pageOf } from '../routing/pagination.ts';
import { pickVersion, type RouteContext } from '../routing/route.ts';
import {
  ADMIN_SORT_KEYS,
  IGNORED_SORT_KEYS,
  IGNORED_SORT_KEYS_V273,
  indexQuery,
  JOINED_TABLE_PARAMS,
  userFilters,
} from '../schemas/servers-query.ts';
import { boolFromString } from '../validation/params.ts';

const P = SERVER_POLICIES.servers;
const PAGING_SORTING = ['sort_key', 'sort_dir', 'limit', 'marker'];
const TAG_FILTERS = ['tags', 'tags-any', 'not-tags', 'not-tags-any'] as const;
const STRICT_TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const STRICT_FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

/** strutils.bool_from_string(strict=True): 400 for anything else. */
function strictBool(v: string): boolean {
  const s = v.trim().toLowerCase();
  if (STRICT_TRUE.includes(s)) return true;
  if (STRICT_FALSE.includes(s)) return false;
  const ok = [...STRICT_FALSE, ...STRICT_TRUE].sort().map((x) => `'${x}'`);
  throw new Invalid(
    `Invalid input received: Unrecognized value '${v}', acceptable values are: ${ok.join(', ')}`,
  );
}

/** An ISO 8601 time (no zone: UTC); undefined when unreadable. */
function parseIso(v: string): Date | undefined {
  const s = v.trim().replace(' ', 'T');
  const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(s) || !s.includes('T');
  const d = new Date(zoned ? s : `${s}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The query's parameters the schema knows (unknown ones are dropped as upstream), last value each. */
function knownOptions(ctx: RouteContext): Map<string, string> {
  const schema = pickVersion(indexQuery, ctx.mv) as { properties: Record<string, unknown> };
  const out = new Map<string, string>();
  for (const [k, values] of Object.entries(ctx.query))
    if ((Object.hasOwn(schema.properties, k) || k.startsWith('_')) && values.length > 0)
      out.set(k, values[values.length - 1]);
  return out;
}

function sortOf(ctx: RouteContext, admin: boolean) {
  const keys = (ctx.query.sort_key ?? []).map((k) => k.trim());
  const dirs = (ctx.query.sort_dir ?? []).map((d) => d.trim());
  if (keys.length === 0) keys.push('created_at');
  if (dirs.length === 0) dirs.push('desc');
  const ignored = ctx.mv.atLeast('2.73') ? IGNORED_SORT_KEYS_V273 : IGNORED_SORT_KEYS;
  for (const key of [...keys]) {
    if (ignored.includes(key)) {
      const i = keys.indexOf(key);
      if (dirs.length > i) dirs.splice(i, 1);
      keys.splice(i, 1);
    } else if (ADMIN_SORT_KEYS.includes(key) && !admin) {
      throw new Forbidden(`Only administrators can sort servers by ${key}`);
    }
  }
  return sortSpec(keys, dirs);
}

/**
 * The list request of GET /servers (detail: /servers/detail); undefined when the answer is an
 * empty list without looking (an unknown status before 2.38, an unknown flavor).
 */
export async function listRequestOf(
  ctx: RouteContext,
  detail: boolean,
): Promise<ServerListRequest | undefined> {
  const admin = isAdmin(ctx.auth);
  const opts = knownOptions(ctx);
  if (ctx.can(P.allowAllFilters)) {
    for (const k of PAGING_SORTING) opts.delete(k);
  } else {
    const allowed = userFilters((v) => ctx.mv.atLeast(v));
    for (const k of [...opts.keys()]) if (!allowed.has(k)) opts.delete(k);
  }
  for (const k of opts.keys())
    if (JOINED_TABLE_PARAMS.includes(k) || k.startsWith('_'))
      throw new Invalid(`Invalid filter field: ${k}.`);

  // status → vm_state / task_state lists.
  opts.delete('status');
  let vmStates: readonly string[] | undefined;
  let taskStates: readonly string[] | undefined;
  const statuses = ctx.query.status;
  if (statuses && statuses.length > 0) {
    const states = statesForStatuses(statuses);
    if (states.vmStates.length === 0 && states.taskStates.length === 0) {
      if (ctx.mv.atLeast('2.38')) throw new Invalid('Invalid status value');
      return undefined;
    }
    vmStates = states.vmStates;
    if (!states.taskStates.includes('default')) taskStates = states.taskStates;
    opts.delete('vm_state');
    opts.delete('task_state');
  }

  const times: { changesSince?: Date; changesBefore?: Date } = {};
  const since = opts.get('changes-since');
  if (since !== undefined) {
    times.changesSince = parseIso(since);
    if (!times.changesSince) throw new Invalid('Invalid filter field: changes-since.');
  }
  const before = opts.get('changes-before');
  if (before !== undefined) {
    times.changesBefore = parseIso(before);
    if (!times.changesBefore) throw new Invalid('Invalid filter field: changes-before.');
    if (times.changesSince && times.changesBefore < times.changesSince)
      throw new Invalid('The value of changes-since must be less than or equal to changes-before.');
  }

  // Deleted servers only when asked for; changes-since/-before also return recently deleted ones.
  let deleted: boolean | undefined;
  const rawDeleted = opts.get('deleted');
  if (rawDeleted === undefined) {
    if (since === undefined && before === undefined) deleted = false;
  } else deleted = boolFromString(rawDeleted);
  if (vmStates?.length === 1 && vmStates[0] === 'deleted') {
    if (!admin) throw new Forbidden('Only administrators may list deleted instances');
    deleted = true;
  }

  const tagLists: Partial<Record<(typeof TAG_FILTERS)[number], string[]>> = {};
  if (ctx.mv.atLeast('2.26'))
    for (const t of TAG_FILTERS) {
      const v = opts.get(t);
      if (v !== undefined) tagLists[t] = v.split(',');
    }

  const rawAll = opts.get('all_tenants');
  const allTenants = rawAll === undefined ? false : rawAll === '' ? true : strictBool(rawAll);
  const locked = opts.has('locked') ? strictBool(opts.get('locked') as string) : undefined;

  const exact: Record<string, readonly string[]> = {};
  if (allTenants) {
    ctx.authorize(detail ? P.detailAllTenants : P.indexAllTenants);
    const project = opts.get('tenant_id') ?? opts.get('project_id');
    if (project !== undefined) exact.project_id = [project];
    if (opts.has('user_id')) exact.user_id = [opts.get('user_id') as string];
  } else if (ctx.auth.project_id) {
    exact.project_id = [ctx.auth.project_id];
    if (opts.has('user_id')) exact.user_id = [opts.get('user_id') as string];
  } else {
    exact.user_id = [ctx.auth.user_id];
  }
  const image = opts.get('image') ?? opts.get('image_ref');
  if (image !== undefined) exact.image_ref = [image];
  if (vmStates) exact.vm_state = vmStates;
  else if (opts.has('vm_state')) exact.vm_state = [opts.get('vm_state') as string];
  if (taskStates) exact.task_state = taskStates;
  else if (opts.has('task_state')) exact.task_state = [opts.get('task_state') as string];
  for (const col of ['uuid', 'host'] as const) if (opts.has(col)) exact[col] = [opts.get(col) as string];

  let flavor: ServerSearch['flavor'];
  const flavorId = opts.get('flavor');
  if (flavorId !== undefined) {
    const f = await flavors.findByFlavorId(ctx.deps.apiDb, flavorId);
    if (!f) return undefined;
    flavor = { id: f.id, flavorid: f.flavorid };
  }

  const regex: Partial<Record<RegexColumn, string>> = {};
  for (const col of REGEX_COLUMNS) {
    const v = opts.get(col);
    if (v !== undefined) regex[col] = v;
  }
  if (opts.has('name')) regex.display_name = opts.get('name') as string;

  const search: ServerSearch = {
    exact,
    ...(locked !== undefined && { locked }),
    ...(flavor && { flavor }),
    ...(deleted !== undefined && { deleted }),
    ...(opts.has('soft_deleted') && { softDeleted: boolFromString(opts.get('soft_deleted')) }),
    ...times,
    ...(tagLists.tags && { tags: tagLists.tags }),
    ...(tagLists['tags-any'] && { tagsAny: tagLists['tags-any'] }),
    ...(tagLists['not-tags'] && { notTags: tagLists['not-tags'] }),
    ...(tagLists['not-tags-any'] && { notTagsAny: tagLists['not-tags-any'] }),
    regex,
    ...(opts.has('ip') && { ip: opts.get('ip') }),
    ...(opts.has('ip6') && { ip6: opts.get('ip6') }),
  };
  const page = pageOf(ctx);
  return {
    search,
    sort: sortOf(ctx, admin),
    limit: page.limit,
    ...(page.marker !== undefined && { marker: page.marker }),
    allTenants,
  };
}
