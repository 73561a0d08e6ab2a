// A channel that comes back: opened on the current connection and after every reconnect, re-opened
// when the broker closes it while the connection stays up (e.g. a channel error), and each time
// `setup` re-declares what its owner needs before the channel counts as ready.
import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { Logger } from '../../common/log.ts';
import type { RabbitConnection } from './connection.ts';

export interface ManagedChannelOptions<C extends Channel> {
  /** For log lines: 'publisher', 'listener compute.host1'… */
  readonly name: string;
  readonly confirm: C extends ConfirmChannel ? true : false;
  /** Declarations, qos, consumers; the channel is `current` only once this resolved. */
  setup(ch: C): Promise<void>;
  onReady?(ch: C): void;
  /** The channel closed (broker, connection loss or close()). */
  onLost?(ch: C): void;
}

const REOPEN_DELAY_MS = 250;

export class ManagedChannel<C extends Channel> {
  readonly #conn: RabbitConnection;
  readonly #log: Logger;
  readonly #opts: ManagedChannelOptions<C>;
  readonly #unregister: () => void;
  readonly #waiters = new Set<(ch: C) => void>();
  #current: C | undefined;
  #reopen = true;
  #retry: NodeJS.Timeout | undefined;
  #opening: ChannelModel | undefined;

  constructor(conn: RabbitConnection, log: Logger, opts: ManagedChannelOptions<C>) {
    this.#conn = conn;
    this.#log = log;
    this.#opts = opts;
    this.#unregister = conn.onUp((model) => this.#open(model));
    if (conn.model) void this.#open(conn.model);
  }

  /** The ready channel, or undefined while (re)opening. */
  get current(): C | undefined {
    return this.#current;
  }

  /** Waits for a ready channel; rejects after timeoutMs. */
  ready(timeoutMs: number): Promise<C> {
    if (this.#current) return Promise.resolve(this.#current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`${this.#opts.name}: channel not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = (ch: C): void => {
        clearTimeout(timer);
        resolve(ch);
      };
      this.#waiters.add(wake);
    });
  }

  /** Keep the current channel but never open another one (a stopping listener draining). */
  stopReopening(): void {
    this.#reopen = false;
    this.#unregister();
    clearTimeout(this.#retry);
  }

  async close(): Promise<void> {
    this.stopReopening();
    const ch = this.#current;
    this.#current = undefined;
    await ch?.close().catch(() => {});
  }

  async #open(model: ChannelModel): Promise<void> {
    if (!this.#reopen || this.#current || this.#opening === model) return;
    this.#opening = model;
    try {
      await this.#openOn(model);
    } finally {
      if (this.#opening === model) this.#opening = undefined;
    }
  }

  async #openOn(model: ChannelModel): Promise<void> {
    let ch: C;
    try {
      ch = (this.#opts.confirm ? await model.createConfirmChannel() : await model.createChannel()) as C;
    } catch (err) {
      this.#log.debug({ err: (err as Error).message }, `${this.#opts.name}: cannot open a channel`);
      this.#retryLater();
      return;
    }
    ch.on('error', (err: Error) => this.#log.warn({ err: err.message }, `${this.#opts.name}: channel error`));
    ch.on('close', () => this.#lost(model, ch));
    try {
      await this.#opts.setup(ch);
    } catch (err) {
      const level = this.#conn.model === model ? 'warn' : 'debug';
      this.#log[level]({ err: (err as Error).message }, `${this.#opts.name}: channel setup failed; retrying`);
      await ch.close().catch(() => {}); // 'close' → #lost → retry
      return;
    }
    if (!this.#reopen) {
      await ch.close().catch(() => {});
      return;
    }
    this.#current = ch;
    for (const wake of [...this.#waiters]) wake(ch);
    this.#waiters.clear();
    this.#opts.onReady?.(ch);
  }

  #lost(model: ChannelModel, ch: C): void {
    if (this.#current === ch) this.#current = undefined;
    this.#opts.onLost?.(ch);
    // When the whole connection went, the reconnect's up handler reopens; otherwise reopen here.
    if (this.#conn.model === model) this.#retryLater();
  }

  #retryLater(): void {
    if (this.#retry || !this.#reopen) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      const model = this.#conn.model;
      if (model) void this.#open(model);
    }, REOPEN_DELAY_MS);
  }
}
