// Waiting for external events about an instance (upstream's InstanceEvents and
// virtapi.wait_for_instance_event): a compute prepares the events it expects (network-vif-plugged
// per port) before it does what causes them, then waits; external_instance_event hands each
// arriving event to its waiter. An event nobody waits for is dropped.
import type { Logger } from '../common/log.ts';

/** `network-vif-plugged-<port id>`: an event's key, its name and tag. */
export const eventKey = (name: string, tag: string | null): string => (tag ? `${name}-${tag}` : name);

export class VirtualInterfaceCreateFailed extends Error {
  override readonly name = 'VirtualInterfaceCreateException';
  constructor() {
    super('Virtual Interface creation failed');
  }
}

interface Waiter {
  readonly resolve: (status: string) => void;
  readonly promise: Promise<string>;
}

export class InstanceEvents {
  readonly #waiters = new Map<string, Map<string, Waiter>>();

  /** Registers waiters for `keys` of the instance; a second prepare of a key keeps the first. */
  prepare(instanceUuid: string, keys: readonly string[]): Map<string, Promise<string>> {
    let forInstance = this.#waiters.get(instanceUuid);
    if (!forInstance) {
      forInstance = new Map();
      this.#waiters.set(instanceUuid, forInstance);
    }
    const out = new Map<string, Promise<string>>();
    for (const key of keys) {
      let w = forInstance.get(key);
      if (!w) {
        let resolve!: (status: string) => void;
        const promise = new Promise<string>((r) => {
          resolve = r;
        });
        w = { resolve, promise };
        forInstance.set(key, w);
      }
      out.set(key, w.promise);
    }
    return out;
  }

  /** Hands an arriving event to its waiter; false when nobody waited for it. */
  pop(instanceUuid: string, key: string, status: string): boolean {
    const forInstance = this.#waiters.get(instanceUuid);
    const w = forInstance?.get(key);
    if (!forInstance || !w) return false;
    forInstance.delete(key);
    if (forInstance.size === 0) this.#waiters.delete(instanceUuid);
    w.resolve(status);
    return true;
  }

  /** Drops the instance's waiters (the operation ended, or the instance went). */
  clear(instanceUuid: string, keys?: readonly string[]): void {
    const forInstance = this.#waiters.get(instanceUuid);
    if (!forInstance) return;
    for (const k of keys ?? [...forInstance.keys()]) forInstance.delete(k);
    if (forInstance.size === 0) this.#waiters.delete(instanceUuid);
  }

  pending(instanceUuid: string): string[] {
    return [...(this.#waiters.get(instanceUuid)?.keys() ?? [])];
  }
}

export interface VifWaitOptions {
  /** [DEFAULT] vif_plugging_timeout: seconds; 0 does not wait. */
  readonly timeoutS: number;
  /** [DEFAULT] vif_plugging_is_fatal: a timeout or failed event fails the operation. */
  readonly fatal: boolean;
  readonly log: Logger;
  /**
   * Which of the ports the network service says are ACTIVE now: their events are not waited for
   * (the cache said "not wired", but a rebuild's new tap took over a port still wired under the
   * same name, so no status change and no event will come).
   */
  readonly activeNow?: (portIds: readonly string[]) => Promise<readonly string[]>;
}

/**
 * Prepares network-vif-plugged waiters for the ports and returns the wait a driver calls once the
 * guest's interfaces exist (before the guest runs), or undefined when there is nothing to wait for.
 */
export function prepareVifWait(
  events: InstanceEvents,
  instanceUuid: string,
  portIds: readonly string[],
  o: VifWaitOptions,
): (() => Promise<void>) | undefined {
  if (portIds.length === 0) return undefined;
  const keys = portIds.map((p) => eventKey('network-vif-plugged', p));
  const waiting = events.prepare(instanceUuid, keys);
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), o.timeoutS * 1000);
    });
    try {
      const active = await o.activeNow?.(portIds).catch(() => []);
      for (const p of active ?? []) events.pop(instanceUuid, eventKey('network-vif-plugged', p), 'completed');
      const results = await Promise.race([Promise.all(waiting.values()), deadline]);
      if (results === 'timeout') {
        const left = events.pending(instanceUuid).filter((k) => keys.includes(k));
        o.log.warn({ instance: instanceUuid, events: left }, `Timeout waiting for ${left.join(', ')}`);
        if (o.fatal) throw new VirtualInterfaceCreateFailed();
        return;
      }
      if (results.some((s) => s === 'failed')) {
        o.log.warn({ instance: instanceUuid }, 'The network service reported a failed VIF plug');
        if (o.fatal) throw new VirtualInterfaceCreateFailed();
      }
    } finally {
      clearTimeout(timer);
      events.clear(instanceUuid, keys);
    }
  };
}

/**
 * SpawnOptions.prepareVifPlugged for an instance: waiters from [DEFAULT] vif_plugging_timeout and
 * vif_plugging_is_fatal; undefined when this compute takes no events.
 */
export function vifPluggedWaits(
  events: InstanceEvents | undefined,
  instanceUuid: string,
  o: VifWaitOptions,
): ((portIds: readonly string[]) => () => Promise<void>) | undefined {
  if (!events || o.timeoutS <= 0) return undefined;
  return (portIds) => prepareVifWait(events, instanceUuid, portIds, o) ?? (async () => {});
}
