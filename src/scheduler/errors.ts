// Scheduler faults that cross RPC (matched by code on the calling side).
import { Fault } from '../faults/fault.ts';

/** No host can take the request (upstream NoValidHost); the conductor turns it into an ERROR instance. */
export class NoValidHost extends Fault {
  constructor(reason: string) {
    super(`No valid host was found. ${reason}`, 400, NO_VALID_HOST);
  }
}

export const NO_VALID_HOST = 'nova.no_valid_host';

export function isNoValidHost(err: unknown): boolean {
  return err instanceof Fault && err.code === NO_VALID_HOST;
}
