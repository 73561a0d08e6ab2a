// Listing servers across cells (upstream compute API get_all + instance_list): build requests
// first (servers not in a cell yet, shown as BUILD), then every cell's instances (cell0 included)
// merged in one sort order. Each cell is asked for the same filters and at most `limit` rows after
// the marker; the merged result is cut at `limit`. The marker is an instance uuid: a build request
// (the cells then start from their first row) or an instance of any cell, deleted or not.
import type { CellPool } from '../../cells/cell-pool.ts';
import { type CellRef, openCell } from '../../cells/lookup.ts';
import type { Logger } from '../../common/log.ts';
import type { NovaConf } from '../../config/index.ts';
import type { Database } from '../../db/connect.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import type { CellDb } from '../../db/tables/cell-db.ts';
import { toDbTime } from '../../db/time.ts';
import { toNumberOrNull } from '../../db/values.ts';
import { Invalid } from '../../faults/fault.ts';
import type { BuildRequest } from '../../objects/build-request.ts';
import * as buildRequests from '../../objects/build-request.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import type { Instance, InstanceRecord } from '../../objects/instance.ts';
import * as instances from '../../objects/instance.ts';
import { flavorsOf } from '../../objects/instance-extra.ts';
import { instanceOfBuild } from './build-view.ts';
import {
  type CompiledSearch,
  compileSearch,
  matchesBuild,
  matchesRow,
  matchesTags,
  needsFlavor,
  needsNetwork,
  type ServerSearch,
} from './search.ts';
import { comparator, type SortSpec } from './sort.ts';

export interface ServerListDeps {
  readonly conf: NovaConf;
  readonly apiDb: Database<ApiDb>;
  readonly cells: CellPool;
  readonly log?: Logger;
}

export interface ServerListRequest {
  readonly search: ServerSearch;
  readonly sort: SortSpec;
  readonly limit: number;
  readonly marker?: string;
  /** all_tenants was asked for (the per-project cell shortcut then does not apply). */
  readonly allTenants?: boolean;
}

export type ListedServer =
  | { readonly kind: 'instance'; readonly instance: Instance; readonly cell: CellRef }
  | { readonly kind: 'build'; readonly instance: Instance; readonly build: BuildRequest };

type Db = Database<CellDb>;

/** Rows of one cell passing the filters the database can apply. */
async function candidates(db: Db, s: ServerSearch): Promise<InstanceRecord[]> {
  let q = db.kysely
    .selectFrom('instances')
    .selectAll()
    .where((eb) => eb.or([eb('hidden', '=', false), eb('hidden', 'is', null)]));
  for (const [col, values] of Object.entries(s.exact ?? {}) as [string, readonly string[]][]) {
    if (values.length === 0) return [];
    // biome-ignore lint/suspicious/noExplicitAny: the column is one of EXACT_COLUMNS
    q = q.where(col as any, 'in', [...values]);
  }
  if (s.locked !== undefined) q = q.where('locked', '=', s.locked);
  if (s.changesSince) q = q.where('updated_at', '>=', toDbTime(s.changesSince));
  if (s.changesBefore) q = q.where('updated_at', '<=', toDbTime(s.changesBefore));
  if (s.deleted === true) {
    q =
      s.softDeleted === false
        ? q.where('deleted', '!=', 0)
        : q.where((eb) => eb.or([eb('deleted', '!=', 0), eb('vm_state', '=', 'soft-delete')]));
  } else if (s.deleted === false) {
    q = q.where('deleted', '=', 0);
    if (!s.softDeleted)
      q = q.where((eb) => eb.or([eb('vm_state', '!=', 'soft-delete'), eb('vm_state', 'is', null)]));
  }
  return (await q.execute()).map(instances.toRecord);
}

