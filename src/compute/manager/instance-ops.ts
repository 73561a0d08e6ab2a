// Helpers every compute operation uses: read/update the instance through the conductor, record
// the action event around the work, and on failure put the instance back (or in ERROR) with a fault.
import type { UpdateArgs } from '../../conductor/compute-db.ts';
import { Fault } from '../../faults/fault.ts';
import type { Instance, InstanceRecord } from '../../objects/instance.ts';
import type { RequestContext } from '../../rpc/index.ts';
import type { SpawnOptions } from '../../virt/driver.ts';
import { vifPluggedWaits } from '../instance-events.ts';
import type { ComputeManagerDeps } from './deps.ts';

export type Changes = UpdateArgs['changes'];

export function update(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  uuid: string,
  changes: Changes,
  expected?: readonly (string | null)[],
): Promise<InstanceRecord> {
  return deps.conductor.instanceUpdate(ctx, {
    uuid,
    changes,
    ...(expected ? { expected_task_state: expected } : {}),
  });
}

export function errorText(err: unknown): { message: string; traceback: string } {
  if (err instanceof Error) return { message: err.message, traceback: err.stack ?? err.message };
  return { message: String(err), traceback: String(err) };
}

/** Adds a fault to the instance (never throws: a lost fault must not hide the original error). */
export async function recordFault(deps: ComputeManagerDeps, ctx: RequestContext, uuid: string, err: unknown) {
  const { message, traceback } = errorText(err);
  const code = err instanceof Fault && err.status >= 400 && err.status < 500 ? err.status : 500;
  await deps.conductor
    .faultCreate(ctx, uuid, { code, message, details: traceback, host: deps.host })
    .catch((e: unknown) => deps.log.warn({ err: e, instance: uuid }, 'could not record the instance fault'));
}

/** Runs `work` as event `compute_<name>` of the request's action. */
export async function asEvent<T>(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  uuid: string,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const event = `compute_${name}`;
  await deps.conductor.eventStart(ctx, uuid, event, deps.host).catch(() => {});
  try {
    const out = await work();
    await deps.conductor.eventFinish(ctx, uuid, event, null).catch(() => {});
    return out;
  } catch (err) {
    await deps.conductor.eventFinish(ctx, uuid, event, errorText(err)).catch(() => {});
    throw err;
  }
}

/**
 * An instance action run by the compute: the event around it; on failure a fault and the task
 * state reverted (vm_state kept, or set to `errorVmState` when given), as upstream's decorators do.
 */
export async function instanceAction(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  uuid: string,
  name: string,
  work: (inst: Instance) => Promise<void>,
  onError: { readonly vmState?: string } = {},
): Promise<void> {
  let inst: Instance;
  try {
    inst = await deps.conductor.instanceGet(ctx, uuid);
  } catch (err) {
    deps.log.info({ err, instance: uuid }, `${name}: the instance is gone`);
    return;
  }
  try {
    await asEvent(deps, ctx, uuid, name, () => work(inst));
  } catch (err) {
    deps.log.warn({ err, instance: uuid }, `${name} failed`);
    await recordFault(deps, ctx, uuid, err);
    await update(deps, ctx, uuid, {
      task_state: null,
      ...(onError.vmState ? { vm_state: onError.vmState } : {}),
    }).catch(() => {});
  }
}

/** The spawn option that lets a driver wait for network-vif-plugged ([DEFAULT] vif_plugging_*). */
export function vifWaits(deps: ComputeManagerDeps, uuid: string): Pick<SpawnOptions, 'prepareVifPlugged'> {
  const d = deps.conf.DEFAULT;
  const network = deps.network;
  const prepare = vifPluggedWaits(deps.events, uuid, {
    timeoutS: d.vif_plugging_timeout,
    fatal: d.vif_plugging_is_fatal,
    log: deps.log,
    ...(network
      ? {
          activeNow: async (portIds: readonly string[]) => {
            const ports = await (await network()).listPorts({ device_id: uuid });
            return ports
              .filter((p) => p.status === 'ACTIVE' && portIds.includes(String(p.id)))
              .map((p) => String(p.id));
          },
        }
      : {}),
  });
  return prepare ? { prepareVifPlugged: prepare } : {};
}
