// What upstream's get_migrations / get_migrations_sorted do: migrations of every cell (cell0
// excepted) matching the filters; sorted newest first (created_at, id), paged by uuid marker, a
// cross-cell move's duplicate record dropped in favour of the newer one.
import { Invalid } from '../faults/fault.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import type { Migration, MigrationFilter } from '../objects/migration.ts';
import * as migrations from '../objects/migration.ts';
import { type CellServiceDeps, openCell } from './cell-services.ts';

export interface MigrationPage {
  readonly limit: number;
  readonly marker?: string;
}

const stamp = (m: Migration) => m.updated_at?.getTime() ?? m.created_at?.getTime() ?? 0;

function newestFirst(a: Migration, b: Migration): number {
  const c = (b.created_at?.getTime() ?? 0) - (a.created_at?.getTime() ?? 0);
  return c !== 0 ? c : b.id - a.id;
}

export async function listMigrations(
  d: CellServiceDeps,
  filter: MigrationFilter,
  page?: MigrationPage,
): Promise<readonly Migration[]> {
  const all: Migration[] = [];
  let markerRow: Migration | undefined;
  for (const cell of await cellMappings.list(d.apiDb)) {
    if (cell.uuid === cellMappings.CELL0_UUID) continue;
    const db = await openCell(d, cell);
    all.push(...(await migrations.list(db, filter)));
    if (page?.marker && !markerRow) markerRow = await migrations.findByUuid(db, page.marker);
  }
  // Unpaged (before 2.59) upstream reads each cell's table in its natural (id) order.
  if (!page) return all.sort((a, b) => a.id - b.id);
  if (page.marker && !markerRow) throw new Invalid(`Marker ${page.marker} could not be found.`);
  const byUuid = new Map<string, Migration>();
  const unique: Migration[] = [];
  for (const m of all) {
    if (!m.uuid) {
      unique.push(m);
      continue;
    }
    const prev = byUuid.get(m.uuid);
    if (!prev || stamp(m) > stamp(prev)) byUuid.set(m.uuid, m);
  }
  const sorted = [...unique, ...byUuid.values()].sort(newestFirst);
  const m0 = markerRow;
  const after = m0 ? sorted.filter((m) => newestFirst(m0, m) < 0) : sorted;
  return after.slice(0, page.limit);
}
