// nova-scheduler: registers, heartbeats, and (with [scheduler] discover_hosts_in_cells_interval > 0)
// maps new compute hosts to their cells periodically. select_destinations arrives with the servers work.

import { discoverHosts } from '../cells/discover-hosts.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import type { Transport } from '../rpc/index.ts';
import { dbServiceStore } from '../service/db-service-store.ts';
import type { PeriodicTask } from '../service/periodic.ts';
import { NovaService } from '../service/service.ts';

export const SCHEDULER_TOPIC = 'scheduler';

export interface SchedulerDeps {
  readonly conf: NovaConf;
  readonly transport: Transport;
  readonly cellDb: Database;
  readonly apiDb?: Database;
  readonly openCell: (url: string) => Promise<Database>;
  readonly clock: Clock;
  readonly log: Logger;
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
    endpoints: [],
    reportIntervalMs: deps.conf.DEFAULT.report_interval * 1000,
    periodicTasks: interval > 0 && deps.apiDb ? [discoverHostsTask(deps, interval * 1000)] : [],
    log: deps.log,
  });
}
