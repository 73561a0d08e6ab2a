// The transport's reply queue `reply_<uuid>`: exclusive, auto-delete, consumed without acks. Its name
// stays the same across reconnects (it is re-declared), so a server replying after a broker hiccup
// still reaches a caller that is waiting.
import { randomUUID } from 'node:crypto';
import type { Channel } from 'amqplib';
import type { Logger } from '../../common/log.ts';
import type { RabbitConnection } from './connection.ts';
import { ManagedChannel } from './managed-channel.ts';
import { PRIVATE_QUEUE_OPTIONS } from './topology.ts';

export interface ReplyQueue {
  readonly name: string;
  readonly channel: ManagedChannel<Channel>;
}

export function createReplyQueue(
  conn: RabbitConnection,
  log: Logger,
  onReply: (body: string) => void,
): ReplyQueue {
  const name = `reply_${randomUUID()}`;
  const channel = new ManagedChannel<Channel>(conn, log, {
    name: `reply queue ${name}`,
    confirm: false,
    async setup(ch) {
      await ch.assertQueue(name, PRIVATE_QUEUE_OPTIONS);
      await ch.consume(name, (msg) => msg && onReply(msg.content.toString('utf8')), { noAck: true });
    },
  });
  return { name, channel };
}
