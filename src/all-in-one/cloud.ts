// Every role in one process: the same services as the separate daemons, over the in-process
// transport (or the configured transport_url) and the databases of the state directory.
import { type CellPool, createCellPool } from '../cells/cell-pool.ts';
import { discoverHosts } from '../cells/discover-hosts.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import { newRequestId } from '../common/ids.ts';
import type { Logger } from '../common/log.ts';
import { createComputeService } from '../compute/service.ts';
import { CONDUCTOR_TOPIC } from '../conductor/api.ts';
import { createConductorService } from '../conductor/service.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import { StartupError } from '../faults/fault.ts';
import * as hostMappings from '../objects/host-mapping.ts';
import { createTransport, type Transport } from '../rpc/index.ts';
import { createSchedulerService } from '../scheduler/service.ts';
import type { Stoppable } from '../service/launcher.ts';
import { setupCells } from './cells-setup.ts';
import { type FirstStartResult, firstStart } from './first-start.ts';
import { startHttpRoles } from './http-roles.ts';

export interface AllInOneOptions {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly statePath: string;
  readonly version: string;
  readonly configFiles: readonly string[];
  readonly clock?: Clock;
}

export interface RoleStatus {
  readonly role: string;
  readonly endpoint: string;
}

export interface AllInOne {
  readonly roles: readonly RoleStatus[];
  readonly firstStart: FirstStartResult;
  readonly transport: Transport;
  readonly apiDb: Database;
  readonly cellDb: Database;
  stop(): Promise<void>;
}

/** Asks every RPC role for a ping and every API for its version document. */
async function waitUntilAnswering(
  transport: Transport,
  host: string,
  urls: readonly string[],
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  const ctx = { request_id: newRequestId(), roles: ['admin'], is_admin: true };
  for (const topic of [CONDUCTOR_TOPIC, 'scheduler', 'compute']) {
    const target = { topic, server: host, namespace: 'baseapi', version: '1.0' };
    await transport.call(
      ctx,
      target,
      'ping',
      { arg: 'ready?' },
      { timeoutMs: Math.max(1000, deadline - Date.now()) },
    );
  }
  for (const url of urls) {
    const res = await fetch(url);
    if (res.status >= 400) throw new StartupError(`${url} answered ${res.status} to its version document.`);
  }
}

/** Maps this host's compute node to its cell once the compute has reported it. */
async function discoverOwnHost(api: Database, cells: CellPool, host: string, log: Logger): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await discoverHosts(api, (url) => cells.open(url));
    if (await hostMappings.findByHost(api, host)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  log.warn(
    { host },
    'the compute host did not report within 10 s; run "nova-manage cell_v2 discover_hosts" later',
  );
}

function rpcServices(
  conf: NovaConf,
  transport: Transport,
  cellDb: Database,
  apiDb: Database,
  cells: CellPool,
  clock: Clock,
  log: Logger,
) {
  const conductor = createConductorService(conf, transport, { cellDb, clock }, log);
  const openCell = (url: string) => cells.open(url);
  const scheduler = createSchedulerService({ conf, transport, cellDb, apiDb, openCell, clock, log });
  const compute = createComputeService(conf, transport, log);
  return [conductor, scheduler, compute];
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
  const parts: Stoppable[] = [];
  let transport: Transport | undefined;
  const stop = async () => {
    for (const p of parts.reverse())
      await p.stop().catch((err: unknown) => log.error({ err }, 'stop failed'));
    parts.length = 0;
    await transport?.close();
    await cells.closeAll();
    await dbs.api.close();
  };
  try {
    const http = await startHttpRoles({
      conf,
      log,
      clock,
      apiDb: dbs.api,
      cells,
      configFiles: opts.configFiles,
    });
    parts.push(...http.parts);
    transport = await createTransport(transportUrl, {
      exchange: d.control_exchange,
      log,
      responseTimeoutMs: d.rpc_response_timeout * 1000,
    });
    for (const svc of rpcServices(conf, transport, dbs.cell1, dbs.api, cells, clock, log)) {
      await svc.start();
      parts.push(svc);
    }
    const u = http.urls;
    await waitUntilAnswering(
      transport,
      d.host,
      [`${u.identity}/v3`, `${u.placement}/`, `${u.image}/`, `${u.compute}/v2.1/`],
      30_000,
    );
    await discoverOwnHost(dbs.api, cells, d.host, log);
    const first = await firstStart({
      conf,
      log,
      statePath: opts.statePath,
      roles: http,
      apiDb: dbs.api,
      version: opts.version,
    });
    const roles: RoleStatus[] = [
      { role: 'identity (keystone v3)', endpoint: `${u.identity}/v3` },
      { role: 'nova-api (osapi_compute)', endpoint: `${u.compute}/v2.1` },
      { role: 'placement', endpoint: u.placement },
      { role: 'image (glance v2)', endpoint: `${u.image}/v2` },
      { role: 'nova-conductor', endpoint: `${transportUrl} topic ${CONDUCTOR_TOPIC}` },
      { role: 'nova-scheduler', endpoint: `${transportUrl} topic scheduler` },
      { role: 'nova-compute', endpoint: `${transportUrl} topic compute.${d.host}` },
    ];
    return { roles, firstStart: first, transport, apiDb: dbs.api, cellDb: dbs.cell1, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
