// shelve / shelveOffload / unshelve and evacuate against an in-process all-in-one with three fake
// hosts: SHELVED → SHELVED_OFFLOADED (host cleared, allocations released) → ACTIVE on a scheduled
// host; evacuation only once the host is down, the guest rebuilt elsewhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type MoveCloud, startMoveCloud } from './cloud.ts';

describe('shelve and evacuate', () => {
  let c: MoveCloud;
  before(async () => {
    c = await startMoveCloud({ fakeHosts: 3, conf: '[DEFAULT]\nshelved_offload_time = -1\n' });
  });
  after(() => c?.stop());

  test('shelve → SHELVED (snapshot image), offload → SHELVED_OFFLOADED, unshelve → ACTIVE', async () => {
    const s = await c.boot('sh1');
    assert.equal((await c.action(s.id, { shelve: null })).status, 202);
    const shelved = await c.waitFor(s.id, (x) => x.status === 'SHELVED', 'SHELVED');
    assert.equal(shelved['OS-EXT-SRV-ATTR:host'], s['OS-EXT-SRV-ATTR:host'], 'kept on its host');
    const images = (await c.image('GET', '/v2/images')).body.images;
    const snap = images.find((i: { name: string }) => i.name === 'sh1-shelved');
    assert.ok(snap, 'shelved image created');
    assert.equal(snap.status, 'active');
    assert.equal(snap.instance_uuid, s.id);
    assert.equal(Object.keys(await c.allocations(s.id)).length, 1, 'still allocated');
    assert.equal((await c.action(s.id, { shelve: null })).status, 409);

    assert.equal((await c.action(s.id, { shelveOffload: null })).status, 202);
    const off = await c.waitFor(s.id, (x) => x.status === 'SHELVED_OFFLOADED', 'SHELVED_OFFLOADED');
    assert.equal(off['OS-EXT-SRV-ATTR:host'], null);
    assert.deepEqual(await c.allocations(s.id), {}, 'released');

    const target = c.hosts[2];
    assert.equal((await c.action(s.id, { unshelve: { host: 'nowhere' } })).status, 400);
    assert.equal((await c.action(s.id, { unshelve: { host: target } })).status, 202);
    const back = await c.waitFor(s.id, (x) => x.status === 'ACTIVE', 'ACTIVE');
    assert.equal(back['OS-EXT-SRV-ATTR:host'], target);
    assert.deepEqual(Object.keys(await c.allocations(s.id)), [await c.providerOf(target)]);
    assert.equal((await c.image('GET', `/v2/images/${snap.id}`)).status, 404, 'shelved image deleted');
    const acts = (await c.api('GET', `/servers/${s.id}/os-instance-actions`)).body.instanceActions;
    assert.deepEqual(acts.map((a: { action: string }) => a.action).sort(), [
      'create',
      'shelve',
      'shelveOffload',
      'unshelve',
    ]);
  });

  test('unshelve of a SHELVED server starts it in place; AZ or host needs an offloaded one', async () => {
    const s = await c.boot('sh2');
    assert.equal((await c.action(s.id, { shelve: null })).status, 202);
    await c.waitFor(s.id, (x) => x.status === 'SHELVED', 'SHELVED');
    assert.equal((await c.action(s.id, { unshelve: { host: c.hosts[0] } })).status, 409);
    assert.equal((await c.action(s.id, { unshelve: null })).status, 202);
    const back = await c.waitFor(s.id, (x) => x.status === 'ACTIVE', 'ACTIVE');
    assert.equal(back['OS-EXT-SRV-ATTR:host'], s['OS-EXT-SRV-ATTR:host']);
  });

  test('evacuate: 409 while the host is up; once forced down, rebuilt elsewhere (2.95 stopped)', async () => {
    const s = await c.boot('ev1');
    const src = s['OS-EXT-SRV-ATTR:host'];
    const r = await c.action(s.id, { evacuate: {} });
    assert.equal(r.status, 409);
    assert.match(r.body.conflictingRequest.message, new RegExp(`Compute service of ${src} is still in use`));
    const svc = (await c.api('GET', `/os-services?host=${src}&binary=nova-compute`)).body.services[0];
    assert.equal((await c.api('PUT', `/os-services/${svc.id}`, { forced_down: true })).status, 200);
    try {
      assert.equal((await c.action(s.id, { evacuate: { host: src } })).status, 400, 'not to itself');
      const ok = await c.action(s.id, { evacuate: {} });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const moved = await c.waitFor(s.id, (x) => x.status === 'SHUTOFF', 'SHUTOFF elsewhere');
      const dst = moved['OS-EXT-SRV-ATTR:host'];
      assert.notEqual(dst, src);
      const [m] = (await c.api('GET', `/os-migrations?instance_uuid=${s.id}`)).body.migrations;
      assert.equal(m.migration_type, 'evacuation');
      assert.equal(m.status, 'done');
      assert.equal(m.source_compute, src);
      assert.equal(m.dest_compute, dst);
      assert.deepEqual(Object.keys(await c.allocations(s.id)), [await c.providerOf(dst)]);
      assert.deepEqual(await c.allocations(m.uuid), {});
    } finally {
      await c.api('PUT', `/os-services/${svc.id}`, { forced_down: false });
    }
  });
});
