// nova-scheduler: registers, heartbeats, answers select_destinations (manager.ts), and (with
// [scheduler] discover_hosts_in_cells_interval > 0) maps new compute hosts to their cells periodically.

import type { CellPool } from '../cells/cell-pool.ts';
import { discoverHosts } from '../cells/discover-hosts.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { RpcEndpoint, Transport } from '../rpc/index.ts';
import { dbServiceStore } from '../service/db-service-store.ts';
import type { PeriodicTask } from '../service/periodic.ts';
import { NovaService } from '../service/service.ts';
import { SCHEDULER_RPC_VERSION, SCHEDULER_TOPIC } from './client.ts';
import { type SchedulerPlacement, type SelectArgs, selectDestinations } from './manager.ts';

export { SCHEDULER_TOPIC } from './client.ts';

export interface SchedulerDeps {
  readonly conf: NovaConf;
  readonly transport: Transport;
  readonly cellDb: Database;
  readonly apiDb?: Database;
  readonly openCell: (url: string) => Promise<Database>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Connections to every cell (host states read each candidate's cell). */
  readonly cells?: CellPool;
  /** Placement as the scheduler uses it; without it select_destinations is not served. */
  readonly placement?: SchedulerPlacement;
}

function schedulerEndpoint(deps: SchedulerDeps, placement: SchedulerPlacement, cells: CellPool): RpcEndpoint {
  const apiDb = deps.apiDb as Database<ApiDb>;
  return {
    version: SCHEDULER_RPC_VERSION,
    methods: {
      select_destinations: (_ctx, args: SelectArgs) =>
        selectDestinations(
          { conf: deps.conf, apiDb, cells, now: () => deps.clock.now(), placement, log: deps.log },
          args,
        ),
    },
  };
}

export function discoverHostsTask(deps: SchedulerDeps, intervalMs: number): PeriodicTask {
  return {
    name: 'discover_hosts_in_cells',
    intervalMs,
    initialDelayMs: intervalMs,
    async run() {
      if (!deps.apiDb) return;
      const hosts = await discoverHosts(deps.apiDb, deps.openCell);
      if (hosts.length > 0) deps.log.info({ hosts }, `mapped ${hosts.length} new compute host(s) to cells`);
    },
  };
}

export function createSchedulerService(deps: SchedulerDeps): NovaService {
  const interval = deps.conf.scheduler.discover_hosts_in_cells_interval;
  return new NovaService({
    binary: 'nova-scheduler',
    topic: SCHEDULER_TOPIC,
    host: deps.conf.DEFAULT.host,
    transport: deps.transport,
    store: dbServiceStore(deps.cellDb, deps.clock),
    endpoints:
      deps.placement && deps.apiDb && deps.cells ? [schedulerEndpoint(deps, deps.placement, deps.cells)] : [],
    reportIntervalMs: deps.conf.DEFAULT.report_interval * 1000,
    periodicTasks: interval > 0 && deps.apiDb ? [discoverHostsTask(deps, interval * 1000)] : [],
    log: deps.log,
  });
}
