// The API status of a server from its vm_state and task_state (upstream's _STATE_MAP in
// api/openstack/common.py), and the reverse used by the `status` list filter.

const RESIZING = {
  resize_prep: 'RESIZE',
  resize_migrating: 'RESIZE',
  resize_migrated: 'RESIZE',
  resize_finish: 'RESIZE',
};
const REBUILDING = {
  rebuilding: 'REBUILD',
  rebuild_block_device_mapping: 'REBUILD',
  rebuild_spawning: 'REBUILD',
};

/** vm_state → { task_state or 'default' → status }. */
export const STATE_MAP: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.freeze({
  active: Object.freeze({
    default: 'ACTIVE',
    rebooting: 'REBOOT',
    reboot_pending: 'REBOOT',
    reboot_started: 'REBOOT',
    rebooting_hard: 'HARD_REBOOT',
    reboot_pending_hard: 'HARD_REBOOT',
    reboot_started_hard: 'HARD_REBOOT',
    updating_password: 'PASSWORD',
    ...REBUILDING,
    migrating: 'MIGRATING',
    ...RESIZING,
  }),
  building: Object.freeze({ default: 'BUILD' }),
  stopped: Object.freeze({ default: 'SHUTOFF', ...RESIZING, ...REBUILDING }),
  resized: Object.freeze({ default: 'VERIFY_RESIZE', resize_reverting: 'REVERT_RESIZE' }),
  paused: Object.freeze({ default: 'PAUSED', migrating: 'MIGRATING' }),
  suspended: Object.freeze({ default: 'SUSPENDED' }),
  rescued: Object.freeze({ default: 'RESCUE' }),
  error: Object.freeze({ default: 'ERROR', ...REBUILDING }),
  deleted: Object.freeze({ default: 'DELETED' }),
  'soft-delete': Object.freeze({ default: 'SOFT_DELETED' }),
  shelved: Object.freeze({ default: 'SHELVED' }),
  shelved_offloaded: Object.freeze({ default: 'SHELVED_OFFLOADED' }),
});

/** Every status the API can show. */
export const SERVER_STATUSES = Object.freeze([
  ...new Set([...Object.values(STATE_MAP).flatMap((m) => Object.values(m)), 'UNKNOWN']),
]);

/** The API status; a deleted instance is DELETED whatever its states, an unknown vm_state UNKNOWN. */
export function statusOf(vmState: string | null, taskState: string | null, deleted = false): string {
  if (deleted) return 'DELETED';
  const tasks = vmState === null ? undefined : STATE_MAP[vmState];
  if (!tasks) return 'UNKNOWN';
  return (
    (taskState !== null && Object.hasOwn(tasks, taskState) ? tasks[taskState] : undefined) ?? tasks.default
  );
}

export interface StatesForStatus {
  /** vm_states having one of the statuses (sorted). */
  readonly vmStates: readonly string[];
  /** Their task states, 'default' standing for "any task state" (sorted). */
  readonly taskStates: readonly string[];
}

/** Statuses (any case) → the vm and task states showing them; both empty when none is known. */
export function statesForStatuses(statuses: readonly string[]): StatesForStatus {
  const wanted = new Set(statuses.map((s) => s.toLowerCase()));
  const vm = new Set<string>();
  const task = new Set<string>();
  for (const [vmState, tasks] of Object.entries(STATE_MAP))
    for (const [taskState, status] of Object.entries(tasks))
      if (wanted.has(status.toLowerCase())) {
        vm.add(vmState);
        task.add(taskState);
      }
  return { vmStates: [...vm].sort(), taskStates: [...task].sort() };
}
