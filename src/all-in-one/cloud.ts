// Every role in one process: the same services as the separate daemons, over the in-process
// transport (or the configured transport_url) and the databases of the state directory.

import { startComputeApi } from '../api/compute/app.ts';
import { createCellPool } from '../cells/cell-pool.ts';
import { discoverHosts } from '../cells/discover-hosts.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import { newRequestId } from '../common/ids.ts';
import type { Logger } from '../common/log.ts';
import { createComputeService } from '../compute/service.ts';
import { CONDUCTOR_TOPIC } from '../conductor/api.ts';
import { conductorEndpoint } from '../conductor/service.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import { StartupError } from '../faults/fault.ts';
import * as hostMappings from '../objects/host-mapping.ts';
import { createTransport, type Transport } from '../rpc/index.ts';
import { createSchedulerService } from '../scheduler/service.ts';
import { dbServiceStore } from '../service/db-service-store.ts';
import type { Stoppable } from '../service/launcher.ts';
import { NovaService } from '../service/service.ts';
import { setupCells } from './cells-setup.ts';

export interface AllInOneOptions {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly clock?: Clock;
}

export interface RoleStatus {
  readonly role: string;
  readonly endpoint: string;
}

export interface AllInOne {
  readonly roles: readonly RoleStatus[];
  readonly transport: Transport;
  readonly apiDb: Database;
  readonly cellDb: Database;
  /** The parts in start order; stop them in reverse. */
  readonly parts: readonly Stoppable[];
  stop(): Promise<void>;
}

/** Asks every RPC role for a ping and the API for its version document. */
async function waitUntilAnswering(
  transport: Transport,
  host: string,
  apiUrl: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const ctx = { request_id: newRequestId(), roles: ['admin'], is_admin: true };
  for (const topic of [CONDUCTOR_TOPIC, 'scheduler', 'compute']) {
    await transport.call(
      ctx,
      { topic, server: host, namespace: 'baseapi', version: '1.0' },
      'ping',
      { arg: 'ready?' },
      {
        timeoutMs: Math.max(1000, deadline - Date.now()),
      },
    );
  }
  const res = await fetch(`${apiUrl}/v2.1/`);
  if (!res.ok)
    throw new StartupError(`The Compute API at ${apiUrl} answered ${res.status} to its version document.`);
}

/** Maps this host's compute node to its cell once the compute has reported it. */
async function discoverOwnHost(
  api: Database,
  openCell: (url: string) => Promise<Database>,
  host: string,
  log: Logger,
) {
  for (let i = 0; i < 100; i++) {
    await discoverHosts(api, openCell);
    if (await hostMappings.findByHost(api, host)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  log.warn(
    { host },
    'the compute host did not report within 10 s; run "nova-manage cell_v2 discover_hosts" later',
  );
}

export async function startAllInOne(opts: AllInOneOptions): Promise<AllInOne> {
  const { conf, log } = opts;
  const clock = opts.clock ?? systemClock;
  const d = conf.DEFAULT;
  const apiUrl = conf.api_database.connection;
  const cellUrl = conf.database.connection;
  if (!apiUrl || !cellUrl)
    throw new StartupError('[api_database] connection and [database] connection must both be set.');
  const transportUrl = d.transport_url ?? 'memory://';
  const dbs = await setupCells(apiUrl, cellUrl, transportUrl, log);
  const cells = createCellPool(log);
  cells.adopt(cellUrl, dbs.cell1);
  cells.adopt(dbs.cell0Url, dbs.cell0);
  const openCell = (url: string) => cells.open(url);
  const transport = await createTransport(transportUrl, {
    exchange: d.control_exchange,
    log,
    responseTimeoutMs: d.rpc_response_timeout * 1000,
  });
  const parts: Stoppable[] = [];
  const stop = async () => {
    for (const p of [...parts].reverse())
      await p.stop().catch((err: unknown) => log.error({ err }, 'stop failed'));
    parts.length = 0;
    await transport.close();
    await cells.closeAll();
    await dbs.api.close();
  };
  try {
    const conductor = new NovaService({
      binary: 'nova-conductor',
      topic: CONDUCTOR_TOPIC,
      host: d.host,
      transport,
      store: dbServiceStore(dbs.cell1, clock),
      endpoints: [conductorEndpoint({ cellDb: dbs.cell1, clock })],
      reportIntervalMs: d.report_interval * 1000,
      log,
    });
    const scheduler = createSchedulerService({
      conf,
      transport,
      cellDb: dbs.cell1,
      apiDb: dbs.api,
      openCell,
      clock,
      log,
    });
    const compute = createComputeService(conf, transport, log);
    for (const svc of [conductor, scheduler, compute]) {
      await svc.start();
      parts.push(svc);
    }
    const api = await startComputeApi(conf, log);
    parts.push(api);
    await waitUntilAnswering(transport, d.host, api.url, 30_000);
    await discoverOwnHost(dbs.api, openCell, d.host, log);
    const roles: RoleStatus[] = [
      { role: 'nova-api (osapi_compute)', endpoint: `${api.url}/v2.1` },
      { role: 'nova-conductor', endpoint: `${transportUrl} topic ${CONDUCTOR_TOPIC}` },
      { role: 'nova-scheduler', endpoint: `${transportUrl} topic scheduler` },
      { role: 'nova-compute', endpoint: `${transportUrl} topic compute.${d.host}` },
    ];
    return { roles, transport, apiDb: dbs.api, cellDb: dbs.cell1, parts, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
