import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fault, NotFound, RemoteError } from '../faults/fault.ts';
import { createContext } from './context.ts';
import {
  decodeReply,
  decodeRequest,
  ENVELOPE_VERSION,
  encodeRequest,
  type RequestEnvelope,
} from './envelope.ts';
import { createFaultDecoder, DEFAULT_REMOTE_FAULTS, serialiseFault } from './fault-codec.ts';
import { InvalidMessage } from './faults.ts';

const request: RequestEnvelope = {
  'nova_ts.version': ENVELOPE_VERSION,
  method: 'select_destinations',
  args: { spec: { flavor: 'm1.tiny' } },
  version: '6.0',
  context: createContext({ user_id: 'u' }),
  msg_id: 'm1',
  reply_to: 'reply_x',
  timestamp: new Date(0).toISOString(),
};

test('a request survives encode and decode unchanged', () => {
  assert.deepEqual(decodeRequest(encodeRequest(request)), JSON.parse(JSON.stringify(request)));
});

test('invalid envelopes are InvalidMessage', () => {
  const bad = [
    'not json',
    '[]',
    JSON.stringify({ ...request, 'nova_ts.version': 2 }),
    JSON.stringify({ ...request, method: '' }),
    JSON.stringify({ ...request, version: '6' }),
    JSON.stringify({ ...request, context: { roles: [] } }),
    JSON.stringify({ ...request, reply_to: undefined }),
  ];
  for (const text of bad) assert.throws(() => decodeRequest(text), InvalidMessage, text);
  assert.throws(() => decodeReply(JSON.stringify({ 'nova_ts.version': 1 })), InvalidMessage);
});

test('newer senders may add envelope members', () => {
  assert.equal(decodeRequest(JSON.stringify({ ...request, priority: 'high' })).method, 'select_destinations');
});

test('faults serialise to {name, message, status, code}; other errors lose status and code', () => {
  assert.deepEqual(serialiseFault(new NotFound('gone', 'nova.x')), {
    name: 'NotFound',
    message: 'gone',
    status: 404,
    code: 'nova.x',
  });
  assert.deepEqual(serialiseFault(new RangeError('r')), { name: 'RangeError', message: 'r' });
  const decode = createFaultDecoder(DEFAULT_REMOTE_FAULTS);
  const nf = decode({ name: 'NotFound', message: 'gone', status: 404, code: 'nova.x' });
  assert.ok(nf instanceof NotFound && nf.code === 'nova.x' && nf.stack !== undefined);
  const other = decode({ name: 'NoValidHost', message: 'none', status: 400, code: 'nova.no_valid_host' });
  assert.ok(other instanceof Fault && other.name === 'NoValidHost' && other.status === 400);
  const re = decode({ name: 'RangeError', message: 'r' });
  assert.ok(re instanceof RemoteError && re.remoteName === 'RangeError');
});
