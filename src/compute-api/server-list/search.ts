// What a server list asks for once the API has read the query string (upstream's search_opts
// after the servers controller and compute API remapped them), and how one instance is matched
// against it in memory: regular-expression columns, tags, IP addresses, the flavor.
import { Invalid } from '../../faults/fault.ts';
import type { Instance, InstanceRecord } from '../../objects/instance.ts';
import { addressesOf } from './addresses.ts';

/** Columns matched exactly (IN a list), as upstream's exact_match_filter_names. */
export const EXACT_COLUMNS = Object.freeze([
  'project_id',
  'user_id',
  'image_ref',
  'vm_state',
  'task_state',
  'uuid',
  'host',
] as const);
export type ExactColumn = (typeof EXACT_COLUMNS)[number];

/** Columns a filter of the same name matches by regular expression (search, case-insensitive). */
export const REGEX_COLUMNS = Object.freeze([
  'display_name',
  'display_description',
  'kernel_id',
  'ramdisk_id',
  'hostname',
  'key_name',
  'power_state',
  'node',
  'reservation_id',
  'launched_at',
  'terminated_at',
  'created_at',
  'availability_zone',
  'locked_by',
  'root_device_name',
  'config_drive',
  'access_ip_v4',
  'access_ip_v6',
  'auto_disk_config',
  'progress',
  'launch_index',
] as const);
export type RegexColumn = (typeof REGEX_COLUMNS)[number];

export interface ServerSearch {
  readonly exact?: Readonly<Partial<Record<ExactColumn, readonly string[]>>>;
  readonly locked?: boolean;
  /** The flavor asked for: instances built with it (instance_type_id, else embedded flavorid). */
  readonly flavor?: { readonly id: number; readonly flavorid: string };
  /** true: only deleted (and soft-deleted) ones; false: only live ones; undefined: both. */
  readonly deleted?: boolean;
  /** With deleted: whether soft-deleted instances count (deleted=true) / are kept (deleted=false). */
  readonly softDeleted?: boolean;
  readonly changesSince?: Date;
  readonly changesBefore?: Date;
  readonly tags?: readonly string[];
  readonly tagsAny?: readonly string[];
  readonly notTags?: readonly string[];
  readonly notTagsAny?: readonly string[];
  readonly regex?: Readonly<Partial<Record<RegexColumn, string>>>;
  /** Patterns matched from the start of fixed IPv4 / IPv6 addresses (upstream's re.match). */
  readonly ip?: string;
  readonly ip6?: string;
}

/** Python re syntax that JavaScript spells differently. */
export function compilePattern(pattern: string, anchored = false): RegExp {
  let p = pattern
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  let flags = 'i';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('m')) flags += 'm';
  }
  try {
    return new RegExp(anchored ? `^(?:${p})` : p, flags);
  } catch {
    throw new Invalid(`Invalid input received: invalid regular expression ${pattern}`);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A column value as the database's REGEXP sees it (dates as 'YYYY-MM-DD HH:MM:SS', bools 1/0). */
export function columnText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date)
    return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

export interface CompiledSearch {
  readonly search: ServerSearch;
  readonly regex: readonly (readonly [RegexColumn, RegExp])[];
  readonly ip?: RegExp;
  readonly ip6?: RegExp;
}

export function compileSearch(search: ServerSearch): CompiledSearch {
  const regex = Object.entries(search.regex ?? {}).map(
    ([k, v]) => [k as RegexColumn, compilePattern(v as string)] as const,
  );
  return {
    search,
    regex,
    ...(search.ip !== undefined && { ip: compilePattern(search.ip, true) }),
    ...(search.ip6 !== undefined && { ip6: compilePattern(search.ip6, true) }),
  };
}

/** True when the search needs the flavor / network info of candidates (not in the instance row). */
export const needsFlavor = (c: CompiledSearch) => c.search.flavor !== undefined;
export const needsNetwork = (c: CompiledSearch) => c.ip !== undefined || c.ip6 !== undefined;

/**
 * The in-memory part of the match for a cell's instance (the exact, time and tag filters were
 * applied by the database query). A NULL column never matches a pattern, as in SQL.
 */
export function matchesRow(
  rec: InstanceRecord,
  c: CompiledSearch,
  extra: { readonly flavorid?: string; readonly networkInfo?: Instance['network_info'] },
): boolean {
  for (const [col, re] of c.regex) {
    const text = columnText(rec[col]);
    if (text === null || !re.test(text)) return false;
  }
  const f = c.search.flavor;
  if (f && rec.instance_type_id !== f.id && extra.flavorid !== f.flavorid) return false;
  if (c.ip || c.ip6) {
    const hit = addressesOf(extra.networkInfo ?? []).some(
      (a) =>
        a.type === 'fixed' &&
        ((a.version === 4 && c.ip?.test(a.address)) || (a.version === 6 && c.ip6?.test(a.address))),
    );
    if (!hit) return false;
  }
  return true;
}

/** Tag filters over one server's tags (upstream's semantics for tags, tags-any, not-tags, not-tags-any). */
export function matchesTags(tags: readonly string[], s: ServerSearch): boolean {
  const has = (t: string) => tags.includes(t);
  if (s.tags && !s.tags.every(has)) return false;
  if (s.tagsAny && !s.tagsAny.some(has)) return false;
  if (s.notTags?.every(has)) return false;
  if (s.notTagsAny?.some(has)) return false;
  return true;
}

/**
 * The whole match for a server that is only a build request (upstream BuildRequestList filters in
 * Python): exact filters, tags, flavor; patterns only on attributes that are set. Build requests
 * are never deleted, have no addresses, and ignore the time filters.
 */
export function matchesBuild(inst: Instance, c: CompiledSearch): boolean {
  const s = c.search;
  if (s.deleted === true) return false;
  if (c.ip || c.ip6) return false;
  for (const [col, values] of Object.entries(s.exact ?? {}) as [ExactColumn, readonly string[]][])
    if (!values.includes(inst[col] as string)) return false;
  if (s.locked !== undefined && inst.locked !== s.locked) return false;
  if (!matchesTags(inst.tags, s)) return false;
  if (s.flavor && inst.instance_type_id !== s.flavor.id && inst.flavor.flavorid !== s.flavor.flavorid)
    return false;
  for (const [col, re] of c.regex) {
    const v = inst[col];
    if (v && !re.test(columnText(v) ?? '')) return false;
  }
  return true;
}
