// Typed client of the conductor for other daemons (computes never touch a database).

import { newRequestId } from '../common/ids.ts';
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
export function conductorServiceStore(client: ConductorClient): ServiceStore {
  return {
    register: (identity) => client.serviceRegister(identity),
    heartbeat: (service) => client.serviceHeartbeat(service),
  };
}
