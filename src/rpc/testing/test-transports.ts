// For tests: every transport the contract suite runs over (Kysely's DIALECTS loop). memory:// always;
// rabbit:// when NOVA_TS_TEST_RABBIT_URL is set (scripts/test.ts sets it when RabbitMQ answers). Each
// opened transport gets its own control exchange and records the topics it used, so cleanup() can
// delete every queue and exchange it left on the broker.
import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { parseRabbitUrl } from '../rabbit/rabbit-url.ts';
import { createTransport } from '../registry.ts';
import { routingKey } from '../target.ts';
import type { ListenTarget, Transport, TransportOptions } from '../types.ts';
import { acquireShared } from './broker-lock.ts';

export interface TestTransport {
  readonly transport: Transport;
  readonly exchange: string;
  /** A topic name no other test uses. */
  topic(hint?: string): string;
  /** Closes the transport and removes its queues and exchanges (and `extraQueues`) from the broker. */
  cleanup(extraQueues?: readonly string[]): Promise<void>;
}

export interface TestTransportKind {
  readonly name: string;
  readonly url: string;
  /** Set when this transport cannot run here; pass to describe(…, { skip }). */
  readonly skip?: string;
  open(opts?: TransportOptions): Promise<TestTransport>;
}

export const RABBIT_URL_ENV = 'NOVA_TS_TEST_RABBIT_URL';

/** Deletes queues and exchanges through a separate connection; missing ones are fine. */
export async function deleteFromBroker(url: string, queues: string[], exchanges: string[]): Promise<void> {
  const { hosts, vhost } = parseRabbitUrl(url);
  const { hostname, port, username, password } = hosts[0];
  const conn = await connect({
    protocol: 'amqp',
    hostname,
    port,
    username,
    password,
    vhost: encodeURIComponent(vhost),
  });
  try {
    conn.on('error', () => {});
    for (const [kind, name] of [...queues.map((q) => ['q', q]), ...exchanges.map((e) => ['x', e])]) {
      const ch = await conn.createChannel();
      ch.on('error', () => {});
      await (kind === 'q' ? ch.deleteQueue(name) : ch.deleteExchange(name)).catch(() => {});
      await ch.close().catch(() => {});
    }
  } finally {
    await conn.close().catch(() => {});
  }
}

/** Wraps a transport to remember every target it was given. */
function recording(inner: Transport, seen: ListenTarget[]): Transport {
  const note = <T extends ListenTarget>(target: T): T => {
    seen.push(target);
    return target;
  };
  return {
    url: inner.url,
    call: (ctx, target, method, args, opts) => inner.call(ctx, note(target), method, args, opts),
    cast: (ctx, target, method, args, opts) => inner.cast(ctx, note(target), method, args, opts),
    listen: (target, endpoints, opts) => inner.listen(note(target), endpoints, opts),
    close: () => inner.close(),
  };
}

async function openTest(url: string, opts: TransportOptions, onBroker: boolean): Promise<TestTransport> {
  const exchange = `nova-test-${randomUUID()}`;
  const seen: ListenTarget[] = [];
  // Generous timeouts: another test file may restart the broker while this one runs.
  const release = onBroker ? await acquireShared() : () => {};
  let inner: Transport;
  try {
    inner = await createTransport(url, {
      responseTimeoutMs: 20_000,
      startupRetryMs: 30_000,
      ...opts,
      exchange,
    });
  } catch (err) {
    release();
    throw err;
  }
  return {
    transport: recording(inner, seen),
    exchange,
    topic: (hint = 't') => `${hint}-${randomUUID().slice(0, 8)}`,
    async cleanup(extraQueues: readonly string[] = []) {
      try {
        await inner.close();
        if (!onBroker) return;
        const queues = new Set([...seen.flatMap((t) => [t.topic, routingKey(t)]), ...extraQueues]);
        const exchanges = new Set([...seen.map((t) => `${t.topic}_fanout`), exchange]);
        await deleteFromBroker(url, [...queues], [...exchanges]);
      } finally {
        release();
      }
    },
  };
}

export function testTransports(): readonly TestTransportKind[] {
  const rabbitUrl = process.env[RABBIT_URL_ENV];
  return [
    { name: 'memory', url: 'memory://', open: (opts = {}) => openTest('memory://', opts, false) },
    {
      name: 'rabbit',
      url: rabbitUrl ?? '',
      skip: rabbitUrl ? undefined : `${RABBIT_URL_ENV} is not set (RabbitMQ not reachable)`,
      open: (opts = {}) => openTest(rabbitUrl ?? '', opts, true),
    },
  ];
}
