// nova-compute's RPC endpoint and periodic tasks, assembled from the manager's modules.
import type { RpcEndpoint, RpcMethod } from '../../rpc/index.ts';
import type { PeriodicTask } from '../../service/periodic.ts';
import { type NodeReporter, updateAvailableResource } from '../resource-tracker.ts';
import { type BuildArgs, COMPUTE_RPC_VERSION } from '../rpcapi.ts';
import { buildAndRunInstance } from './build.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { type ExternalEventArgs, externalEvents } from './external-events.ts';
import { instanceAction, update } from './instance-ops.ts';
import { interfaceMethods } from './interfaces.ts';
import { liveMigrationMethods } from './live-migrate.ts';
import { powerMethods } from './power.ts';
import { rebuildMethods } from './rebuild.ts';
import { reclaimQueuedDeletes, syncPowerStates } from './reconcile.ts';
import { pollUnconfirmedResizes, resizeMethods } from './resize.ts';
import { pollShelvedInstances, shelveMethods } from './shelve.ts';
import { snapshotMethods } from './snapshot.ts';
import { terminateInstance } from './terminate.ts';

type UuidArgs = { instance_uuid: string };

function queryMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  const driverInstance = async (ctx: Parameters<RpcMethod>[0], uuid: string) =>
    toDriverInstance(await deps.conductor.instanceGet(ctx, uuid));
  return {
    get_console_output: async (ctx, a: UuidArgs & { tail_length?: number | null }) => {
      const text = await deps.driver.getConsoleOutput(await driverInstance(ctx, a.instance_uuid));
      if (a.tail_length === undefined || a.tail_length === null) return text;
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return lines.slice(Math.max(0, lines.length - a.tail_length)).join('\n');
    },
    get_diagnostics: async (ctx, a: UuidArgs) =>
      deps.driver.getDiagnostics(await driverInstance(ctx, a.instance_uuid)),
    get_host_uptime: () => deps.driver.hostUptime(),
    get_vnc_console: async (ctx, a: UuidArgs) =>
      deps.driver.getVncConsole(await driverInstance(ctx, a.instance_uuid)),
    get_serial_console: async (ctx, a: UuidArgs) =>
      deps.driver.getSerialConsole(await driverInstance(ctx, a.instance_uuid)),
    set_admin_password: async (ctx, a: UuidArgs & { new_pass: string }) => {
      try {
        await deps.driver.setAdminPassword(await driverInstance(ctx, a.instance_uuid), a.new_pass);
      } finally {
        await update(deps, ctx, a.instance_uuid, { task_state: null }, ['updating_password']).catch(() => {});
      }
      return null;
    },
  };
}

function castMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  return {
    build_and_run_instance: async (ctx, a: BuildArgs) => {
      await buildAndRunInstance(deps, ctx, a);
      return null;
    },
    terminate_instance: async (ctx, a: UuidArgs) => {
      await terminateInstance(deps, ctx, a.instance_uuid);
      return null;
    },
    external_instance_event: async (ctx, a: { events: ExternalEventArgs[] }) => {
      await externalEvents(deps, ctx, a.events);
      return null;
    },
    trigger_crash_dump: async (ctx, a: UuidArgs) => {
      await instanceAction(deps, ctx, a.instance_uuid, 'trigger_crash_dump', (inst) =>
        deps.driver.triggerCrashDump(toDriverInstance(inst)),
      );
      return null;
    },
    inject_network_info: async (ctx, a: UuidArgs) => {
      await instanceAction(deps, ctx, a.instance_uuid, 'inject_network_info', async () => {});
      return null;
    },
  };
}

export function computeEndpoint(deps: ComputeManagerDeps): RpcEndpoint {
  return {
    version: COMPUTE_RPC_VERSION,
    methods: {
      ...castMethods(deps),
      ...powerMethods(deps),
      ...queryMethods(deps),
      ...resizeMethods(deps),
      ...liveMigrationMethods(deps),
      ...shelveMethods(deps),
      ...rebuildMethods(deps),
      ...snapshotMethods(deps),
      ...interfaceMethods(deps),
    },
  };
}

export function computePeriodicTasks(deps: ComputeManagerDeps, reporter?: NodeReporter): PeriodicTask[] {
  const d = deps.conf.DEFAULT;
  const every = (s: number) => Math.max(1, s) * 1000;
  const tasks: PeriodicTask[] = [
    {
      name: 'update_available_resource',
      intervalMs: every(d.update_resources_interval > 0 ? d.update_resources_interval : d.periodic_interval),
      run: async () => {
        await updateAvailableResource({ ...deps, ...(reporter ? { reporter } : {}) });
      },
    },
  ];
  if (d.sync_power_state_interval > 0)
    tasks.push({
      name: '_sync_power_states',
      intervalMs: every(d.sync_power_state_interval),
      initialDelayMs: every(d.sync_power_state_interval),
      run: () => syncPowerStates(deps),
    });
  if (d.reclaim_instance_interval > 0)
    tasks.push({
      name: '_reclaim_queued_deletes',
      intervalMs: every(d.reclaim_instance_interval),
      initialDelayMs: every(d.reclaim_instance_interval),
      run: () => reclaimQueuedDeletes(deps),
    });
  if (d.resize_confirm_window > 0)
    tasks.push({
      name: '_poll_unconfirmed_resizes',
      intervalMs: every(Math.min(d.resize_confirm_window, d.periodic_interval)),
      initialDelayMs: every(Math.min(d.resize_confirm_window, d.periodic_interval)),
      run: () => pollUnconfirmedResizes(deps),
    });
  if (d.shelved_poll_interval > 0 && d.shelved_offload_time > 0)
    tasks.push({
      name: '_poll_shelved_instances',
      intervalMs: every(d.shelved_poll_interval),
      initialDelayMs: every(d.shelved_poll_interval),
      run: () => pollShelvedInstances(deps),
    });
  return tasks;
}
