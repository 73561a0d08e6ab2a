import { startComputeApi } from '../api/compute/app.ts';
import { COMPUTE_POLICY_DEFAULTS } from '../api/compute/policies/index.ts';
import { type CellPool, createCellPool } from '../cells/cell-pool.ts';
import { systemClock } from '../common/clock.ts';
import { computeNetworkFromConf } from '../compute/network-source.ts';
import type { ServersBackend } from '../compute-api/servers/backend.ts';
import { rpcEventSink, rpcHostUptime, serversBackend } from '../compute-api/servers/rpc-backend.ts';
import type { Database } from '../db/connect.ts';
import { metadataEnabled, startMetadataService } from '../metadata/service.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import type { Stoppable } from '../service/launcher.ts';
import { validatorFromConf } from './api-security.ts';
import { type DaemonContext, openDatabase, openTransport, runDaemon } from './daemon.ts';
import { placementFromConf } from './service-clients.ts';

const withNetwork = <T>(network: T | undefined) => (network ? { network } : {});

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-api',
    description:
      'nova-api: the APIs [DEFAULT] enabled_apis lists: the Compute API (osapi_compute) on [DEFAULT] osapi_compute_listen:osapi_compute_listen_port, the metadata API (metadata) on [DEFAULT] metadata_listen:metadata_listen_port.',
    async start(ctx) {
      const apiDb = await openDatabase(ctx, ctx.conf.api_database.connection, '[api_database] connection');
      const cells = createCellPool(ctx.log);
      ctx.onClose(() => cells.closeAll());
      const parts: Stoppable[] = [];
      if (ctx.conf.DEFAULT.enabled_apis.includes('osapi_compute'))
        parts.push(await computeApi(ctx, apiDb, cells));
      if (metadataEnabled(ctx.conf)) {
        try {
          parts.push(
            await startMetadataService({
              conf: ctx.conf,
              log: ctx.log,
              clock: systemClock,
              apiDb,
              cells,
              ...withNetwork(computeNetworkFromConf(ctx.conf, ctx.log)),
            }),
          );
        } catch (err) {
          for (const p of parts) await p.stop();
          throw err;
        }
      }
      return parts;
    },
  });

async function computeApi(ctx: DaemonContext, apiDb: Database, cells: CellPool): Promise<Stoppable> {
  // Servers need the conductor and computes: with a transport_url the API talks to them.
  let backend: ServersBackend | undefined;
  if (ctx.conf.DEFAULT.transport_url) {
    const placement = placementFromConf(ctx.conf, ctx.log, 'nova-api');
    backend = serversBackend(await openTransport(ctx), placement);
  } else ctx.log.warn('[DEFAULT] transport_url is not set: the servers API answers 503');
  const api = await startComputeApi({
    conf: ctx.conf,
    log: ctx.log,
    validator: validatorFromConf(ctx.conf, ctx.log),
    enforcer: enforcerFromConf(ctx.conf, COMPUTE_POLICY_DEFAULTS, ctx.configFiles, ctx.log),
    apiDb,
    cells,
    clock: systemClock,
    ...(backend
      ? {
          servers: backend,
          hostUptime: rpcHostUptime(backend.compute),
          eventSink: rpcEventSink(backend.compute),
        }
      : {}),
  });
  return api;
}
