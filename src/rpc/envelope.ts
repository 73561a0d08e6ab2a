// The wire format. Every RPC message is one JSON document (UTF-8), the same for every transport:
//
//   request: { "nova_ts.version": 1, "method": "select_destinations", "args": {…},
//              "version": "6.0", "namespace": "…" (both optional), "context": {request_id, roles, …},
//              "msg_id": "<uuid>", "reply_to": "reply_<uuid>" (calls only), "timestamp": ISO-8601 }
//   reply:   { "nova_ts.version": 1, "msg_id": "<uuid>", "result": … } or
//            { "nova_ts.version": 1, "msg_id": "<uuid>", "failure": {name, message, status?, code?} }
//
// Received envelopes are validated; unknown members are ignored (a newer sender may add some), an
// unknown "nova_ts.version" is refused.
import { Ajv } from 'ajv';
import type { RequestContext } from './context.ts';
import type { SerialisedFault } from './fault-codec.ts';
import { InvalidMessage, InvalidPayload } from './faults.ts';
import { assertPlainJson } from './json.ts';

export const ENVELOPE_VERSION = 1;

export interface RequestEnvelope {
  readonly 'nova_ts.version': typeof ENVELOPE_VERSION;
  readonly method: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly version?: string;
  readonly namespace?: string;
  readonly context: RequestContext;
  readonly msg_id?: string;
  readonly reply_to?: string;
  readonly timestamp: string;
}

export interface ReplyEnvelope {
  readonly 'nova_ts.version': typeof ENVELOPE_VERSION;
  readonly msg_id: string;
  readonly result?: unknown;
  readonly failure?: SerialisedFault;
}

const envelopeVersion = { const: ENVELOPE_VERSION };
const nonEmpty = { type: 'string', minLength: 1 };

const REQUEST_SCHEMA = {
  type: 'object',
  required: ['nova_ts.version', 'method', 'args', 'context', 'timestamp'],
  properties: {
    'nova_ts.version': envelopeVersion,
    method: nonEmpty,
    args: { type: 'object' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+$' },
    namespace: { type: 'string' },
    context: {
      type: 'object',
      required: ['request_id', 'roles', 'is_admin'],
      properties: {
        request_id: nonEmpty,
        roles: { type: 'array', items: { type: 'string' } },
        is_admin: { type: 'boolean' },
      },
    },
    msg_id: nonEmpty,
    reply_to: nonEmpty,
    timestamp: { type: 'string' },
  },
  dependencies: { msg_id: ['reply_to'], reply_to: ['msg_id'] },
};

const REPLY_SCHEMA = {
  type: 'object',
  required: ['nova_ts.version', 'msg_id'],
  properties: {
    'nova_ts.version': envelopeVersion,
    msg_id: nonEmpty,
    failure: {
      type: 'object',
      required: ['name', 'message'],
      properties: {
        name: { type: 'string' },
        message: { type: 'string' },
        status: { type: 'integer' },
        code: { type: 'string' },
      },
    },
  },
};

// Compiled once; validators are pure functions of their input.
const ajv = new Ajv({ allErrors: false });
const validateRequest = ajv.compile<RequestEnvelope>(REQUEST_SCHEMA);
const validateReply = ajv.compile<ReplyEnvelope>(REPLY_SCHEMA);

export function encodeRequest(env: RequestEnvelope): string {
  if (typeof env.args !== 'object' || env.args === null || Array.isArray(env.args)) {
    throw new InvalidPayload('args must be an object of keyword arguments');
  }
  assertPlainJson(env.args, 'args');
  assertPlainJson(env.context, 'context');
  return JSON.stringify(env);
}

export function encodeReply(env: ReplyEnvelope): string {
  if (env.result !== undefined) assertPlainJson(env.result, 'result');
  return JSON.stringify(env);
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidMessage(`RPC ${what} is not JSON: ${(err as Error).message}`);
  }
}

export function decodeRequest(text: string): RequestEnvelope {
  const doc = parse(text, 'request');
  if (!validateRequest(doc)) {
    throw new InvalidMessage(`RPC request envelope is invalid: ${ajv.errorsText(validateRequest.errors)}`);
  }
  return doc;
}

export function decodeReply(text: string): ReplyEnvelope {
  const doc = parse(text, 'reply');
  if (!validateReply(doc)) {
    throw new InvalidMessage(`RPC reply envelope is invalid: ${ajv.errorsText(validateReply.errors)}`);
  }
  return doc;
}
