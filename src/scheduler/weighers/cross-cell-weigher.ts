// CrossCellWeigher: when moving an instance (resize, migrate, live-migrate, evacuate, or any request
// allowing a cross-cell move), prefers hosts in the instance's current cell: 1 there, -1 elsewhere.
// The current cell is spec.source_cell_uuid, or for a cross-cell move requested_destination's cell.
// Other requests weigh 0 everywhere.
import type { HostWeigher, RequestSpec } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

const MOVES = new Set(['resize', 'migrate', 'live-migrate', 'evacuate']);

function preferredCell(spec: RequestSpec): string | null {
  const crossCell = spec.requested_destination?.allow_cross_cell_move === true;
  if (!crossCell && !MOVES.has(spec.operation ?? '')) return null;
  return spec.source_cell_uuid ?? (crossCell ? (spec.requested_destination?.cell_uuid ?? null) : null);
}

export const CrossCellWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'CrossCellWeigher',
  multiplier: (host, ctx) =>
    weightMultiplier(
      host,
      'cross_cell_move_weight_multiplier',
      ctx.conf.filter_scheduler.cross_cell_move_weight_multiplier,
    ),
  weigh: (host, spec) => {
    const cell = preferredCell(spec);
    if (!cell) return 0;
    return host.cell_uuid === cell ? 1 : -1;
  },
});
