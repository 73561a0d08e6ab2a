// Power states of a QEMU guest as QMP reports them, and names for messages.
import type { PowerStateValue } from '../driver.ts';
import { PowerState } from '../driver.ts';

const { NOSTATE, RUNNING, PAUSED, SHUTDOWN, SUSPENDED, CRASHED } = PowerState;

/** QMP query-status `status` → upstream power_state. */
export const STATUS_TO_POWER: Readonly<Record<string, PowerStateValue>> = Object.freeze({
  running: RUNNING,
  paused: PAUSED,
  suspended: PAUSED,
  inmigrate: PAUSED,
  postmigrate: PAUSED,
  prelaunch: PAUSED,
  'finish-migrate': PAUSED,
  'save-vm': PAUSED,
  'restore-vm': PAUSED,
  debug: PAUSED,
  'io-error': PAUSED,
  watchdog: PAUSED,
  'guest-panicked': CRASHED,
  shutdown: SHUTDOWN,
  'internal-error': CRASHED,
});

export function powerName(s: PowerStateValue): string {
  return (
    {
      [NOSTATE]: 'pending',
      [RUNNING]: 'running',
      [PAUSED]: 'paused',
      [SHUTDOWN]: 'shutdown',
      [CRASHED]: 'crashed',
      [SUSPENDED]: 'suspended',
    }[s] ?? 'unknown'
  );
}
