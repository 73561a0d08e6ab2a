// limit/marker as upstream reads them (common.get_limit_and_marker): limit capped at
// [api] max_limit, marker passed through.
import { Invalid } from '../../../faults/fault.ts';
import type { RouteContext } from './route.ts';

export interface Page {
  readonly limit: number;
  readonly marker?: string;
}

function intParam(name: string, raw: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(raw)) throw new Invalid(`Invalid input received: ${name} must be an integer`);
  const n = Number(raw);
  if (n < 0) throw new Invalid(`Invalid input received: ${name} must be >= 0`);
  return n;
}

export function pageOf(ctx: RouteContext): Page {
  const max = ctx.deps.conf.api.max_limit;
  const raw = ctx.param('limit');
  const limit = raw === undefined ? max : Math.min(max, intParam('limit', raw));
  const marker = ctx.param('marker');
  return marker === undefined ? { limit } : { limit, marker };
}

/** Items after the marker (by key), at most limit; undefined when the marker is not in the list. */
export function slicePage<T>(items: readonly T[], page: Page, key: (t: T) => string): T[] | undefined {
  let start = 0;
  if (page.marker !== undefined) {
    const i = items.findIndex((t) => key(t) === page.marker);
    if (i < 0) return undefined;
    start = i + 1;
  }
  return items.slice(start, start + page.limit);
}
