// nova-api-metadata: the metadata API alone on [DEFAULT] metadata_listen:metadata_listen_port
// (8775), as upstream's binary (nova-api with enabled_apis = metadata serves the same). Instances
// come from every cell the API database maps, or with [api] local_metadata_per_cell from
// [database] connection only.
import { createCellPool } from '../cells/cell-pool.ts';
import { systemClock } from '../common/clock.ts';
import { computeNetworkFromConf } from '../compute/network-source.ts';
import { startMetadataService } from '../metadata/service.ts';
import { openDatabase, runDaemon } from './daemon.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-api-metadata',
    description:
      'nova-api-metadata: the metadata API for guests on [DEFAULT] metadata_listen:metadata_listen_port (8775).',
    async start(ctx) {
      const local = ctx.conf.api.local_metadata_per_cell;
      const apiDb = local
        ? undefined
        : await openDatabase(ctx, ctx.conf.api_database.connection, '[api_database] connection');
      const cells = createCellPool(ctx.log);
      ctx.onClose(() => cells.closeAll());
      const network = computeNetworkFromConf(ctx.conf, ctx.log);
      return [
        await startMetadataService({
          conf: ctx.conf,
          log: ctx.log,
          clock: systemClock,
          cells,
          ...(apiDb ? { apiDb } : {}),
          ...(network ? { network } : {}),
        }),
      ];
    },
  });
