import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../common/log.ts';
import { createLauncher } from './launcher.ts';

test('SIGTERM drains every part in reverse order, once, and exits 0; an echoed signal is ignored', async () => {
  const order: string[] = [];
  const exits: number[] = [];
  const launcher = createLauncher({ log: silentLogger(), exit: (c) => exits.push(c) });
  for (const name of ['db', 'rpc', 'api']) {
    launcher.add({
      stop: async () => {
        await new Promise((r) => setTimeout(r, 20));
        order.push(name);
      },
    });
  }
  process.emit('SIGTERM');
  process.emit('SIGTERM'); // the same signal delivered twice (process group + launcher forward)
  await launcher.done;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['api', 'rpc', 'db']);
  assert.deepEqual(exits, [0]);
});
