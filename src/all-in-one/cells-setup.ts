// First-start database work of the all-in-one, as an operator would do it by hand:
// api_db sync, cell_v2 map_cell0, cell_v2 create_cell --name cell1, db sync.
import type { Logger } from '../common/log.ts';
import {
  connectDatabase,
  createDatabaseIfMissing,
  type Database,
  migrateToLatest,
  withDatabaseName,
} from '../db/index.ts';
import * as cellMappings from '../objects/cell-mapping.ts';

export interface CellDatabases {
  readonly api: Database;
  readonly cell0: Database;
  readonly cell1: Database;
  readonly cell0Url: string;
  readonly cell1Mapping: cellMappings.CellMapping;
}

async function open(url: string, log: Logger): Promise<Database> {
  await createDatabaseIfMissing(url);
  return connectDatabase(url, { log });
}

export async function setupCells(
  apiUrl: string,
  cellUrl: string,
  transportUrl: string,
  log: Logger,
): Promise<CellDatabases> {
  const api = await open(apiUrl, log);
  await migrateToLatest(api, 'api');
  const cell0Url = withDatabaseName(cellUrl, (name) => `${name}_cell0`);
  const all = await cellMappings.list(api);
  const cell0Mapping =
    all.find((c) => c.uuid === cellMappings.CELL0_UUID) ??
    (await cellMappings.create(
      api,
      {
        uuid: cellMappings.CELL0_UUID,
        name: 'cell0',
        transport_url: 'none:///',
        database_connection: cell0Url,
      },
      new Date(),
    ));
  const cell1Mapping =
    all.find((c) => c.database_connection === cellUrl) ??
    (await cellMappings.create(
      api,
      { name: 'cell1', transport_url: transportUrl, database_connection: cellUrl },
      new Date(),
    ));
  const cell0 = await open(cell0Mapping.database_connection, log);
  await migrateToLatest(cell0, 'cell');
  const cell1 = await open(cellUrl, log);
  await migrateToLatest(cell1, 'cell');
  return { api, cell0, cell1, cell0Url: cell0Mapping.database_connection, cell1Mapping };
}
