// An in-process broker with RabbitMQ's delivery semantics: named queues that keep messages until a
// consumer comes (round-robin among consumers), per-topic fanout to every subscriber, expiring call
// messages, and always-asynchronous delivery (never inside the publisher's own call stack).

export interface MemoryMessage {
  readonly body: string;
  /** Date.now() after which the message is dropped instead of delivered. */
  readonly expiresAt?: number;
}

export type MemoryConsumer = (body: string) => void;

interface Queue {
  readonly messages: MemoryMessage[];
  readonly consumers: MemoryConsumer[];
  cursor: number;
  scheduled: boolean;
}

const expired = (m: MemoryMessage, now: number): boolean => m.expiresAt !== undefined && m.expiresAt <= now;

export class MemoryBroker {
  readonly #queues = new Map<string, Queue>();
  readonly #fanouts = new Map<string, Set<MemoryConsumer>>();

  /** Queues the message on `queue` (created on first use, kept while empty). */
  publish(queue: string, msg: MemoryMessage): void {
    const q = this.#queue(queue);
    if (q.consumers.length === 0) this.#dropExpired(q);
    q.messages.push(msg);
    this.#schedule(q);
  }

  /** Delivers to every current subscriber of the topic's fanout; nobody listening = dropped. */
  fanout(topic: string, body: string): void {
    for (const consumer of this.#fanouts.get(topic) ?? []) setImmediate(consumer, body);
  }

  /** Adds a round-robin consumer; returns its cancel function. */
  consume(queue: string, consumer: MemoryConsumer): () => void {
    const q = this.#queue(queue);
    q.consumers.push(consumer);
    this.#schedule(q);
    return () => {
      const i = q.consumers.indexOf(consumer);
      if (i >= 0) q.consumers.splice(i, 1);
    };
  }

  subscribeFanout(topic: string, consumer: MemoryConsumer): () => void {
    const subs = this.#fanouts.get(topic) ?? new Set();
    this.#fanouts.set(topic, subs);
    subs.add(consumer);
    return () => {
      subs.delete(consumer);
      if (subs.size === 0) this.#fanouts.delete(topic);
    };
  }

  clear(): void {
    this.#queues.clear();
    this.#fanouts.clear();
  }

  #queue(name: string): Queue {
    let q = this.#queues.get(name);
    if (!q) {
      q = { messages: [], consumers: [], cursor: 0, scheduled: false };
      this.#queues.set(name, q);
    }
    return q;
  }

  #dropExpired(q: Queue): void {
    const now = Date.now();
    const live = q.messages.filter((m) => !expired(m, now));
    q.messages.splice(0, q.messages.length, ...live);
  }

  #schedule(q: Queue): void {
    if (q.scheduled) return;
    q.scheduled = true;
    setImmediate(() => {
      q.scheduled = false;
      const now = Date.now();
      while (q.messages.length > 0 && q.consumers.length > 0) {
        const msg = q.messages.shift()!;
        if (expired(msg, now)) continue;
        q.cursor = (q.cursor + 1) % q.consumers.length;
        q.consumers[q.cursor](msg.body);
      }
    });
  }
}