/** uuid → the searched-for tags it carries. */
async function tagsOf(db: Db, uuids: readonly string[], s: ServerSearch): Promise<Map<string, string[]>> {
  const wanted = [
    ...new Set([...(s.tags ?? []), ...(s.tagsAny ?? []), ...(s.notTags ?? []), ...(s.notTagsAny ?? [])]),
  ];
  const out = new Map<string, string[]>();
  if (wanted.length === 0 || uuids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('tags')
    .select(['resource_id', 'tag'])
    .where('tag', 'in', wanted)
    .where('resource_id', 'in', [...uuids])
    .execute();
  for (const r of rows) out.set(r.resource_id, [...(out.get(r.resource_id) ?? []), r.tag]);
  return out;
}

async function networkInfoOf(
  db: Db,
  uuids: readonly string[],
): Promise<Map<string, Instance['network_info']>> {
  const out = new Map<string, Instance['network_info']>();
  if (uuids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('instance_info_caches')
    .select(['instance_uuid', 'network_info'])
    .where('instance_uuid', 'in', [...uuids])
    .execute();
  for (const r of rows) {
    try {
      out.set(r.instance_uuid, JSON.parse(r.network_info ?? '[]'));
    } catch {
      out.set(r.instance_uuid, []);
    }
  }
  return out;
}

const hasTagFilter = (s: ServerSearch) => Boolean(s.tags || s.tagsAny || s.notTags || s.notTagsAny);

/** One cell's matching rows in list order, after the marker row's position, at most limit. */
async function listCell(
  db: Db,
  c: CompiledSearch,
  cmp: (a: InstanceRecord, b: InstanceRecord) => number,
  after: InstanceRecord | undefined,
  limit: number,
): Promise<InstanceRecord[]> {
  let rows = await candidates(db, c.search);
  if (after) rows = rows.filter((r) => cmp(after, r) < 0);
  const uuids = rows.map((r) => r.uuid);
  if (hasTagFilter(c.search)) {
    const tags = await tagsOf(db, uuids, c.search);
    rows = rows.filter((r) => matchesTags(tags.get(r.uuid) ?? [], c.search));
  }
  const flavors = needsFlavor(c) ? await flavorsOf(db, uuids) : undefined;
  const nets = needsNetwork(c) ? await networkInfoOf(db, uuids) : undefined;
  rows = rows.filter((r) =>
    matchesRow(r, c, { flavorid: flavors?.get(r.uuid)?.cur.flavorid, networkInfo: nets?.get(r.uuid) }),
  );
  return rows.sort(cmp).slice(0, limit);
}

/** The cells to read: every cell, or (instance_list_per_project_cells) those holding the project. */
async function cellsToRead(
  d: ServerListDeps,
  r: ServerListRequest,
): Promise<readonly cellMappings.CellMapping[]> {
  const all = await cellMappings.list(d.apiDb);
  const projects = r.search.exact?.project_id;
  if (!d.conf.api.instance_list_per_project_cells || r.allTenants || projects?.length !== 1) return all;
  const rows = await d.apiDb.kysely
    .selectFrom('instance_mappings')
    .select('cell_id')
    .distinct()
    .where('project_id', '=', projects[0])
    .execute();
  const ids = new Set(rows.map((x) => toNumberOrNull(x.cell_id)));
  return all.filter((m) => ids.has(m.id));
}

async function findMarker(cells: readonly CellRef[], marker: string): Promise<InstanceRecord | undefined> {
  for (const cell of cells) {
    const rec = await instances.findRecord(cell.db, marker, { readDeleted: true }).catch(() => undefined);
    if (rec) return rec;
  }
  return undefined;
}

export async function listServers(d: ServerListDeps, r: ServerListRequest): Promise<ListedServer[]> {
  const c = compileSearch(r.search);
  const cmp = comparator(r.sort);

  // Build requests: filtered and sorted apart, listed before the instances (as upstream).
  const projects = r.search.exact?.project_id;
  const all = await buildRequests.list(d.apiDb, projects?.length === 1 ? projects[0] : undefined);
  let builds = all
    .map((b, i) => ({ build: b, instance: instanceOfBuild(b, i + 1) }))
    .filter((b) => matchesBuild(b.instance, c))
    .sort((a, b) => cmp(a.instance, b.instance));
  let cellMarker = r.marker;
  if (r.marker !== undefined) {
    const i = builds.findIndex((b) => b.instance.uuid === r.marker);
    builds = i >= 0 ? builds.slice(i + 1) : [];
    if (i >= 0) cellMarker = undefined;
  }
  const out: ListedServer[] = builds
    .slice(0, r.limit)
    .map((b) => ({ kind: 'build', instance: b.instance, build: b.build }));

  const cells: CellRef[] = [];
  for (const m of await cellsToRead(d, r)) {
    try {
      cells.push(await openCell(d.cells, m));
    } catch (err) {
      if (!d.conf.api.list_records_by_skipping_down_cells) throw err;
      d.log?.warn(`cell ${m.uuid} is not reachable, left out of the server list: ${String(err)}`);
    }
  }
  let after: InstanceRecord | undefined;
  if (cellMarker !== undefined) {
    after = await findMarker(cells, cellMarker);
    if (!after) throw new Invalid(`marker [${cellMarker}] not found`);
  }
  const remaining = r.limit - out.length;
  if (remaining <= 0) return out;

  const perCell = await Promise.all(
    cells.map(async (cell) => {
      try {
        return { cell, rows: await listCell(cell.db, c, cmp, after, remaining) };
      } catch (err) {
        if (err instanceof Invalid || !d.conf.api.list_records_by_skipping_down_cells) throw err;
        d.log?.warn(`cell ${cell.mapping.uuid} failed to list instances, left out: ${String(err)}`);
        return { cell, rows: [] as InstanceRecord[] };
      }
    }),
  );
  const merged = perCell
    .flatMap(({ cell, rows }) => rows.map((row) => ({ cell, row })))
    .sort((a, b) => cmp(a.row, b.row))
    .slice(0, remaining);

  // Join the rest of each listed instance's data, one batch per cell.
  const full = new Map<string, Instance>();
  for (const { cell } of perCell) {
    const mine = merged.filter((m) => m.cell === cell).map((m) => m.row);
    for (const inst of await instances.expand(cell.db, mine))
      full.set(`${cell.mapping.uuid}/${inst.uuid}`, inst);
  }
  const seen = new Set(out.map((s) => s.instance.uuid));
  for (const { cell, row } of merged) {
    if (seen.has(row.uuid)) continue;
    seen.add(row.uuid);
    const instance = full.get(`${cell.mapping.uuid}/${row.uuid}`);
    if (instance) out.push({ kind: 'instance', instance, cell });
  }
  return out;
}
