// Calls waiting for their reply, keyed by msg_id. Each settles exactly once: reply, failure, or
// MessagingTimeout when its timer fires. A reply that arrives later is ignored (the caller gave up).
import { type Fault, MessagingTimeout } from '../faults/fault.ts';

interface Waiter {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class PendingCalls {
  readonly #waiters = new Map<string, Waiter>();

  get size(): number {
    return this.#waiters.size;
  }

  /** Registers a call; `what` describes it in the timeout message. */
  add(msgId: string, timeoutMs: number, what: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reject(
          msgId,
          new MessagingTimeout(`Timed out after ${timeoutMs} ms waiting for a reply to ${what}`),
        );
      }, timeoutMs);
      this.#waiters.set(msgId, { resolve, reject, timer });
    });
  }

  /** False when nobody waits for this msg_id any more. */
  resolve(msgId: string, value: unknown): boolean {
    const w = this.#take(msgId);
    w?.resolve(value);
    return w !== undefined;
  }

  reject(msgId: string, err: Error | Fault): boolean {
    const w = this.#take(msgId);
    w?.reject(err);
    return w !== undefined;
  }

  rejectAll(err: Error): void {
    for (const id of [...this.#waiters.keys()]) this.reject(id, err);
  }

  #take(msgId: string): Waiter | undefined {
    const w = this.#waiters.get(msgId);
    if (!w) return undefined;
    this.#waiters.delete(msgId);
    clearTimeout(w.timer);
    return w;
  }
}
