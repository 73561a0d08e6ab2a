// nova-conductor's RPC endpoint: the database road for computes (services rows, compute nodes).
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import * as computeNodes from '../objects/compute-node.ts';
import type { RpcEndpoint, Transport } from '../rpc/index.ts';
import { dbServiceStore } from '../service/db-service-store.ts';
import { NovaService } from '../service/service.ts';
import type { RegisteredService, ServiceIdentity } from '../service/service-store.ts';
import { CONDUCTOR_RPC_VERSION, CONDUCTOR_TOPIC } from './api.ts';

export interface ConductorDeps {
  readonly cellDb: Database;
  readonly clock: Clock;
}

export function conductorEndpoint(deps: ConductorDeps): RpcEndpoint {
  const store = dbServiceStore(deps.cellDb, deps.clock);
  return {
    version: CONDUCTOR_RPC_VERSION,
    methods: {
      service_register: (_ctx, args) => store.register(args as ServiceIdentity),
      service_heartbeat: async (_ctx, args) => {
        await store.heartbeat(args as RegisteredService);
        return null;
      },
      compute_node_update: async (_ctx, args) => {
        const node = await computeNodes.upsert(
          deps.cellDb,
          args as computeNodes.ComputeNodeReport,
          deps.clock.now(),
        );
        return { id: node.id, uuid: node.uuid };
      },
    },
  };
}

/** nova-conductor as a service: its services row in the cell database and the endpoint above. */
export function createConductorService(
  conf: NovaConf,
  transport: Transport,
  deps: ConductorDeps,
  log: Logger,
): NovaService {
  return new NovaService({
    binary: 'nova-conductor',
    topic: CONDUCTOR_TOPIC,
    host: conf.DEFAULT.host,
    transport,
    store: dbServiceStore(deps.cellDb, deps.clock),
    endpoints: [conductorEndpoint(deps)],
    reportIntervalMs: conf.DEFAULT.report_interval * 1000,
    log,
  });
}
