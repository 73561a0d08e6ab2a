// nova-compute: one service per host it runs (one for a real hypervisor; N with the fake driver's
// --fake-hosts N, for scale). Each registers through the conductor, settles what a previous run
// left (init_host), reports its node to the conductor and placement, then serves compute.<host>.
import type { Clock } from '../common/clock.ts';
import { systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { ConductorClient, conductorServiceStore } from '../conductor/client.ts';
import type { NovaConf } from '../config/index.ts';
import type { ImageClient } from '../image-client/client.ts';
import type { NetworkClient } from '../network-client/client.ts';
import type { Transport } from '../rpc/index.ts';
import { NovaService } from '../service/service.ts';
import type { VirtDriver } from '../virt/driver.ts';
import { InstanceEvents } from './instance-events.ts';
import { BuildStats, type ComputePlacement } from './manager/deps.ts';
import { destroyEvacuatedInstances } from './manager/evacuated.ts';
import { computeEndpoint, computePeriodicTasks } from './manager/index.ts';
import { initHost, resumeBuild } from './manager/reconcile.ts';
import { type NodeReporter, updateAvailableResource } from './resource-tracker.ts';
import { COMPUTE_TOPIC, ComputeClient } from './rpcapi.ts';

export { COMPUTE_TOPIC };

export interface ComputeHost {
  readonly host: string;
  readonly driver: VirtDriver;
}

export interface ComputeServiceDeps {
  readonly conf: NovaConf;
  readonly transport: Transport;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Placement for allocation clean-up and (reporter) inventory; required to build servers. */
  readonly placement: ComputePlacement & NodeReporter;
  readonly images?: () => Promise<ImageClient>;
  readonly network?: () => Promise<NetworkClient>;
}

export function createComputeService(deps: ComputeServiceDeps, h: ComputeHost): NovaService {
  const { conf, log } = deps;
  const conductor = new ConductorClient(deps.transport);
  const m = {
    conf,
    host: h.host,
    driver: h.driver,
    conductor,
    placement: deps.placement,
    clock: deps.clock ?? systemClock,
    log: log.child({ host: h.host }),
    ...(deps.images ? { images: deps.images } : {}),
    ...(deps.network ? { network: deps.network } : {}),
    computes: new ComputeClient(deps.transport),
    buildStats: new BuildStats(),
    events: new InstanceEvents(),
  };
  return new NovaService({
    binary: 'nova-compute',
    topic: COMPUTE_TOPIC,
    host: h.host,
    transport: deps.transport,
    store: conductorServiceStore(conductor, log, Math.min(10, conf.DEFAULT.rpc_response_timeout) * 1000),
    endpoints: [computeEndpoint(m)],
    reportIntervalMs: conf.DEFAULT.report_interval * 1000,
    periodicTasks: computePeriodicTasks(m, deps.placement),
    beforeListen: async () => {
      await h.driver.init(h.host);
      await updateAvailableResource({ ...m, reporter: deps.placement });
      await destroyEvacuatedInstances(m).catch((err: unknown) =>
        log.warn({ err }, 'init_host: evacuated instances not cleaned up'),
      );
      const pending = await initHost(m);
      // Builds handed to this host that never started: run them once the service listens.
      if (pending.length > 0)
        setImmediate(() => {
          for (const inst of pending) void resumeBuild(m, inst);
        });
    },
    log,
  });
}
