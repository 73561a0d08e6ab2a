// GET /v2/images query parameters → a typed list request, with Glance's 400 messages.
import { badRequest } from './faults.ts';
import { MEMBER_STATUSES, type MemberStatus, VISIBILITIES, type Visibility } from './model.ts';
import type { ColumnFilters } from './repo/image-list.ts';

export const SORT_KEYS = [
  'name',
  'status',
  'container_format',
  'disk_format',
  'size',
  'id',
  'created_at',
  'updated_at',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export type TimeOp = 'gt' | 'gte' | 'eq' | 'neq' | 'lt' | 'lte';
export interface TimeFilter {
  readonly field: 'created_at' | 'updated_at';
  readonly op: TimeOp;
  readonly at: Date;
}

export interface ListRequest {
  readonly limit: number;
  readonly marker?: string;
  readonly memberStatus: MemberStatus | 'all';
  readonly visibility?: Visibility | 'all';
  readonly columns: ColumnFilters;
  readonly tags: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly times: readonly TimeFilter[];
  readonly sort: readonly { readonly key: SortKey; readonly dir: SortDir }[];
}

export type Query = Readonly<Record<string, string | string[] | undefined>>;

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

const all = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
const last = (v: string | string[] | undefined): string | undefined => all(v).at(-1);

/** `in:a,"b, c",d` → ['a', 'b, c', 'd']; a plain value → [value]. */
export function parseIn(value: string): string[] {
  if (!value.startsWith('in:')) return [value];
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of value.slice(3)) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function parseLimit(v: string | undefined): number {
  if (v === undefined) return DEFAULT_LIMIT;
  if (!/^-?\d+$/.test(v.trim())) throw badRequest('limit param must be an integer');
  const n = Number(v);
  if (n < 0) throw badRequest('limit param must be positive');
  return Math.min(n, MAX_LIMIT);
}

function parseBool(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const l = v.toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  throw badRequest(`Invalid value '${v}' for '${name}' filter. Valid values are 'true' and 'false'.`);
}

function parseCount(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw badRequest(`Invalid value for ${name}: ${v}`);
  return Number(v);
}

function sortKey(k: string): SortKey {
  if ((SORT_KEYS as readonly string[]).includes(k)) return k as SortKey;
  throw badRequest(`Invalid sort key: ${k}. It must be one of the following: ${SORT_KEYS.join(', ')}.`);
}

function sortDir(d: string): SortDir {
  if (d === 'asc' || d === 'desc') return d;
  throw badRequest(`Invalid sort direction: ${d}`);
}

function parseSort(q: Query): ListRequest['sort'] {
  const sort = last(q.sort);
  if (sort !== undefined) {
    if (q.sort_key !== undefined || q.sort_dir !== undefined)
      throw badRequest('Old and new sorting syntax cannot be combined');
    return sort
      .trim()
      .split(',')
      .map((part) => {
        const [k, d] = part.split(':');
        return { key: sortKey(k.trim()), dir: sortDir((d ?? 'desc').trim() || 'desc') };
      });
  }
  const keys = all(q.sort_key).map((k) => sortKey(k.trim()));
  const dirs = all(q.sort_dir).map((d) => sortDir(d.trim()));
  if (dirs.length > 1 && dirs.length !== keys.length)
    throw badRequest('Number of sort dirs does not match the number of sort keys');
  const ks: SortKey[] = keys.length > 0 ? keys : ['created_at'];
  return ks.map((key, i) => ({ key, dir: dirs[dirs.length > 1 ? i : 0] ?? 'desc' }));
}

function parseTime(field: 'created_at' | 'updated_at', v: string): TimeFilter {
  const m = /^(gt|gte|eq|neq|lt|lte):(.+)$/.exec(v);
  const op = (m ? m[1] : 'eq') as TimeOp;
  const at = new Date(m ? m[2] : v);
  if (Number.isNaN(at.getTime())) throw badRequest(`Invalid time format for ${field}.`);
  return { field, op, at };
}

const HANDLED = new Set([
  'limit',
  'marker',
  'member_status',
  'visibility',
  'tag',
  'sort',
  'sort_key',
  'sort_dir',
  'size_min',
  'size_max',
  'created_at',
  'updated_at',
  'protected',
  'os_hidden',
  'id',
  'name',
  'status',
  'disk_format',
  'container_format',
  'owner',
  'checksum',
  'os_hash_value',
  'min_ram',
  'min_disk',
]);

export function parseListQuery(q: Query): ListRequest {
  const memberStatus = last(q.member_status) ?? 'accepted';
  if (memberStatus !== 'all' && !(MEMBER_STATUSES as readonly string[]).includes(memberStatus))
    throw badRequest(`Invalid status: ${memberStatus}`);
  const visibility = last(q.visibility);
  if (
    visibility !== undefined &&
    visibility !== 'all' &&
    !(VISIBILITIES as readonly string[]).includes(visibility)
  )
    throw badRequest(`Invalid visibility value: ${visibility}`);
  if (q['changes-since'] !== undefined)
    throw badRequest('The "changes-since" filter is no longer available on v2.');
  const inList = (k: string) => (last(q[k]) === undefined ? undefined : parseIn(last(q[k]) as string));
  const columns: ColumnFilters = {
    id: inList('id'),
    name: inList('name'),
    status: inList('status'),
    disk_format: inList('disk_format'),
    container_format: inList('container_format'),
    owner: last(q.owner),
    protected: parseBool('protected', last(q.protected)),
    os_hidden: parseBool('os_hidden', last(q.os_hidden)) ?? false,
    checksum: last(q.checksum),
    os_hash_value: last(q.os_hash_value),
    min_ram: parseCount('min_ram', last(q.min_ram)),
    min_disk: parseCount('min_disk', last(q.min_disk)),
    size_min: parseCount('size_min', last(q.size_min)),
    size_max: parseCount('size_max', last(q.size_max)),
  };
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(q))
    if (!HANDLED.has(k) && last(v) !== undefined) properties[k] = last(v) as string;
  const times = [
    ...all(q.created_at).map((v) => parseTime('created_at', v)),
    ...all(q.updated_at).map((v) => parseTime('updated_at', v)),
  ];
  return Object.freeze({
    limit: parseLimit(last(q.limit)),
    marker: last(q.marker),
    memberStatus: memberStatus as MemberStatus | 'all',
    visibility: visibility as Visibility | 'all' | undefined,
    columns,
    tags: all(q.tag).map((t) => t.trim()),
    properties,
    times,
    sort: parseSort(q),
  });
}
