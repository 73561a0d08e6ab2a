// Power and pause/suspend/rescue operations: the API has set the task state; the compute asks the
// driver and settles vm_state / power_state / task_state as upstream does. One table row per
// operation keeps the transitions in one readable place.
import type { RequestContext, RpcMethod } from '../../rpc/index.ts';
import type { DriverInstance, VirtDriver } from '../../virt/driver.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { instanceAction, update } from './instance-ops.ts';

interface Transition {
  /** task_state the API set. */
  readonly task: string;
  /** vm_state once done. */
  readonly vmState: string;
  /** instance action event name (compute_<event>). */
  readonly event: string;
  readonly run: (
    d: VirtDriver,
    i: DriverInstance,
    args: Readonly<Record<string, unknown>>,
    deps: ComputeManagerDeps,
  ) => Promise<void>;
}

const T: Readonly<Record<string, Transition>> = Object.freeze({
  stop_instance: {
    task: 'powering-off',
    vmState: 'stopped',
    event: 'stop_instance',
    run: (d, i, _a, deps) => d.powerOff(i, deps.conf.DEFAULT.shutdown_timeout),
  },
  start_instance: {
    task: 'powering-on',
    vmState: 'active',
    event: 'start_instance',
    run: (d, i) => d.powerOn(i),
  },
  reboot_instance: {
    task: 'rebooting',
    vmState: 'active',
    event: 'reboot_instance',
    run: (d, i, a) => d.reboot(i, a.reboot_type === 'HARD' ? 'HARD' : 'SOFT'),
  },
  pause_instance: { task: 'pausing', vmState: 'paused', event: 'pause_instance', run: (d, i) => d.pause(i) },
  unpause_instance: {
    task: 'unpausing',
    vmState: 'active',
    event: 'unpause_instance',
    run: (d, i) => d.unpause(i),
  },
  suspend_instance: {
    task: 'suspending',
    vmState: 'suspended',
    event: 'suspend_instance',
    run: (d, i) => d.suspend(i),
  },
  resume_instance: {
    task: 'resuming',
    vmState: 'active',
    event: 'resume_instance',
    run: (d, i) => d.resume(i),
  },
  rescue_instance: {
    task: 'rescuing',
    vmState: 'rescued',
    event: 'rescue_instance',
    run: (d, i, a) =>
      d.rescue(
        i,
        {
          min_ram: 0,
          min_disk: 0,
          properties: {},
          ...(typeof a.rescue_image_ref === 'string' ? { id: a.rescue_image_ref } : {}),
        },
        (a.rescue_password as string | null) ?? null,
      ),
  },
  unrescue_instance: {
    task: 'unrescuing',
    vmState: 'active',
    event: 'unrescue_instance',
    run: (d, i) => d.unrescue(i),
  },
  soft_delete_instance: {
    task: 'soft-deleting',
    vmState: 'soft-delete',
    event: 'soft_delete_instance',
    run: (d, i, _a, deps) => d.powerOff(i, deps.conf.DEFAULT.shutdown_timeout),
  },
  restore_instance: {
    task: 'restoring',
    vmState: 'active',
    event: 'restore_instance',
    run: (d, i) => d.powerOn(i),
  },
});

/** Task states a reboot may find (soft and hard). */
const REBOOT_TASKS = [
  'rebooting',
  'rebooting_hard',
  'reboot_pending',
  'reboot_pending_hard',
  'reboot_started',
  'reboot_started_hard',
];

async function transition(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  method: string,
  args: { instance_uuid: string } & Readonly<Record<string, unknown>>,
): Promise<void> {
  const t = T[method];
  await instanceAction(
    deps,
    ctx,
    args.instance_uuid,
    t.event,
    async (inst) => {
      const di = toDriverInstance(inst);
      await t.run(deps.driver, di, args, deps);
      const info = await deps.driver.getInfo(di);
      // A hard reboot may overtake a soft one: whichever ends second finds the task state cleared.
      const expected = method === 'reboot_instance' ? [...REBOOT_TASKS, null] : [t.task];
      await update(
        deps,
        ctx,
        inst.uuid,
        { vm_state: t.vmState, task_state: null, power_state: info.state },
        expected,
      );
    },
    // A failed reboot leaves the guest in an unknown state: ERROR, as upstream.
    method === 'reboot_instance' ? { vmState: 'error' } : {},
  );
}

export function powerMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  const out: Record<string, RpcMethod> = {};
  for (const method of Object.keys(T))
    out[method] = async (ctx, args: { instance_uuid: string }) => {
      await transition(deps, ctx, method, args);
      return null;
    };
  return out;
}
