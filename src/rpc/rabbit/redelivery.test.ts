// Ack after the handler + bounded prefetch: a server killed mid-work has its unacknowledged messages
// redelivered to another server, and it never held more than `prefetch` of them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createContext } from '../context.ts';
import { sleep, waitUntil } from '../testing/async.ts';
import { testTransports } from '../testing/test-transports.ts';

const rabbit = testTransports().find((k) => k.name === 'rabbit')!;
const SERVER = fileURLToPath(new URL('../testing/crash-server.ts', import.meta.url));

describe('rabbit acknowledgements', { skip: rabbit.skip }, () => {
  test('a killed server’s unacknowledged messages go to another server', { timeout: 60_000 }, async () => {
    const t = await rabbit.open({ startupRetryMs: 30_000 });
    const topic = t.topic('crash');
    const child = spawn(process.execPath, [SERVER, rabbit.url, t.exchange, topic, '2'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      await waitUntil('the doomed server is consuming', () => out.includes('ready'), 30_000);
      for (const id of [1, 2, 3]) await t.transport.cast(createContext(), { topic }, 'work', { id });
      await waitUntil(
        'the doomed server started two',
        () => (out.match(/started/g) ?? []).length === 2,
        20_000,
      );
      await sleep(200);
      assert.equal((out.match(/started/g) ?? []).length, 2, 'prefetch 2 was not respected');

      const got: number[] = [];
      await t.transport.listen({ topic, server: 'survivor' }, [
        { version: '1.0', methods: { work: async (_ctx, args) => void got.push(args.id as number) } },
      ]);
      await waitUntil('the waiting message reaches the survivor', () => got.length === 1, 20_000);
      child.kill('SIGKILL');
      await waitUntil('the killed server’s messages are redelivered', () => got.length === 3, 20_000);
      assert.deepEqual(got.sort(), [1, 2, 3]);
    } finally {
      child.kill('SIGKILL');
      await t.cleanup([`${topic}.doomed`]);
    }
  });
});
