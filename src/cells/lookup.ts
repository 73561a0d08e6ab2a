// Finding the cell database of an instance or a host through the API database's mappings.
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import {
  CELL0_UUID,
  type CellMapping,
  getByUuid as getCellByUuid,
  list as listCells,
} from '../objects/cell-mapping.ts';
import * as hostMappings from '../objects/host-mapping.ts';
import * as instances from '../objects/instance.ts';
import * as instanceMappings from '../objects/instance-mapping.ts';
import type { CellPool } from './cell-pool.ts';

export interface CellRef {
  readonly mapping: CellMapping;
  readonly db: Database<CellDb>;
}

export async function openCell(cells: CellPool, mapping: CellMapping): Promise<CellRef> {
  return { mapping, db: (await cells.open(mapping.database_connection)) as Database<CellDb> };
}

export async function cellByUuid(apiDb: Database<ApiDb>, cells: CellPool, uuid: string): Promise<CellRef> {
  return openCell(cells, await getCellByUuid(apiDb, uuid));
}

export async function cell0(apiDb: Database<ApiDb>, cells: CellPool): Promise<CellRef> {
  return cellByUuid(apiDb, cells, CELL0_UUID);
}

/** The cell of a host (host mapping); undefined when the host is not mapped. */
export async function cellOfHost(
  apiDb: Database<ApiDb>,
  cells: CellPool,
  host: string,
): Promise<CellRef | undefined> {
  const m = await hostMappings.findByHost(apiDb, host);
  return m ? openCell(cells, m.cell_mapping) : undefined;
}

/** The cell of an instance; undefined while it has no cell (a build request) or no mapping. */
export async function cellOfInstance(
  apiDb: Database<ApiDb>,
  cells: CellPool,
  instanceUuid: string,
): Promise<CellRef | undefined> {
  const [m] = await instanceMappings.listByInstanceUuids(apiDb, [instanceUuid]);
  return m?.cell_mapping ? openCell(cells, m.cell_mapping) : undefined;
}

/** Every cell (cell0 first, as cell_mappings lists them), opened. */
export async function allCells(apiDb: Database<ApiDb>, cells: CellPool): Promise<CellRef[]> {
  const out: CellRef[] = [];
  for (const m of await listCells(apiDb)) out.push(await openCell(cells, m));
  return out;
}

/** The hosts of these instances (those on a host), whatever their cells. */
export async function hostsOfInstances(
  apiDb: Database<ApiDb>,
  cells: CellPool,
  uuids: readonly string[],
): Promise<string[]> {
  const hosts: string[] = [];
  for (const uuid of uuids) {
    const cell = await cellOfInstance(apiDb, cells, uuid);
    const rec = cell ? await instances.findRecord(cell.db, uuid) : undefined;
    if (rec?.host) hosts.push(rec.host);
  }
  return hosts;
}
