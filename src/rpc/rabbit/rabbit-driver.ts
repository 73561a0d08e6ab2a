// rabbit:// and amqp:// — RabbitMQ through amqplib. See topology.ts for the exchanges and queues,
// publisher.ts for confirms and buffering, subscription.ts for acknowledgements and prefetch.
import type { Options } from 'amqplib';
import { StartupError } from '../../faults/fault.ts';
import type { DriverFactory, OutgoingMessage, RpcDriver } from '../driver.ts';
import type { Target } from '../types.ts';
import { RabbitConnection } from './connection.ts';
import { Publisher } from './publisher.ts';
import { parseRabbitUrl } from './rabbit-url.ts';
import { createReplyQueue } from './reply-queue.ts';
import { subscribe } from './subscription.ts';
import { routeFor } from './topology.ts';

function properties(msg: OutgoingMessage, replyTo: string): Options.Publish {
  const base: Options.Publish = {
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    deliveryMode: 1,
  };
  if (msg.msgId === undefined) return base;
  // A call nobody waits for any more is dropped by the broker instead of being executed late.
  const expiration = msg.expiresInMs === undefined ? {} : { expiration: String(msg.expiresInMs) };
  return { ...base, correlationId: msg.msgId, replyTo, ...expiration };
}

export const rabbitDriver: DriverFactory = {
  async create(url, opts, hooks): Promise<RpcDriver> {
    const parsed = parseRabbitUrl(url);
    const log = opts.log;
    const conn = await RabbitConnection.open({
      url: parsed,
      log,
      startupRetryMs: opts.startupRetryMs,
      reconnectMaxDelayMs: opts.reconnectMaxDelayMs,
    });
    // Created first so that after a reconnect the reply queue exists again before buffered calls go out.
    const replies = createReplyQueue(conn, log, hooks.onReply);
    const publisher = new Publisher(conn, opts.exchange, log);
    try {
      await replies.channel.ready(Math.max(opts.startupRetryMs, 1000));
    } catch (err) {
      await publisher.close();
      await replies.channel.close();
      await conn.close();
      throw new StartupError(`Cannot set up RPC on ${parsed.redacted}: ${(err as Error).message}`);
    }

    return {
      replyTo: replies.name,
      publish(target: Target, msg, timeoutMs) {
        const route = routeFor(opts.exchange, target);
        return publisher.publish(
          route,
          Buffer.from(msg.body, 'utf8'),
          properties(msg, replies.name),
          timeoutMs,
        );
      },
      consume(target, handle, { prefetch }) {
        const deps = { conn, exchange: opts.exchange, log, prefetch, readyTimeoutMs: opts.responseTimeoutMs };
        return subscribe(deps, target, handle);
      },
      async close() {
        await publisher.close();
        await replies.channel.close();
        await conn.close();
      },
    };
  },
};
