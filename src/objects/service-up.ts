// Whether a service counts as up, as upstream's servicegroup DB driver decides: not forced down,
// and its last heartbeat (last_seen_up, else updated_at, else created_at) at most service_down_time
// seconds away from now (either way: clocks drift).

export interface Heartbeat {
  readonly forced_down: boolean;
  readonly last_seen_up: Date | null;
  readonly updated_at: Date | null;
  readonly created_at: Date | null;
}

export function isServiceUp(service: Heartbeat, now: Date, serviceDownTime: number): boolean {
  if (service.forced_down) return false;
  const last = service.last_seen_up ?? service.updated_at ?? service.created_at;
  if (!last) return false;
  return Math.abs(now.getTime() - last.getTime()) <= serviceDownTime * 1000;
}
