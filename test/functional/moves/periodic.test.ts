// The compute's periodic tasks of moves: [DEFAULT] resize_confirm_window confirms a resize left in
// VERIFY_RESIZE; shelved_offload_time > 0 with shelved_poll_interval offloads shelved servers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type MoveCloud, startMoveCloud } from './cloud.ts';

describe('periodic confirm and offload', () => {
  let c: MoveCloud;
  before(async () => {
    c = await startMoveCloud({
      fakeHosts: 2,
      conf: '[DEFAULT]\nresize_confirm_window = 1\nshelved_offload_time = 1\nshelved_poll_interval = 1\n',
    });
  });
  after(() => c?.stop());

  test('a resize is confirmed once resize_confirm_window has passed', async () => {
    const s = await c.boot('pc1');
    assert.equal((await c.action(s.id, { resize: { flavorRef: '2' } })).status, 202);
    await c.waitFor(s.id, (x) => x.status === 'VERIFY_RESIZE', 'VERIFY_RESIZE');
    const done = await c.waitFor(s.id, (x) => x.status === 'ACTIVE', 'auto-confirmed ACTIVE', 10_000);
    assert.equal(done.flavor.original_name, 'm1.small');
    const [m] = (await c.api('GET', `/os-migrations?instance_uuid=${s.id}`)).body.migrations;
    assert.equal(m.status, 'confirmed');
    assert.deepEqual(await c.allocations(m.uuid), {});
  });

  test('a shelved server is offloaded after shelved_offload_time', async () => {
    const s = await c.boot('po1');
    assert.equal((await c.action(s.id, { shelve: null })).status, 202);
    await c.waitFor(s.id, (x) => x.status === 'SHELVED', 'SHELVED');
    const off = await c.waitFor(s.id, (x) => x.status === 'SHELVED_OFFLOADED', 'offloaded', 10_000);
    assert.equal(off['OS-EXT-SRV-ATTR:host'], null);
    assert.deepEqual(await c.allocations(s.id), {});
  });
});
