// Typed client of the conductor for other daemons (computes never touch a database).

import type { Logger } from '../common/log.ts';
import { MessagingTimeout } from '../faults/fault.ts';
import type { ComputeNodeReport } from '../objects/compute-node.ts';
import type { Instance, InstanceRecord, Vif } from '../objects/instance.ts';
import type { NewFault } from '../objects/instance-fault.ts';
import type { Migration, MigrationChanges } from '../objects/migration.ts';
import type { RequestContext, Transport } from '../rpc/index.ts';
import { adminContext } from '../rpc/index.ts';
import type { RegisteredService, ServiceIdentity, ServiceStore } from '../service/service-store.ts';
import { CONDUCTOR_RPC_VERSION, CONDUCTOR_TOPIC } from './api.ts';
import type { RescheduleArgs, ScheduleAndBuildArgs } from './build.ts';
import type { UpdateArgs } from './compute-db.ts';
import type { FlavorsArgs } from './compute-db-moves.ts';
import type { EvacuateArgs, LiveMigrateArgs, MigrateServerArgs, UnshelveArgs } from './moves.ts';
import type { RebuildServerArgs } from './rebuild.ts';

export class ConductorClient {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  #call<T>(method: string, args: object, ctx: RequestContext = adminContext()): Promise<T> {
    return this.#transport.call<T>(
      ctx,
      { topic: CONDUCTOR_TOPIC, version: CONDUCTOR_RPC_VERSION },
      method,
      args,
    );
  }

  #cast(ctx: RequestContext, method: string, args: object): Promise<void> {
    return this.#transport.cast(
      ctx,
      { topic: CONDUCTOR_TOPIC, version: CONDUCTOR_RPC_VERSION },
      method,
      args,
    );
  }

  /** The API hands accepted build requests to the conductor. */
  scheduleAndBuildInstances(ctx: RequestContext, args: ScheduleAndBuildArgs): Promise<void> {
    return this.#cast(ctx, 'schedule_and_build_instances', args);
  }

  /** A compute gives a failed build back for a reschedule. */
  buildInstances(ctx: RequestContext, args: RescheduleArgs): Promise<void> {
    return this.#cast(ctx, 'build_instances', args);
  }

  /** Resize / cold migration: schedules and starts it (a call: NoValidHost comes back). */
  migrateServer(ctx: RequestContext, args: MigrateServerArgs): Promise<void> {
    return this.#call('migrate_server', args, ctx);
  }

  liveMigrateInstance(ctx: RequestContext, args: LiveMigrateArgs): Promise<void> {
    return this.#cast(ctx, 'live_migrate_instance', args);
  }

  /** Evacuation (rebuild elsewhere). */
  rebuildInstance(ctx: RequestContext, args: EvacuateArgs): Promise<void> {
    return this.#cast(ctx, 'rebuild_instance', args);
  }

  /** A plain rebuild (the scheduler re-checks the host when the image changes). */
  rebuildServer(ctx: RequestContext, args: RebuildServerArgs): Promise<void> {
    return this.#cast(ctx, 'rebuild_server', args);
  }

  unshelveInstance(ctx: RequestContext, args: UnshelveArgs): Promise<void> {
    return this.#cast(ctx, 'unshelve_instance', args);
  }

  migrationGet(ctx: RequestContext, id: number): Promise<Migration> {
    return this.#call('migration_get', { id }, ctx);
  }

  migrationUpdate(ctx: RequestContext, id: number, changes: MigrationChanges): Promise<Migration> {
    return this.#call('migration_update', { id, changes }, ctx);
  }

  /** Migrations from or to the host in these statuses. */
  migrationsByHost(ctx: RequestContext, host: string, status: readonly string[]): Promise<Migration[]> {
    return this.#call('migrations_by_host', { host, status }, ctx);
  }

  async instanceSetFlavors(ctx: RequestContext, args: FlavorsArgs): Promise<void> {
    await this.#call('instance_set_flavors', args, ctx);
  }

  async systemMetadataRemove(ctx: RequestContext, uuid: string, keys: readonly string[]): Promise<void> {
    await this.#call('instance_system_metadata_remove', { uuid, keys }, ctx);
  }

  /** Hosts of the group's other members (the compute's late server-group check). */
  groupMemberHosts(ctx: RequestContext, groupUuid: string, exclude: string): Promise<string[]> {
    return this.#call('instance_group_member_hosts', { group_uuid: groupUuid, exclude }, ctx);
  }

  instanceGet(ctx: RequestContext, uuid: string, readDeleted = false): Promise<Instance> {
    return this.#call('instance_get', { uuid, read_deleted: readDeleted }, ctx);
  }

  instanceUpdate(ctx: RequestContext, args: UpdateArgs): Promise<InstanceRecord> {
    return this.#call('instance_update', args, ctx);
  }

  async instanceDestroy(ctx: RequestContext, uuid: string): Promise<void> {
    await this.#call('instance_destroy', { uuid }, ctx);
  }

  instancesOnHost(ctx: RequestContext, host: string): Promise<Instance[]> {
    return this.#call('instances_on_host', { host }, ctx);
  }

  async faultCreate(ctx: RequestContext, uuid: string, fault: NewFault): Promise<void> {
    await this.#call('instance_fault_create', { uuid, fault }, ctx);
  }

  async eventStart(ctx: RequestContext, uuid: string, event: string, host: string | null): Promise<void> {
    await this.#call('action_event_start', { uuid, event, host }, ctx);
  }

  async eventFinish(
    ctx: RequestContext,
    uuid: string,
    event: string,
    error: { message: string; traceback?: string } | null,
  ): Promise<void> {
    await this.#call('action_event_finish', { uuid, event, error }, ctx);
  }

  async setNetworkInfo(ctx: RequestContext, uuid: string, networkInfo: readonly Vif[]): Promise<void> {
    await this.#call('instance_set_network_info', { uuid, network_info: networkInfo }, ctx);
  }

  systemMetadataSet(
    ctx: RequestContext,
    uuid: string,
    values: Readonly<Record<string, string>>,
  ): Promise<Record<string, string>> {
    return this.#call('instance_system_metadata_set', { uuid, values }, ctx);
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
