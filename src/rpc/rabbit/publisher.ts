// Publishing with publisher confirms: a message counts as sent only when the broker confirmed it.
// Until then it stays in `#pending` and is (re)published on every new ready channel: after a channel
// error, a lost connection or a broker restart. Each message has a deadline; past it the promise
// fails with MessagingTimeout and the message is forgotten. Delivery is at-least-once: a message
// whose confirm was lost with the connection is published again.
import type { ConfirmChannel, Options } from 'amqplib';
import type { Logger } from '../../common/log.ts';
import { MessagingTimeout } from '../../faults/fault.ts';
import { TransportClosed } from '../faults.ts';
import type { RabbitConnection } from './connection.ts';
import { ManagedChannel } from './managed-channel.ts';
import { type Declaration, declareControlExchange, type Route } from './topology.ts';

interface Outgoing {
  readonly route: Route;
  readonly body: Buffer;
  readonly props: Options.Publish;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
  /** The channel it was last published on and not yet confirmed or failed on. */
  sentOn?: ConfirmChannel;
  lastError?: string;
  done: boolean;
}

const NACK_RETRY_MS = 100;

export class Publisher {
  readonly #pending = new Set<Outgoing>();
  readonly #channel: ManagedChannel<ConfirmChannel>;
  /** Declarations done on the current channel (reset with each new channel). */
  #declared = new Map<string, Promise<void>>();

  constructor(conn: RabbitConnection, exchange: string, log: Logger) {
    this.#channel = new ManagedChannel<ConfirmChannel>(conn, log, {
      name: 'publisher',
      confirm: true,
      setup: async (ch) => {
        this.#declared = new Map();
        await declareControlExchange(ch, exchange);
      },
      onReady: (ch) => {
        for (const item of this.#pending) if (item.sentOn !== ch) void this.#send(ch, item);
      },
      onLost: (ch) => {
        for (const item of this.#pending) if (item.sentOn === ch) item.sentOn = undefined;
      },
    });
  }

  /** Resolves once the broker confirmed the message; MessagingTimeout when that takes over timeoutMs. */
  publish(route: Route, body: Buffer, props: Options.Publish, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const item: Outgoing = { route, body, props, resolve, reject, done: false };
      item.timer = setTimeout(() => {
        const to = `${route.exchange}/${route.routingKey || '(fanout)'}`;
        const why = item.lastError ? ` (last error: ${item.lastError})` : '';
        this.#finish(
          item,
          new MessagingTimeout(
            `The message broker did not accept a message to ${to} within ${timeoutMs} ms${why}`,
          ),
        );
      }, timeoutMs);
      this.#pending.add(item);
      const ch = this.#channel.current;
      if (ch) void this.#send(ch, item);
    });
  }

  async close(): Promise<void> {
    for (const item of this.#pending)
      this.#finish(item, new TransportClosed('RPC transport closed before the broker confirmed a message'));
    await this.#channel.close();
  }

  async #send(ch: ConfirmChannel, item: Outgoing): Promise<void> {
    item.sentOn = ch;
    try {
      await this.#declare(ch, item.route.declare);
    } catch (err) {
      item.lastError = (err as Error).message;
      return; // the channel failed and closes; the item goes out again on the next one
    }
    if (item.done || item.sentOn !== ch) return;
    const { exchange, routingKey } = item.route;
    try {
      ch.publish(exchange, routingKey, item.body, item.props, (err) => this.#confirmed(ch, item, err));
    } catch {
      if (item.sentOn === ch) item.sentOn = undefined; // channel closed under us; resent when a new one is ready
    }
  }

  #confirmed(ch: ConfirmChannel, item: Outgoing, err: unknown): void {
    if (!err) {
      this.#finish(item);
      return;
    }
    if (item.sentOn !== ch) return;
    item.sentOn = undefined;
    item.lastError = (err as Error).message ?? String(err);
    // A nack on a live channel: try again shortly. A closed channel: the next ready channel resends.
    setTimeout(() => {
      const current = this.#channel.current;
      if (!item.done && current === ch && item.sentOn === undefined) void this.#send(ch, item);
    }, NACK_RETRY_MS);
  }

  #declare(ch: ConfirmChannel, decl: Declaration): Promise<void> {
    let done = this.#declared.get(decl.key);
    if (!done) {
      done = decl.apply(ch);
      this.#declared.set(decl.key, done);
      done.catch(() => this.#declared.delete(decl.key));
    }
    return done;
  }

  #finish(item: Outgoing, err?: Error): void {
    if (item.done) return;
    item.done = true;
    clearTimeout(item.timer);
    this.#pending.delete(item);
    if (err) item.reject(err);
    else item.resolve();
  }
}
