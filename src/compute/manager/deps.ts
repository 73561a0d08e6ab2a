// What the compute manager is built from; everything passed in.

import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { ConductorClient } from '../../conductor/client.ts';
import type { NovaConf } from '../../config/index.ts';
import type { ImageClient } from '../../image-client/client.ts';
import type { NetworkClient } from '../../network-client/client.ts';
import type { VirtDriver } from '../../virt/driver.ts';
import type { InstanceEvents } from '../instance-events.ts';
import type { ComputeClient } from '../rpcapi.ts';

/** The placement calls a compute makes about its instances' allocations. */
export interface ComputePlacement {
  /** Removes every allocation of the consumer (404 is fine). */
  release(consumer: string): Promise<void>;
  /** Hands every allocation of `from` to `to` (migration ↔ instance during moves). */
  move?(from: string, to: string): Promise<boolean>;
}

export interface ComputeManagerDeps {
  readonly conf: NovaConf;
  /** This service's host name ([DEFAULT] host, or a fake host's name). */
  readonly host: string;
  readonly driver: VirtDriver;
  readonly conductor: ConductorClient;
  readonly placement: ComputePlacement;
  readonly clock: Clock;
  readonly log: Logger;
  /** The image service as this compute reaches it (snapshots); absent: image operations fail clearly. */
  readonly images?: () => Promise<ImageClient>;
  /** The network service (ports at build, released on delete); absent: servers get no network. */
  readonly network?: () => Promise<NetworkClient>;
  /** Builds that failed here since the last success (reported as stats.failed_builds). */
  readonly buildStats?: BuildStats;
  /** Other computes (moves hand work between source and destination). */
  readonly computes?: ComputeClient;
  /** Events this host waits for (network-vif-plugged), handed over by external_instance_event. */
  readonly events?: InstanceEvents;
}

/** Consecutive build failures of this host, for the scheduler's BuildFailureWeigher. */
export class BuildStats {
  #failed = 0;
  get failed(): number {
    return this.#failed;
  }
  failure(): void {
    this.#failed++;
  }
  success(): void {
    this.#failed = 0;
  }
}
