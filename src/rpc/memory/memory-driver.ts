// memory:// — the in-process transport (all-in-one, tests). Messages are the same JSON strings the
// rabbit driver sends; only the wire differs.
import { randomUUID } from 'node:crypto';
import type { DriverFactory, DriverHooks, DriverSubscription, OutgoingReply, RpcDriver } from '../driver.ts';
import { InFlight } from '../in-flight.ts';
import { routingKey } from '../target.ts';
import { MemoryBroker } from './memory-broker.ts';

function createMemoryDriver(hooks: DriverHooks): RpcDriver {
  const broker = new MemoryBroker();
  const replyTo = `reply_${randomUUID()}`;
  const sendReply = (reply: OutgoingReply | undefined): void => {
    // One broker per transport, so every reply is ours; asynchronous as on the wire.
    if (reply?.replyTo === replyTo) setImmediate(() => hooks.onReply(reply.body));
  };

  return {
    replyTo,
    async publish(target, msg) {
      if (target.fanout) broker.fanout(target.topic, msg.body);
      else {
        const expiresAt = msg.expiresInMs === undefined ? undefined : Date.now() + msg.expiresInMs;
        broker.publish(routingKey(target), { body: msg.body, expiresAt });
      }
    },
    async consume(target, handle): Promise<DriverSubscription> {
      const inFlight = new InFlight();
      const deliver = (body: string): void => {
        void inFlight.track(handle(body).then(sendReply));
      };
      const cancels = [broker.consume(target.topic, deliver), broker.subscribeFanout(target.topic, deliver)];
      if (target.server !== undefined) cancels.push(broker.consume(routingKey(target), deliver));
      return {
        async stop() {
          for (const cancel of cancels) cancel();
          await inFlight.idle();
        },
      };
    },
    async close() {
      broker.clear();
    },
  };
}

export const memoryDriver: DriverFactory = {
  async create(_url, _opts, hooks) {
    return createMemoryDriver(hooks);
  },
};
