// What a compute reconciles by itself: at start (init_host) the instances it finds half-done, and
// periodically the guests' power states and soft-deleted instances past reclaim_instance_interval.
// Each pass is idempotent; a pass that fails on one instance goes on with the next.

import type { Instance } from '../../objects/instance.ts';
import { adminContext } from '../../rpc/index.ts';
import { specOfInstance } from '../../scheduler/instance-spec.ts';
import { PowerState } from '../../virt/driver.ts';
import { buildAndRunInstance } from './build.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { imageMetaOf, toDriverInstance } from './driver-instance.ts';
import { recordFault, update } from './instance-ops.ts';
import { terminateInstance } from './terminate.ts';

async function powerOf(deps: ComputeManagerDeps, inst: Instance): Promise<number | undefined> {
  try {
    return (await deps.driver.getInfo(toDriverInstance(inst))).state;
  } catch {
    return undefined;
  }
}

/**
 * init_host: settle what a previous run of this compute left in flight. Returns the builds that
 * never started here (task state still scheduling): the caller builds them once it serves (a
 * redelivered build message for one of them then finds the work done).
 */
export async function initHost(deps: ComputeManagerDeps): Promise<Instance[]> {
  const ctx = adminContext();
  const list = await deps.conductor.instancesOnHost(ctx, deps.host);
  const pending: Instance[] = [];
  for (const inst of list) {
    try {
      if (inst.task_state === 'deleting') {
        await terminateInstance(deps, ctx, inst.uuid);
        continue;
      }
      const power = await powerOf(deps, inst);
      if (inst.vm_state === 'building') {
        if (inst.task_state === 'scheduling' && power === undefined) {
          pending.push(inst);
          continue;
        }
        if (power === PowerState.RUNNING) {
          await update(deps, ctx, inst.uuid, { vm_state: 'active', task_state: null, power_state: power });
          continue;
        }
        // The build was interrupted with the service: ERROR with a fault, nothing held.
        await deps.driver.destroy(toDriverInstance(inst), true).catch(() => {});
        await recordFault(
          deps,
          ctx,
          inst.uuid,
          new Error('The build was interrupted by a restart of the compute service.'),
        );
        await update(deps, ctx, inst.uuid, {
          vm_state: 'error',
          task_state: null,
          power_state: PowerState.NOSTATE,
        });
        await deps.placement.release(inst.uuid);
        continue;
      }
      if (inst.task_state !== null || (power !== undefined && power !== inst.power_state))
        await update(deps, ctx, inst.uuid, {
          task_state: null,
          ...(power !== undefined ? { power_state: power } : { power_state: PowerState.NOSTATE }),
        });
    } catch (err) {
      deps.log.warn({ err, instance: inst.uuid }, 'init_host: could not settle the instance');
    }
  }
  return pending;
}

/** sync_power_states: the database follows the hypervisor; a guest that stopped behind Nova's back is stopped. */
export async function syncPowerStates(deps: ComputeManagerDeps): Promise<void> {
  const ctx = adminContext();
  for (const inst of await deps.conductor.instancesOnHost(ctx, deps.host)) {
    if (inst.task_state !== null || inst.vm_state === 'building') continue;
    const power = (await powerOf(deps, inst)) ?? PowerState.NOSTATE;
    if (power === inst.power_state) continue;
    const stoppedBehindOurBack =
      inst.vm_state === 'active' &&
      (power === PowerState.SHUTDOWN || power === PowerState.CRASHED || power === PowerState.NOSTATE);
    await update(
      deps,
      ctx,
      inst.uuid,
      { power_state: power, ...(stoppedBehindOurBack ? { vm_state: 'stopped' } : {}) },
      [null],
    ).catch(() => {});
  }
}

/** Deletes soft-deleted instances older than reclaim_instance_interval seconds. */
export async function reclaimQueuedDeletes(deps: ComputeManagerDeps): Promise<void> {
  const interval = deps.conf.DEFAULT.reclaim_instance_interval;
  if (interval <= 0) return;
  const ctx = adminContext();
  const cutoff = deps.clock.now().getTime() - interval * 1000;
  for (const inst of await deps.conductor.instancesOnHost(ctx, deps.host)) {
    if (inst.vm_state !== 'soft-delete' || inst.task_state !== null) continue;
    const at = inst.updated_at ? new Date(inst.updated_at).getTime() : 0;
    if (at > cutoff) continue;
    await update(deps, ctx, inst.uuid, { task_state: 'deleting' }, [null]).catch(() => undefined);
    await terminateInstance(deps, ctx, inst.uuid);
  }
}

/** Builds an instance whose build message was lost (no alternates: a failure ends in ERROR). */
export async function resumeBuild(deps: ComputeManagerDeps, inst: Instance): Promise<void> {
  const ctx = adminContext();
  deps.log.warn({ instance: inst.uuid }, 'init_host: building an instance whose build never started');
  const spec = specOfInstance(inst, imageMetaOf(inst));
  await buildAndRunInstance(deps, ctx, {
    instance_uuid: inst.uuid,
    request_spec: spec,
    node: inst.node ?? deps.host,
    host_list: [],
    admin_password: null,
    injected_files: [],
    requested_networks: 'auto',
  }).catch((err: unknown) => deps.log.error({ err, instance: inst.uuid }, 'resumed build failed'));
}
