// GET /v2/images after the SQL scope: tag, property and time filters, sorting with Glance's
// tie-breakers (created_at, id), marker paging and the `next` link.
import type { Caller } from './access.ts';
import type { ImageCtx } from './context.ts';
import { badRequest } from './faults.ts';
import type { ListRequest, SortDir, TimeFilter } from './list-query.ts';
import type { Image } from './model.ts';
import { selectImages } from './repo/image-list.ts';
import { findImage } from './repo/images.ts';

type SortValue = string | number | null;
type SortSpec = readonly { readonly key: keyof Image; readonly dir: SortDir }[];

function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1; // NULLs first ascending, as MySQL/SQLite
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

const sortValue = (img: Image, key: keyof Image): SortValue => {
  const v = img[key];
  if (v instanceof Date) return v.getTime();
  return typeof v === 'string' || typeof v === 'number' ? v : null;
};

function comparator(spec: SortSpec) {
  return (a: Image, b: Image): number => {
    for (const { key, dir } of spec) {
      const c = compareValues(sortValue(a, key), sortValue(b, key));
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return 0;
  };
}

/** The requested sort plus created_at and id, so the order is total and markers are exact. */
export function sortSpec(req: ListRequest): SortSpec {
  const spec: { key: keyof Image; dir: SortDir }[] = req.sort.map((s) => ({ key: s.key, dir: s.dir }));
  const dir = spec[0]?.dir ?? 'desc';
  if (!spec.some((s) => s.key === 'created_at')) spec.push({ key: 'created_at', dir });
  if (!spec.some((s) => s.key === 'id')) spec.push({ key: 'id', dir });
  return spec;
}

function timeMatches(img: Image, t: TimeFilter): boolean {
  const v = img[t.field].getTime();
  const at = t.at.getTime();
  switch (t.op) {
    case 'gt':
      return v > at;
    case 'gte':
      return v >= at;
    case 'eq':
      return v === at;
    case 'neq':
      return v !== at;
    case 'lt':
      return v < at;
    case 'lte':
      return v <= at;
  }
}

function matches(img: Image, req: ListRequest): boolean {
  if (!req.tags.every((t) => img.tags.includes(t))) return false;
  for (const [k, v] of Object.entries(req.properties)) if (img.properties[k] !== v) return false;
  return req.times.every((t) => timeMatches(img, t));
}

export interface ImagePage {
  readonly images: readonly Image[];
  readonly nextMarker?: string;
}

export async function listImages(ctx: ImageCtx, caller: Caller, req: ListRequest): Promise<ImagePage> {
  const scope = {
    admin: caller.admin,
    project: caller.project,
    memberStatus: req.memberStatus,
    visibility: req.visibility,
  };
  const spec = sortSpec(req);
  const cmp = comparator(spec);
  const found = (await selectImages(ctx.db, scope, req.columns)).filter((i) => matches(i, req)).sort(cmp);
  let start = 0;
  if (req.marker !== undefined) {
    const marker = await findImage(ctx.db, req.marker);
    if (!marker) throw badRequest(`No image found with ID ${req.marker}`);
    start = found.findIndex((i) => cmp(i, marker) > 0);
    if (start < 0) start = found.length;
  }
  const images = found.slice(start, start + req.limit);
  const full = req.limit > 0 && images.length === req.limit;
  return { images, nextMarker: full ? images[images.length - 1].id : undefined };
}
