import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StartupError } from '../faults/fault.ts';
import { createTransport } from './registry.ts';

const oneLine = (err: unknown): string => {
  assert.ok(err instanceof StartupError, `expected StartupError, got ${String(err)}`);
  assert.ok(!err.message.includes('\n'), 'StartupError message spans lines');
  return err.message;
};

test('an unreachable broker is one StartupError line after a short bounded retry', async () => {
  const started = Date.now();
  const err = await createTransport('rabbit://guest:guest@127.0.0.1:5673/', { startupRetryMs: 600 }).catch(
    (e) => e,
  );
  assert.equal(
    oneLine(err),
    'Cannot reach the message broker at rabbit://guest:***@127.0.0.1:5673/: connection refused. Start RabbitMQ or fix transport_url.',
  );
  const took = Date.now() - started;
  assert.ok(took >= 300 && took < 3000, `retried for ${took} ms`);
});

test('a bad URL or unknown scheme is one StartupError line without the password', async () => {
  for (const url of [
    'localhost:5672',
    'kafka://u:secret@h/',
    'rabbit://u:secret@h:notaport/',
    'rabbit://a,,b/',
  ]) {
    const msg = oneLine(await createTransport(url).catch((e) => e));
    assert.ok(!msg.includes('secret'), msg);
  }
  assert.match(
    oneLine(await createTransport('kafka://h/').catch((e) => e)),
    /scheme 'kafka'.*memory, rabbit, amqp/,
  );
});

test('memory:// needs nothing and closes cleanly', async () => {
  const t = await createTransport('memory://');
  assert.equal(t.url, 'memory://');
  await t.close();
  await t.close();
});
