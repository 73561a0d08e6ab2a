// Starting the metadata service from nova.conf, the same way in the all-in-one, nova-api (when
// [DEFAULT] enabled_apis lists `metadata`) and nova-api-metadata: instances from every cell the API
// database maps, or only the local cell ([api] local_metadata_per_cell, [database] connection).
import type { CellPool } from '../cells/cell-pool.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { StartupError } from '../faults/fault.ts';
import type { NetworkClient } from '../network-client/client.ts';
import { type RunningMetadataApi, startMetadataApi } from './app.ts';
import { cellInstanceSource } from './lookup.ts';

export interface MetadataServiceDeps {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly clock: Clock;
  /** The API database; only [api] local_metadata_per_cell does without it. */
  readonly apiDb?: Database;
  readonly cells: CellPool;
  /** The network service (the EC2 security-groups key); absent: none are listed. */
  readonly network?: () => Promise<NetworkClient>;
}

/** [DEFAULT] enabled_apis lists the metadata API. */
export const metadataEnabled = (conf: NovaConf) => conf.DEFAULT.enabled_apis.includes('metadata');

/** Serves the metadata API on [DEFAULT] metadata_listen:metadata_listen_port. */
export async function startMetadataService(d: MetadataServiceDeps): Promise<RunningMetadataApi> {
  let localCell: Database<CellDb> | undefined;
  if (d.conf.api.local_metadata_per_cell) {
    const url = d.conf.database.connection;
    if (!url)
      throw new StartupError('[api] local_metadata_per_cell needs [database] connection (the local cell).');
    localCell = (await d.cells.open(url)) as Database<CellDb>;
  } else if (!d.apiDb)
    throw new StartupError(
      '[api_database] connection is not set: the metadata API finds instances through the cell mappings (or set [api] local_metadata_per_cell).',
    );
  const source = cellInstanceSource({
    ...(d.apiDb ? { apiDb: d.apiDb as Database<ApiDb> } : {}),
    cells: d.cells,
    clock: d.clock,
    log: d.log,
    defaultZone: d.conf.DEFAULT.default_availability_zone,
    ...(localCell ? { localCell } : {}),
    ...(d.network ? { network: d.network } : {}),
  });
  return startMetadataApi({ conf: d.conf, log: d.log, clock: d.clock, source });
}
