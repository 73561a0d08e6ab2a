// [DEFAULT]: periodic task intervals and timeouts of the compute service (a value of 0 usually
// means "off"; see each help line).
import { intOpt, strOpt } from '../../opt.ts';

export const intervalOpts = {
  sync_power_state_interval: intOpt({
    help: 'Seconds between syncs of instance power state with the hypervisor; negative disables.',
    default: 600,
  }),
  heal_instance_info_cache_interval: intOpt({
    help: 'Seconds between refreshes of one instance network info cache; 0 or less disables.',
    default: -1,
  }),
  reclaim_instance_interval: intOpt({
    help: 'Seconds a deleted instance stays soft-deleted (restorable) before reclaim; 0 deletes at once.',
    default: 0,
  }),
  volume_usage_poll_interval: intOpt({ help: 'Seconds between volume usage polls; 0 disables.', default: 0 }),
  shelved_poll_interval: intOpt({
    help: 'Seconds between checks for shelved instances to offload; negative disables.',
    default: 3600,
  }),
  shelved_offload_time: intOpt({
    help: 'Seconds a shelved instance stays on its host before offload; 0 offloads at once, -1 never.',
    default: 0,
  }),
  instance_delete_interval: intOpt({
    help: 'Seconds between retries of failed deletions of instance files; 0 disables.',
    default: 300,
  }),
  block_device_allocate_retries_interval: intOpt({
    help: 'Seconds between checks that a new volume became available.',
    default: 3,
    min: 0,
  }),
  scheduler_instance_sync_interval: intOpt({
    help: 'Seconds between reports of the instance list to the scheduler.',
    default: 120,
  }),
  update_resources_interval: intOpt({
    help: 'Seconds between resource updates to placement; 0 means every periodic run.',
    default: 0,
  }),
  reboot_timeout: intOpt({
    help: 'Seconds after which an instance stuck rebooting is hard-rebooted; 0 disables.',
    default: 0,
    min: 0,
  }),
  instance_build_timeout: intOpt({
    help: 'Seconds after which a build still in progress is set to ERROR; 0 disables.',
    default: 0,
    min: 0,
  }),
  rescue_timeout: intOpt({
    help: 'Seconds after which a rescued instance is unrescued; 0 disables.',
    default: 0,
    min: 0,
  }),
  resize_confirm_window: intOpt({
    help: 'Seconds after which a resize waiting for confirmation is confirmed; 0 disables.',
    default: 0,
    min: 0,
  }),
  shutdown_timeout: intOpt({
    help: 'Seconds to wait for a clean guest shutdown before powering off.',
    default: 60,
    min: 0,
  }),
  running_deleted_instance_action: strOpt({
    help: 'What to do with instances deleted in the database but still running: reap, log, shutdown or noop.',
    default: 'reap',
    choices: ['reap', 'log', 'shutdown', 'noop'],
  }),
  running_deleted_instance_poll_interval: intOpt({
    help: 'Seconds between checks for deleted instances still running; 0 disables.',
    default: 1800,
  }),
  running_deleted_instance_timeout: intOpt({
    help: 'Seconds a deleted instance may keep running before the action applies.',
    default: 0,
  }),
  maximum_instance_delete_attempts: intOpt({
    help: 'Attempts to delete the files of an instance before giving up.',
    default: 5,
    min: 1,
  }),
};
