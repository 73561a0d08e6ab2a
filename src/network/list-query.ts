// What Neutron's list calls accept, applied to the views the caller may see: filters by field
// (a repeated key is an OR; booleans "true"/"True"/"1"; list fields match when they contain the
// value; fixed_ips=ip_address=X / subnet_id=Y), `fields`, sorting (sort_key/sort_dir pairs, id
// last) and pagination (limit/marker/page_reverse, with `<resources>_links` next/previous).
import type { NeutronFault } from './faults.ts';
import { badRequest } from './faults.ts';

type View = Readonly<Record<string, unknown>>;

const CONTROL = new Set(['fields', 'limit', 'marker', 'sort_key', 'sort_dir', 'page_reverse']);

export interface ListQuery {
  readonly filters: ReadonlyMap<string, readonly string[]>;
  readonly fields: readonly string[];
  readonly sort: readonly { readonly key: string; readonly dir: 'asc' | 'desc' }[];
  readonly limit?: number;
  readonly marker?: string;
  readonly pageReverse: boolean;
  readonly params: URLSearchParams;
}

export function queryOf(url: string): URLSearchParams {
  const i = url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : url.slice(i + 1));
}

/** Parses the list query; `known` are the resource's attributes (filters and sort keys). */
export function parseListQuery(params: URLSearchParams, known: ReadonlySet<string>): ListQuery {
  const filters = new Map<string, string[]>();
  for (const [k, v] of params) {
    if (CONTROL.has(k)) continue;
    if (!known.has(k)) throw badRequest(`[${k}] is invalid attribute for filtering`);
    filters.set(k, [...(filters.get(k) ?? []), v]);
  }
  const keys = params.getAll('sort_key');
  const dirs = params.getAll('sort_dir');
  if (dirs.length > 0 && dirs.length !== keys.length)
    throw badRequest('The number of sort_keys and sort_dirs must be same');
  const sort = keys.map((key, i) => {
    if (!known.has(key)) throw badRequest(`${key} is an invalid attribute for sort_keys`);
    const dir = (dirs[i] ?? 'asc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`${dirs[i]} is an invalid value for sort_dirs`);
    return { key, dir: dir as 'asc' | 'desc' };
  });
  const limitText = params.get('limit');
  let limit: number | undefined;
  if (limitText !== null) {
    limit = Number(limitText);
    if (!/^-?\d+$/.test(limitText) || limit < 0)
      throw badRequest(`Limit must be an integer 0 or greater and not '${limitText}'`);
    if (limit === 0) limit = undefined;
  }
  return {
    filters,
    fields: params
      .getAll('fields')
      .flatMap((f) => f.split(','))
      .filter((f) => f !== ''),
    sort,
    limit,
    marker: params.get('marker') ?? undefined,
    pageReverse: /^(true|1)$/i.test(params.get('page_reverse') ?? ''),
    params,
  };
}

const asBool = (q: string) => /^(true|1)$/i.test(q);

function matchOne(value: unknown, q: string, key: string): boolean {
  if (key === 'fixed_ips' && Array.isArray(value)) {
    const [k, v] = q.split('=', 2);
    return value.some((f) => String((f as Record<string, unknown>)[k]) === v);
  }
  if (Array.isArray(value)) return value.some((x) => String(x) === q);
  if (typeof value === 'boolean') return value === asBool(q);
  if (value === null || value === undefined) return q === '' || q === 'None';
  return String(value) === q;
}

export function matches(view: View, filters: ListQuery['filters']): boolean {
  for (const [key, wanted] of filters) if (!wanted.some((q) => matchOne(view[key], q, key))) return false;
  return true;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Only the requested fields (all when none are asked for). */
export function selectFields(view: View, fields: readonly string[]): View {
  if (fields.length === 0) return view;
  return Object.fromEntries(fields.filter((f) => f in view).map((f) => [f, view[f]]));
}

export interface ListPage {
  readonly items: readonly View[];
  readonly links: readonly { readonly rel: string; readonly href: string }[];
}

/**
 * Filters, sorts, pages and trims the views. `base` is the collection's URL (for links);
 * `markerNotFound` makes the resource's 404 for an unknown marker.
 */
export function applyListQuery(
  all: readonly View[],
  q: ListQuery,
  base: string,
  markerNotFound: (id: string) => NeutronFault,
): ListPage {
  const keys = [
    ...q.sort,
    ...(q.sort.some((s) => s.key === 'id') ? [] : [{ key: 'id', dir: 'asc' as const }]),
  ];
  let rows = all.filter((v) => matches(v, q.filters));
  rows = [...rows].sort((a, b) => {
    for (const { key, dir } of keys) {
      const c = compare(a[key], b[key]);
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return 0;
  });
  if (q.pageReverse) rows.reverse();
  if (q.marker !== undefined) {
    const at = rows.findIndex((v) => v.id === q.marker);
    if (at < 0) throw markerNotFound(q.marker);
    rows = rows.slice(at + 1);
  }
  const more = q.limit !== undefined && rows.length > q.limit;
  let page = q.limit !== undefined ? rows.slice(0, q.limit) : rows;
  if (q.pageReverse) page = [...page].reverse();
  const links: { rel: string; href: string }[] = [];
  if (q.limit !== undefined && page.length > 0) {
    const link = (rel: string, marker: string, reverse: boolean) => {
      const p = new URLSearchParams(q.params);
      p.set('marker', marker);
      p.set('limit', String(q.limit));
      if (reverse) p.set('page_reverse', 'True');
      else p.delete('page_reverse');
      return { rel, href: `${base}?${p.toString()}` };
    };
    const last = String(page[page.length - 1].id);
    const first = String(page[0].id);
    if (q.pageReverse) {
      if (more) links.push(link('previous', first, true));
      if (q.marker !== undefined) links.push(link('next', last, false));
    } else {
      if (more) links.push(link('next', last, false));
      if (q.marker !== undefined) links.push(link('previous', first, true));
    }
  }
  return { items: page.map((v) => selectFields(v, q.fields)), links };
}
