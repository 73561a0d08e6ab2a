// Server actions that move an instance through a task state and hand the work to its compute
// (stop, start, reboot, pause, suspend, rescue, crash dump, …), and those the API settles alone
// (lock, unlock, reset state). Allowed states per action follow upstream's check_instance_state.
import { randomBytes } from 'node:crypto';
import type { AuthContext } from '../../auth/types.ts';
import type { CellRef } from '../../cells/lookup.ts';
import type { Clock } from '../../common/clock.ts';
import type { NovaConf } from '../../config/index.ts';
import { Invalid } from '../../faults/fault.ts';
import type { Instance } from '../../objects/instance.ts';
import * as instances from '../../objects/instance.ts';
import * as actions from '../../objects/instance-action.ts';
import * as meta from '../../objects/instance-metadata.ts';
import type { ServersBackend } from './backend.ts';
import { rpcContext } from './delete.ts';
import { checkLock, checkState, type StateRule } from './lookup.ts';

export interface ActionDeps {
  readonly clock: Clock;
  readonly backend: ServersBackend;
}

export interface CastAction {
  /** instance action name recorded (and upstream's name in InstanceInvalidState). */
  readonly action: string;
  readonly rule: StateRule;
  readonly taskState: string;
  readonly rpc: string;
  /** Locked servers refuse it (most actions). */
  readonly checkLock: boolean;
}

const ANY_TASK = 'any' as const;

export const CAST_ACTIONS = Object.freeze({
  stop: {
    action: 'stop',
    rule: { vmStates: ['active', 'error'] },
    taskState: 'powering-off',
    rpc: 'stop_instance',
    checkLock: true,
  },
  start: {
    action: 'start',
    rule: { vmStates: ['stopped'] },
    taskState: 'powering-on',
    rpc: 'start_instance',
    checkLock: true,
  },
  pause: {
    action: 'pause',
    rule: { vmStates: ['active'] },
    taskState: 'pausing',
    rpc: 'pause_instance',
    checkLock: true,
  },
  unpause: {
    action: 'unpause',
    rule: { vmStates: ['paused'] },
    taskState: 'unpausing',
    rpc: 'unpause_instance',
    checkLock: true,
  },
  suspend: {
    action: 'suspend',
    rule: { vmStates: ['active'] },
    taskState: 'suspending',
    rpc: 'suspend_instance',
    checkLock: true,
  },
  resume: {
    action: 'resume',
    rule: { vmStates: ['suspended'] },
    taskState: 'resuming',
    rpc: 'resume_instance',
    checkLock: true,
  },
  rescue: {
    action: 'rescue',
    rule: { vmStates: ['active', 'stopped', 'error'] },
    taskState: 'rescuing',
    rpc: 'rescue_instance',
    checkLock: true,
  },
  unrescue: {
    action: 'unrescue',
    rule: { vmStates: ['rescued'] },
    taskState: 'unrescuing',
    rpc: 'unrescue_instance',
    checkLock: true,
  },
} satisfies Record<string, CastAction>);

const REBOOT_SOFT_RULE: StateRule = {
  vmStates: ['active', 'stopped', 'paused', 'suspended', 'error'],
  taskStates: [null],
};
const REBOOT_HARD_RULE: StateRule = {
  vmStates: ['active', 'stopped', 'paused', 'suspended', 'error'],
  taskStates: [
    null,
    'rebooting',
    'reboot_pending',
    'reboot_started',
    'rebooting_hard',
    'reboot_pending_hard',
    'reboot_started_hard',
  ],
};

function recordAction(
  cell: CellRef,
  inst: Instance,
  name: string,
  auth: AuthContext,
  requestId: string,
  now: Date,
) {
  return actions.start(
    cell.db,
    inst.uuid,
    name,
    { request_id: requestId, user_id: auth.user_id, project_id: auth.project_id ?? null },
    now,
  );
}

/** Checks state and lock, sets the task state (conditionally), records the action, casts to the compute. */
export async function castAction(
  d: ActionDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
  a: CastAction,
  args: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  if (a.checkLock) checkLock(inst, auth);
  checkState(inst, a.action, a.rule);
  const now = d.clock.now();
  const expected = a.rule.taskStates === ANY_TASK ? undefined : (a.rule.taskStates ?? [null]);
  await instances.update(
    cell.db,
    inst.uuid,
    { task_state: a.taskState },
    now,
    expected ? { expectedTaskState: expected } : {},
  );
  await recordAction(cell, inst, a.action, auth, requestId, now);
  if (!inst.host) throw new Invalid(`Instance ${inst.uuid} has no host.`);
  await d.backend.compute.cast(rpcContext(auth, requestId), inst.host, a.rpc, {
    instance_uuid: inst.uuid,
    ...args,
  });
}

export async function reboot(
  d: ActionDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
  type: 'SOFT' | 'HARD',
): Promise<void> {
  const hard = type === 'HARD';
  await castAction(
    d,
    auth,
    requestId,
    cell,
    inst,
    {
      action: 'reboot',
      rule: hard ? REBOOT_HARD_RULE : REBOOT_SOFT_RULE,
      taskState: hard ? 'rebooting_hard' : 'rebooting',
      rpc: 'reboot_instance',
      checkLock: true,
    },
    { reboot_type: type },
  );
}

/** The admin password of a create/rebuild/rescue: the caller's, else a generated one when [api] enable_instance_password. */
export function adminPassword(conf: NovaConf, given: unknown): string | null {
  if (typeof given === 'string') return given;
  return conf.api.enable_instance_password ? generatedPassword(conf.DEFAULT.password_length) : null;
}

export function generatedPassword(length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

export async function lock(
  d: ActionDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
  reason: string | null,
) {
  const now = d.clock.now();
  await instances.update(
    cell.db,
    inst.uuid,
    { locked: true, locked_by: inst.project_id === auth.project_id ? 'owner' : 'admin' },
    now,
  );
  if (reason !== null)
    await meta.set(cell.db, 'instance_system_metadata', inst.uuid, { locked_reason: reason }, false, now);
  await recordAction(cell, inst, 'lock', auth, requestId, now);
}

export async function unlock(
  d: ActionDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
) {
  const now = d.clock.now();
  await instances.update(cell.db, inst.uuid, { locked: false, locked_by: null }, now);
  await meta.removeKeys(cell.db, 'instance_system_metadata', inst.uuid, ['locked_reason'], now);
  await recordAction(cell, inst, 'unlock', auth, requestId, now);
}

/** os-resetState: vm_state active or error, task state cleared (admins). */
export async function resetState(
  d: ActionDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
  state: 'active' | 'error',
) {
  const now = d.clock.now();
  await instances.update(cell.db, inst.uuid, { vm_state: state, task_state: null }, now);
  await recordAction(cell, inst, 'reset_state', auth, requestId, now);
}

/** trigger_crash_dump (2.17). */
export async function triggerCrashDump(
  d: ActionDeps,
  auth: AuthContext,
  requestId: string,
  cell: CellRef,
  inst: Instance,
) {
  checkLock(inst, auth);
  checkState(inst, 'trigger_crash_dump', { vmStates: ['active', 'paused', 'rescued', 'resized', 'error'] });
  const now = d.clock.now();
  await recordAction(cell, inst, 'trigger_crash_dump', auth, requestId, now);
  if (inst.host)
    await d.backend.compute.cast(rpcContext(auth, requestId), inst.host, 'trigger_crash_dump', {
      instance_uuid: inst.uuid,
    });
}
