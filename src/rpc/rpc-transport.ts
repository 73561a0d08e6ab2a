// The Transport every driver shares: builds request envelopes, waits for replies with a timeout,
// re-creates remote faults, wires listeners to the dispatcher and drains them on close.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../common/log.ts';
import type { RequestContext } from './context.ts';
import { createDispatcher } from './dispatcher.ts';
import type { DriverHooks, RpcDriver } from './driver.ts';
import { decodeReply, ENVELOPE_VERSION, encodeRequest, type RequestEnvelope } from './envelope.ts';
import type { FaultDecoder } from './fault-codec.ts';
import { TransportClosed } from './faults.ts';
import type { PendingCalls } from './pending-calls.ts';
import { createRequestHandler } from './request-handler.ts';
import { checkListenTarget, checkTarget, describeTarget } from './target.ts';
import type {
  CallOptions,
  Dispatcher,
  Listener,
  ResolvedTransportOptions,
  RpcArgs,
  Target,
  Transport,
} from './types.ts';

/** Routes replies arriving on the driver to the waiting calls. */
export function createReplyHooks(pending: PendingCalls, decodeFault: FaultDecoder, log: Logger): DriverHooks {
  return {
    onReply(body) {
      let env: ReturnType<typeof decodeReply>;
      try {
        env = decodeReply(body);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'Dropping an invalid RPC reply');
        return;
      }
      const waited = env.failure
        ? pending.reject(env.msg_id, decodeFault(env.failure))
        : pending.resolve(env.msg_id, env.result);
      if (!waited)
        log.debug({ msg_id: env.msg_id }, 'Dropping a reply nobody waits for (the call timed out)');
    },
  };
}

export interface RpcTransportParts {
  readonly url: string;
  readonly driver: RpcDriver;
  readonly pending: PendingCalls;
  readonly opts: ResolvedTransportOptions;
}

function request(ctx: RequestContext, target: Target, method: string, args: RpcArgs): RequestEnvelope {
  return {
    'nova_ts.version': ENVELOPE_VERSION,
    method,
    args,
    ...(target.version === undefined ? {} : { version: target.version }),
    ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
    context: ctx,
    timestamp: new Date().toISOString(),
  };
}

export function createRpcTransport({ url, driver, pending, opts }: RpcTransportParts): Transport {
  const listeners = new Set<Listener>();
  let closing: Promise<void> | undefined;
  const assertOpen = (): void => {
    if (closing) throw new TransportClosed(`RPC transport ${url} is closed`);
  };

  return {
    url,
    async call<T>(
      ctx: RequestContext,
      target: Target,
      method: string,
      args: RpcArgs = {},
      callOpts: CallOptions = {},
    ) {
      assertOpen();
      checkTarget(target, 'call');
      const timeoutMs = callOpts.timeoutMs ?? opts.responseTimeoutMs;
      const msgId = randomUUID();
      const body = encodeRequest({
        ...request(ctx, target, method, args),
        msg_id: msgId,
        reply_to: driver.replyTo,
      });
      const reply = pending.add(msgId, timeoutMs, `${method} on ${describeTarget(target)} (msg_id ${msgId})`);
      driver
        .publish(target, { body, msgId, expiresInMs: timeoutMs }, timeoutMs)
        .catch((err: Error) => pending.reject(msgId, err));
      return (await reply) as T;
    },

    async cast(ctx, target, method, args = {}, castOpts = {}) {
      assertOpen();
      checkTarget(target, 'cast');
      const body = encodeRequest(request(ctx, target, method, args));
      await driver.publish(target, { body }, castOpts.timeoutMs ?? opts.responseTimeoutMs);
    },

    async listen(target, endpoints, listenOpts = {}) {
      assertOpen();
      checkListenTarget(target);
      const dispatcher: Dispatcher = Array.isArray(endpoints)
        ? createDispatcher(endpoints)
        : (endpoints as Dispatcher);
      const log = opts.log.child({
        topic: target.topic,
        ...(target.server ? { server: target.server } : {}),
      });
      const handle = createRequestHandler({ dispatcher, log });
      const sub = await driver.consume(target, handle, { prefetch: listenOpts.prefetch ?? opts.prefetch });
      let stopping: Promise<void> | undefined;
      const listener: Listener = {
        target: Object.freeze({ ...target }),
        stop: () => {
          stopping ??= sub.stop().finally(() => listeners.delete(listener));
          return stopping;
        },
      };
      listeners.add(listener);
      return listener;
    },

    close() {
      closing ??= (async () => {
        await Promise.all([...listeners].map((l) => l.stop()));
        pending.rejectAll(new TransportClosed(`RPC transport ${url} was closed while the call waited`));
        await driver.close();
      })();
      return closing;
    },
  };
}
