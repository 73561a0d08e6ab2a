// RabbitMQ topology (what oslo.messaging's rabbit driver builds, with our names):
//
//   exchange <control_exchange>   topic, non-durable, kept   routes `topic` and `topic.server`
//   queue    <topic>              non-durable, kept, shared   bound with key <topic>; servers round-robin
//   queue    <topic>.<server>     non-durable, kept           bound with key <topic>.<server>
//   exchange <topic>_fanout       fanout, non-durable, kept
//   queue    <topic>_fanout_<id>  exclusive, auto-delete      one per listener, bound to <topic>_fanout
//   queue    reply_<id>           exclusive, auto-delete      one per transport; replies via the default exchange
//
// Topic queues are declared by the publisher as well as by the servers, before the first message to
// them, so a cast sent before any server listens waits in its queue. They are not auto-delete, so a
// server restarting does not lose what was queued meanwhile. They are not durable and messages are
// not persistent (oslo.messaging's default, amqp_durable_queues = False): a broker restart loses what
// sat in queues at that moment, in exchange for no disk writes per message. A message published while
// the broker is down is buffered by the publisher until it is confirmed (publisher.ts).
import type { Channel, Options } from 'amqplib';
import { routingKey } from '../target.ts';
import type { Target } from '../types.ts';

export interface Declaration {
  /** Identity of what is declared, for the publisher's per-channel cache. */
  readonly key: string;
  apply(ch: Channel): Promise<void>;
}

export interface Route {
  readonly exchange: string;
  readonly routingKey: string;
  readonly declare: Declaration;
}

const EXCHANGE_OPTIONS: Options.AssertExchange = Object.freeze({ durable: false, autoDelete: false });
const TOPIC_QUEUE_OPTIONS: Options.AssertQueue = Object.freeze({
  durable: false,
  autoDelete: false,
  exclusive: false,
});
/** Fanout and reply queues live as long as the connection that declared them. */
export const PRIVATE_QUEUE_OPTIONS: Options.AssertQueue = Object.freeze({
  durable: false,
  autoDelete: true,
  exclusive: true,
});

export const fanoutExchangeName = (topic: string): string => `${topic}_fanout`;

export async function declareControlExchange(ch: Channel, exchange: string): Promise<void> {
  await ch.assertExchange(exchange, 'topic', EXCHANGE_OPTIONS);
}

export function topicQueue(exchange: string, key: string): Declaration {
  return {
    key: `queue:${key}`,
    async apply(ch) {
      await ch.assertQueue(key, TOPIC_QUEUE_OPTIONS);
      await ch.bindQueue(key, exchange, key);
    },
  };
}

export function fanoutExchange(topic: string): Declaration {
  const name = fanoutExchangeName(topic);
  return {
    key: `exchange:${name}`,
    async apply(ch) {
      await ch.assertExchange(name, 'fanout', EXCHANGE_OPTIONS);
    },
  };
}

export function routeFor(exchange: string, target: Target): Route {
  if (target.fanout) {
    return {
      exchange: fanoutExchangeName(target.topic),
      routingKey: '',
      declare: fanoutExchange(target.topic),
    };
  }
  const key = routingKey(target);
  return { exchange, routingKey: key, declare: topicQueue(exchange, key) };
}
