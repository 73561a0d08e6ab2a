// A QMP (QEMU Machine Protocol) client over the guest's unix socket: JSON lines, a greeting,
// qmp_capabilities to enter command mode, then one command at a time with its reply; asynchronous
// events (STOP, RESUME, SHUTDOWN, POWERDOWN, MIGRATION…) go to listeners. A closed socket fails
// every pending command, so a guest that dies mid-command never leaves a caller waiting.
import { EventEmitter } from 'node:events';
import net from 'node:net';

/** An error answer of QEMU ({"error": {"class", "desc"}}) or a lost connection. */
export class QmpError extends Error {
  readonly errorClass: string;
  constructor(errorClass: string, desc: string) {
    super(desc);
    this.name = 'QmpError';
    this.errorClass = errorClass;
  }
}

export interface QmpEvent {
  readonly event: string;
  readonly data?: Record<string, unknown>;
}

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

export class QmpClient {
  readonly #sock: net.Socket;
  readonly #events = new EventEmitter();
  readonly #pending = new Map<string, Pending>();
  #buf = '';
  #seq = 0;
  #closed = false;

  private constructor(sock: net.Socket) {
    this.#sock = sock;
    this.#events.setMaxListeners(0);
  }

  /** Connects, reads the greeting and negotiates capabilities. */
  static async connect(path: string, timeoutMs = 5000): Promise<QmpClient> {
    const sock = net.connect({ path });
    const client = new QmpClient(sock);
    const greeting = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new QmpError('Timeout', `No QMP greeting on ${path} within ${timeoutMs} ms.`));
      }, timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(new QmpError('ConnectionError', `QMP socket ${path}: ${err.message}`));
      };
      sock.once('error', fail);
      client.#onGreeting = () => {
        clearTimeout(timer);
        sock.off('error', fail);
        resolve();
      };
    });
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => client.#onData(chunk));
    sock.on('error', () => {});
    sock.on('close', () => client.#onClose());
    await greeting;
    await client.execute('qmp_capabilities');
    return client;
  }

  #onGreeting: (() => void) | null = null;

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs one command; resolves with its `return` value, rejects with QmpError. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = 30_000): Promise<T> {
    if (this.#closed)
      return Promise.reject(new QmpError('ConnectionClosed', `QMP connection closed before ${command}.`));
    const id = `c${++this.#seq}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new QmpError('Timeout', `QMP ${command} got no answer within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#sock.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id })}\n`);
    });
  }

  on(listener: (e: QmpEvent) => void): () => void {
    this.#events.on('event', listener);
    return () => this.#events.off('event', listener);
  }

  /** Resolves with the first event named `name` (optionally matching), or rejects after timeoutMs. */
  waitForEvent(name: string, timeoutMs: number, match?: (e: QmpEvent) => boolean): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const off = this.on((e) => {
        if (e.event !== name || (match && !match(e))) return;
        clearTimeout(timer);
        offClose();
        off();
        resolve(e);
      });
      const onClose = () => {
        clearTimeout(timer);
        off();
        reject(new QmpError('ConnectionClosed', `QMP connection closed while waiting for ${name}.`));
      };
      this.#events.once('close', onClose);
      const offClose = () => this.#events.off('close', onClose);
      const timer = setTimeout(() => {
        off();
        offClose();
        reject(new QmpError('Timeout', `No ${name} event within ${timeoutMs} ms.`));
      }, timeoutMs);
    });
  }

  /** Resolves once the connection is closed (QEMU exited, or close()). */
  whenClosed(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#events.once('close', () => resolve()));
  }

  close(): void {
    this.#sock.destroy();
  }

  #onData(chunk: string): void {
    this.#buf += chunk;
    for (let nl = this.#buf.indexOf('\n'); nl >= 0; nl = this.#buf.indexOf('\n')) {
      const line = this.#buf.slice(0, nl).trim();
      this.#buf = this.#buf.slice(nl + 1);
      if (line === '') continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      this.#dispatch(msg);
    }
  }

  #dispatch(msg: Record<string, unknown>): void {
    if ('QMP' in msg) {
      this.#onGreeting?.();
      this.#onGreeting = null;
      return;
    }
    if (typeof msg.event === 'string') {
      this.#events.emit('event', { event: msg.event, data: msg.data } as QmpEvent);
      return;
    }
    const id = typeof msg.id === 'string' ? msg.id : undefined;
    const p = id === undefined ? undefined : this.#pending.get(id);
    if (p === undefined || id === undefined) return;
    this.#pending.delete(id);
    if ('error' in msg) {
      const e = msg.error as { class?: string; desc?: string };
      p.reject(new QmpError(e.class ?? 'GenericError', e.desc ?? 'QEMU refused the command.'));
    } else p.resolve(msg.return);
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#pending.values())
      p.reject(new QmpError('ConnectionClosed', 'QMP connection closed (QEMU exited).'));
    this.#pending.clear();
    this.#events.emit('close');
  }
}
