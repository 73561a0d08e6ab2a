// Typed client of the conductor for other daemons (computes never touch a database).

import { newRequestId } from '../common/ids.ts';
import type { Logger } from '../common/log.ts';
import { MessagingTimeout } from '../faults/fault.ts';
import type { ComputeNodeReport } from '../objects/compute-node.ts';
import type { RequestContext, Transport } from '../rpc/index.ts';
import type { RegisteredService, ServiceIdentity, ServiceStore } from '../service/service-store.ts';
import { CONDUCTOR_RPC_VERSION, CONDUCTOR_TOPIC } from './api.ts';

const adminContext = (): RequestContext => ({ request_id: newRequestId(), roles: ['admin'], is_admin: true });

export class ConductorClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  #call<T>(method: string, args: object): Promise<T> {
    return this.#transport.call<T>(
      adminContext(),
      { topic: CONDUCTOR_TOPIC, version: CONDUCTOR_RPC_VERSION },
      method,
      args,
    );
  }

  /**
   * Pings the conductor until it answers, warning after each silent attempt (a compute may start
   * before its conductor). Gives up only when `signal` aborts.
   */
  async waitUntilReady(log: Logger, attemptMs = 10_000, signal?: AbortSignal): Promise<void> {
    const target = { topic: CONDUCTOR_TOPIC, namespace: 'baseapi', version: '1.0' };
    for (;;) {
      try {
        await this.#transport.call(
          adminContext(),
          target,
          'ping',
          { arg: 'ready?' },
          { timeoutMs: attemptMs },
        );
        return;
      } catch (err) {
        if (!(err instanceof MessagingTimeout) || signal?.aborted) throw err;
        log.warn(
          'Timed out waiting for nova-conductor. Is it running? Or did this service start before nova-conductor? Reattempting establishment of nova-conductor connection...',
        );
      }
    }
  }

  serviceRegister(identity: ServiceIdentity): Promise<RegisteredService> {
    return this.#call('service_register', identity);
  }

  async serviceHeartbeat(service: RegisteredService): Promise<void> {
    await this.#call('service_heartbeat', service);
  }

  computeNodeUpdate(report: ComputeNodeReport): Promise<{ id: number; uuid: string }> {
    return this.#call('compute_node_update', report);
  }
}

/** A ServiceStore for daemons without database access: rows go through the conductor. */
export function conductorServiceStore(
  client: ConductorClient,
  log: Logger,
  attemptMs?: number,
): ServiceStore {
  return {
    async register(identity) {
      await client.waitUntilReady(log, attemptMs);
      return client.serviceRegister(identity);
    },
    heartbeat: (service) => client.serviceHeartbeat(service),
  };
}
