// A server's consumers for one listen target: the shared `<topic>` queue (round-robin with the other
// servers), `<topic>.<server>` and a private queue on `<topic>_fanout`, all on one channel with a
// bounded prefetch. A message is acknowledged only after its handler finished and its reply (calls)
// was published, so the unacknowledged messages of a server that dies are redelivered to another.
// After a reconnect everything is re-declared and consumption resumes.
import { randomUUID } from 'node:crypto';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger } from '../../common/log.ts';
import { MessagingTimeout } from '../../faults/fault.ts';
import type { DeliveryHandler, DriverSubscription } from '../driver.ts';
import { InFlight } from '../in-flight.ts';
import { routingKey } from '../target.ts';
import type { ListenTarget } from '../types.ts';
import type { RabbitConnection } from './connection.ts';
import { ManagedChannel } from './managed-channel.ts';
import {
  declareControlExchange,
  fanoutExchange,
  fanoutExchangeName,
  PRIVATE_QUEUE_OPTIONS,
  topicQueue,
} from './topology.ts';

export interface SubscriptionDeps {
  readonly conn: RabbitConnection;
  readonly exchange: string;
  readonly log: Logger;
  readonly prefetch: number;
  /** How long subscribe() waits for the consumers to be in place. */
  readonly readyTimeoutMs: number;
}

const JSON_PROPS = { contentType: 'application/json', contentEncoding: 'utf-8' } as const;

async function handleDelivery(
  ch: Channel,
  msg: ConsumeMessage,
  handle: DeliveryHandler,
  log: Logger,
): Promise<void> {
  const reply = await handle(msg.content.toString('utf8'));
  try {
    if (reply)
      ch.publish('', reply.replyTo, Buffer.from(reply.body), { ...JSON_PROPS, correlationId: reply.msgId });
    ch.ack(msg);
  } catch (err) {
    // The channel went away while the handler ran: the broker redelivers the message (at-least-once).
    log.debug(
      { err: (err as Error).message },
      'Could not acknowledge a message; the broker will redeliver it',
    );
  }
}

export async function subscribe(
  deps: SubscriptionDeps,
  target: ListenTarget,
  handle: DeliveryHandler,
): Promise<DriverSubscription> {
  const { conn, exchange, log } = deps;
  const keys = target.server === undefined ? [target.topic] : [target.topic, routingKey(target)];
  const fanoutQueue = `${fanoutExchangeName(target.topic)}_${randomUUID()}`;
  const inFlight = new InFlight();
  const consumerTags = new WeakMap<Channel, string[]>();
  let stopping = false;

  const onMessage = (ch: Channel, msg: ConsumeMessage | null): void => {
    if (msg === null) {
      // The broker cancelled a consumer (its queue was deleted): recycle the channel to re-declare.
      if (!stopping) {
        log.warn('The broker cancelled a consumer; re-declaring');
        void ch.close().catch(() => {});
      }
      return;
    }
    if (stopping) {
      try {
        ch.nack(msg, false, true); // raced with stop(): give it back for another server
      } catch {
        // channel already closed: the broker requeues it anyway
      }
      return;
    }
    void inFlight.track(handleDelivery(ch, msg, handle, log));
  };

  const channel = new ManagedChannel<Channel>(conn, log, {
    name: `listener ${routingKey(target)}`,
    confirm: false,
    async setup(ch) {
      await ch.prefetch(deps.prefetch);
      await declareControlExchange(ch, exchange);
      for (const key of keys) await topicQueue(exchange, key).apply(ch);
      await fanoutExchange(target.topic).apply(ch);
      await ch.assertQueue(fanoutQueue, PRIVATE_QUEUE_OPTIONS);
      await ch.bindQueue(fanoutQueue, fanoutExchangeName(target.topic), '');
      const tags: string[] = [];
      for (const queue of [...keys, fanoutQueue]) {
        const { consumerTag } = await ch.consume(queue, (msg) => onMessage(ch, msg), { noAck: false });
        tags.push(consumerTag);
      }
      consumerTags.set(ch, tags);
    },
  });

  try {
    await channel.ready(deps.readyTimeoutMs);
  } catch {
    await channel.close();
    throw new MessagingTimeout(
      `Could not start consuming ${routingKey(target)} within ${deps.readyTimeoutMs} ms`,
    );
  }

  return {
    async stop() {
      stopping = true;
      channel.stopReopening();
      const ch = channel.current;
      for (const tag of (ch && consumerTags.get(ch)) ?? []) await ch?.cancel(tag).catch(() => {});
      await inFlight.idle();
      await channel.close();
    },
  };
}
