// Server list ordering: sort keys and directions as upstream's process_sort_params completes
// them (created_at and id appended), one comparator for every cell and the build requests (NULL
// first as MySQL orders it; the uuid breaks ties between cells whose ids collide).
import { Invalid } from '../../faults/fault.ts';
import type { InstanceRecord } from '../../objects/instance.ts';

export type SortDir = 'asc' | 'desc';

/** Instance columns a list may be sorted by (the API schema decides which are accepted). */
export type SortKey = keyof InstanceRecord;

export interface SortSpec {
  readonly keys: readonly SortKey[];
  readonly dirs: readonly SortDir[];
}

/** Completes requested keys/directions; 400 for an unknown direction or more directions than keys. */
export function sortSpec(keys: readonly string[], dirs: readonly string[]): SortSpec {
  for (const d of dirs)
    if (d !== 'asc' && d !== 'desc')
      throw new Invalid("Invalid input received: Unknown sort direction, must be 'desc' or 'asc'");
  const fallback = (dirs[0] ?? 'desc') as SortDir;
  const outKeys = [...keys];
  const outDirs = [...dirs] as SortDir[];
  while (outDirs.length < outKeys.length) outDirs.push(fallback);
  if (outDirs.length > outKeys.length)
    throw new Invalid('Invalid input received: Sort direction size exceeds sort key size');
  for (const k of ['created_at', 'id'])
    if (!outKeys.includes(k)) {
      outKeys.push(k);
      outDirs.push(fallback);
    }
  return { keys: outKeys as SortKey[], dirs: outDirs };
}

function rank(v: unknown): number | string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

function compareValues(a: unknown, b: unknown): number {
  const x = rank(a);
  const y = rank(b);
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

/** Negative when a comes first in the listing. */
export function comparator(spec: SortSpec): (a: InstanceRecord, b: InstanceRecord) => number {
  return (a, b) => {
    for (let i = 0; i < spec.keys.length; i++) {
      const c = compareValues(a[spec.keys[i]], b[spec.keys[i]]);
      if (c !== 0) return spec.dirs[i] === 'desc' ? -c : c;
    }
    return a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
  };
}
