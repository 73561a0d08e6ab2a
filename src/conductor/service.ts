// nova-conductor's RPC endpoint: the database road for computes (services rows, compute nodes).
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import * as computeNodes from '../objects/compute-node.ts';
import type { RpcEndpoint, RpcMethod, Transport } from '../rpc/index.ts';
import { dbServiceStore } from '../service/db-service-store.ts';
import type { PeriodicTask } from '../service/periodic.ts';
import { NovaService } from '../service/service.ts';
import type { RegisteredService, ServiceIdentity } from '../service/service-store.ts';
import { CONDUCTOR_RPC_VERSION, CONDUCTOR_TOPIC } from './api.ts';
import {
  type BuildDeps,
  groupMemberHosts,
  type RescheduleArgs,
  redriveOrphanedBuilds,
  reschedule,
  type ScheduleAndBuildArgs,
  scheduleAndBuild,
} from './build.ts';
import { computeDbMethods } from './compute-db.ts';
import { moveDbMethods } from './compute-db-moves.ts';
import { moveMethods } from './move-methods.ts';
import type { MoveDeps } from './move-support.ts';

/** Re-drives build requests older than twice rpc_response_timeout (at least a minute). */
function orphanedBuildsTask(conf: NovaConf, b: BuildDeps): PeriodicTask {
  const ageMs = Math.max(60, 2 * conf.DEFAULT.rpc_response_timeout) * 1000;
  return {
    name: 'redrive_orphaned_build_requests',
    intervalMs: Math.max(1, conf.DEFAULT.periodic_interval) * 30_000,
    initialDelayMs: 5_000,
    run: async () => {
      await redriveOrphanedBuilds(b, ageMs);
    },
  };
}

function buildMethods(b: BuildDeps): Record<string, RpcMethod> {
  return {
    schedule_and_build_instances: async (ctx, args: ScheduleAndBuildArgs) => {
      await scheduleAndBuild(b, ctx, args);
      return null;
    },
    build_instances: async (ctx, args: RescheduleArgs) => {
      await reschedule(b, ctx, args);
      return null;
    },
    instance_group_member_hosts: (_ctx, a: { group_uuid: string; exclude: string }) =>
      groupMemberHosts(b, a.group_uuid, a.exclude),
  };
}

export interface ConductorDeps {
  readonly cellDb: Database;
  readonly clock: Clock;
  /** Present on a conductor with the API database (superconductor): builds and moves. */
  readonly build?: BuildDeps;
  /** Present on a superconductor that runs moves (resize, migrations, evacuate, unshelve). */
  readonly moves?: MoveDeps;
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
      ...computeDbMethods({ cellDb: deps.cellDb as Database<CellDb>, clock: deps.clock }),
      ...moveDbMethods({ cellDb: deps.cellDb as Database<CellDb>, clock: deps.clock }),
      ...(deps.build ? buildMethods(deps.build) : {}),
      ...(deps.moves ? moveMethods(deps.moves) : {}),
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
    periodicTasks: deps.build ? [orphanedBuildsTask(conf, deps.build)] : [],
    log,
  });
}
