// The server side of one message, shared by every driver: decode and validate the envelope, dispatch
// with the caller's context, and build the reply (result or serialised fault) for calls. Never throws:
// a failure of a cast is logged, a failure of a call goes back to the caller.
import type { Logger } from '../common/log.ts';
import { Fault } from '../faults/fault.ts';
import { freezeContext } from './context.ts';
import type { DeliveryHandler, OutgoingReply } from './driver.ts';
import { decodeRequest, ENVELOPE_VERSION, encodeReply, type RequestEnvelope } from './envelope.ts';
import { serialiseFault } from './fault-codec.ts';
import type { Dispatcher } from './types.ts';

export interface RequestHandlerDeps {
  readonly dispatcher: Dispatcher;
  readonly log: Logger;
}

interface ReplyAddress {
  readonly msg_id: string;
  readonly reply_to: string;
}

function failureReply(to: ReplyAddress, err: unknown): OutgoingReply {
  const body = encodeReply({
    'nova_ts.version': ENVELOPE_VERSION,
    msg_id: to.msg_id,
    failure: serialiseFault(err),
  });
  return { replyTo: to.reply_to, msgId: to.msg_id, body };
}

function resultReply(to: ReplyAddress, result: unknown): OutgoingReply {
  try {
    const body = encodeReply({ 'nova_ts.version': ENVELOPE_VERSION, msg_id: to.msg_id, result });
    return { replyTo: to.reply_to, msgId: to.msg_id, body };
  } catch (err) {
    return failureReply(to, err);
  }
}

/** The reply address of a message that failed validation, when it still has one. */
function salvageAddress(body: string): ReplyAddress | undefined {
  try {
    const doc = JSON.parse(body) as Partial<Record<string, unknown>>;
    const { msg_id, reply_to } = doc ?? {};
    return typeof msg_id === 'string' && typeof reply_to === 'string' ? { msg_id, reply_to } : undefined;
  } catch {
    return undefined;
  }
}

function logFailure(log: Logger, env: RequestEnvelope, err: unknown): void {
  const fields = { request_id: env.context.request_id, method: env.method, call: env.msg_id !== undefined };
  if (err instanceof Fault)
    log.info({ ...fields, fault: err.name, code: err.code }, `RPC ${env.method}: ${err.message}`);
  else log.error({ ...fields, err }, `Exception during RPC ${env.method}`);
}

export function createRequestHandler(deps: RequestHandlerDeps): DeliveryHandler {
  const handle = handler(deps);
  return async (body) => {
    try {
      return await handle(body);
    } catch (err) {
      // Only a pathological error (one whose message cannot even be read) gets here.
      deps.log.error({ err }, 'Could not handle an RPC message');
      return undefined;
    }
  };
}

function handler(deps: RequestHandlerDeps): DeliveryHandler {
  return async (body) => {
    let env: RequestEnvelope;
    try {
      env = decodeRequest(body);
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'Dropping an invalid RPC message');
      const to = salvageAddress(body);
      return to ? failureReply(to, err) : undefined;
    }
    const to =
      env.msg_id !== undefined && env.reply_to !== undefined
        ? { msg_id: env.msg_id, reply_to: env.reply_to }
        : undefined;
    try {
      const { method, args, version, namespace } = env;
      const result = await deps.dispatcher.dispatch(freezeContext(env.context), {
        method,
        args,
        version,
        namespace,
      });
      return to ? resultReply(to, result) : undefined;
    } catch (err) {
      logFailure(deps.log, env, err);
      return to ? failureReply(to, err) : undefined;
    }
  };
}
