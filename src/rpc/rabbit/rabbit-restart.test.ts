// The broker goes away and comes back (rabbitmqctl stop_app / start_app) under a running listener:
// a cast sent during the outage is delivered afterwards, a call with a short timeout fails with
// MessagingTimeout, one with a long timeout succeeds, and calls work again. Other test files may be
// using the broker meanwhile; they reconnect too. The broker is always left started.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { MessagingTimeout } from '../../faults/fault.ts';
import { createContext } from '../context.ts';
import { settlesWithin, waitUntil } from '../testing/async.ts';
import { acquireExclusive } from '../testing/broker-lock.ts';
import { testTransports } from '../testing/test-transports.ts';
import type { RpcArgs } from '../types.ts';

const rabbit = testTransports().find((k) => k.name === 'rabbit')!;
const run = promisify(execFile);
const rabbitmqctl = (...args: string[]) => run('rabbitmqctl', args, { timeout: 90_000 });

describe('rabbit broker restart', { skip: rabbit.skip }, () => {
  test('listeners resume and buffered casts are delivered after a restart', {
    timeout: 300_000,
  }, async () => {
    // Exclusive: rabbit tests in other files (they hold the lock shared) finish first, new ones wait.
    const release = await acquireExclusive();
    const t = await rabbit.open({ responseTimeoutMs: 60_000, reconnectMaxDelayMs: 1000 }).catch((err) => {
      release();
      throw err;
    });
    const topic = t.topic('restart');
    const got: RpcArgs[] = [];
    try {
      await t.transport.listen({ topic, server: 'a' }, [
        {
          version: '1.0',
          methods: { note: async (_ctx, args) => void got.push(args), ping: async () => 'pong' },
        },
      ]);
      assert.equal(await t.transport.call(createContext(), { topic }, 'ping'), 'pong');

      await rabbitmqctl('stop_app');
      const cast = t.transport.cast(createContext(), { topic }, 'note', { during: 'outage' });
      const longCall = t.transport.call(createContext(), { topic }, 'ping', {}, { timeoutMs: 60_000 });
      await assert.rejects(
        t.transport.call(createContext(), { topic }, 'ping', {}, { timeoutMs: 300 }),
        MessagingTimeout,
      );
      assert.equal(await settlesWithin(cast, 300), false, 'the cast resolved while the broker was down');

      await rabbitmqctl('start_app');
      await cast;
      await waitUntil('the outage cast arrived', () => got.some((a) => a.during === 'outage'), 60_000);
      assert.equal(await longCall, 'pong');
      assert.equal(await t.transport.call(createContext(), { topic }, 'ping'), 'pong');
    } finally {
      await rabbitmqctl('start_app').catch(() => {});
      await t.cleanup().finally(release);
    }
  });
});
