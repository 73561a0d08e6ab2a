// The quota engine's dependencies from a request's context.

import type { QuotaDeps } from '../../../compute-api/quotas.ts';
import { createCellUsageCounter } from '../../../compute-api/usage.ts';
import type { RouteContext } from '../routing/route.ts';

export function quotaDeps(ctx: RouteContext): QuotaDeps {
  const d = ctx.deps;
  return { conf: d.conf, apiDb: d.apiDb, usage: d.usage ?? createCellUsageCounter(d.apiDb, d.cells, d.log) };
}
