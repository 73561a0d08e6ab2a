// Resize, cold migration, confirm and revert against an in-process all-in-one with three fake
// hosts: status and host transitions, migration records, and where placement holds the resources.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type MoveCloud, startMoveCloud } from './cloud.ts';

describe('resize and cold migration', () => {
  let c: MoveCloud;
  before(async () => {
    c = await startMoveCloud({ fakeHosts: 3 });
  });
  after(() => c?.stop());

  const migrationsOf = async (uuid: string) =>
    (await c.api('GET', `/os-migrations?instance_uuid=${uuid}`)).body.migrations;

  test('resize → VERIFY_RESIZE on another host, confirm → ACTIVE; allocations follow', async () => {
    const s = await c.boot('rs1');
    const src = s['OS-EXT-SRV-ATTR:host'];
    const srcRp = await c.providerOf(src);
    assert.equal((await c.action(s.id, { resize: { flavorRef: '1' } })).status, 400, 'same flavor');
    const r = await c.action(s.id, { resize: { flavorRef: '2' } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const v = await c.waitFor(s.id, (x) => x.status === 'VERIFY_RESIZE', 'VERIFY_RESIZE');
    const dst = v['OS-EXT-SRV-ATTR:host'];
    assert.notEqual(dst, src);
    assert.equal(v.flavor.original_name, 'm1.small');
    const [m] = await migrationsOf(s.id);
    assert.equal(m.status, 'finished');
    assert.equal(m.migration_type, 'resize');
    assert.equal(m.source_compute, src);
    assert.equal(m.dest_compute, dst);
    const dstRp = await c.providerOf(dst);
    assert.deepEqual(Object.keys(await c.allocations(m.uuid)), [srcRp], 'source held by the migration');
    const inst = await c.allocations(s.id);
    assert.deepEqual(Object.keys(inst), [dstRp], 'destination held by the instance');
    assert.equal(inst[dstRp].MEMORY_MB, 2048);
    // A second resize while VERIFY_RESIZE: 409.
    assert.equal((await c.action(s.id, { resize: { flavorRef: '3' } })).status, 409);

    assert.equal((await c.action(s.id, { confirmResize: null })).status, 204);
    const done = await c.waitFor(s.id, (x) => x.status === 'ACTIVE', 'ACTIVE');
    assert.equal(done['OS-EXT-SRV-ATTR:host'], dst);
    assert.equal((await migrationsOf(s.id))[0].status, 'confirmed');
    assert.deepEqual(await c.allocations(m.uuid), {}, 'source released');
    assert.equal((await c.allocations(s.id))[dstRp].MEMORY_MB, 2048);
    assert.equal((await c.action(s.id, { confirmResize: null })).status, 409, 'not resized any more');
    const acts = (await c.api('GET', `/servers/${s.id}/os-instance-actions`)).body.instanceActions;
    assert.deepEqual(acts.map((x: { action: string }) => x.action).sort(), [
      'confirmResize',
      'create',
      'resize',
    ]);
  });

  test('revert → ACTIVE on the source with the old flavor and its allocations back', async () => {
    const s = await c.boot('rs2');
    const src = s['OS-EXT-SRV-ATTR:host'];
    const srcRp = await c.providerOf(src);
    assert.equal((await c.action(s.id, { resize: { flavorRef: '2' } })).status, 202);
    await c.waitFor(s.id, (x) => x.status === 'VERIFY_RESIZE', 'VERIFY_RESIZE');
    const [m] = await migrationsOf(s.id);
    assert.equal((await c.action(s.id, { revertResize: null })).status, 202);
    const back = await c.waitFor(s.id, (x) => x.status === 'ACTIVE', 'ACTIVE after revert');
    assert.equal(back['OS-EXT-SRV-ATTR:host'], src);
    assert.equal(back.flavor.original_name, 'm1.tiny');
    assert.equal((await migrationsOf(s.id))[0].status, 'reverted');
    assert.deepEqual(await c.allocations(m.uuid), {});
    const inst = await c.allocations(s.id);
    assert.deepEqual(Object.keys(inst), [srcRp]);
    assert.equal(inst[srcRp].MEMORY_MB, 512);
  });

  test('cold migrate (2.56 host) of a stopped server; unknown or same host is 400', async () => {
    const s = await c.boot('mg1');
    const src = s['OS-EXT-SRV-ATTR:host'];
    const target = c.hosts.find((h) => h !== src) as string;
    assert.equal((await c.action(s.id, { migrate: { host: 'nowhere' } })).status, 400);
    assert.equal((await c.action(s.id, { migrate: { host: src } })).status, 400);
    assert.equal((await c.action(s.id, { 'os-stop': null })).status, 202);
    await c.waitFor(s.id, (x) => x.status === 'SHUTOFF', 'SHUTOFF');
    assert.equal((await c.action(s.id, { migrate: { host: target } })).status, 202);
    const v = await c.waitFor(s.id, (x) => x.status === 'VERIFY_RESIZE', 'VERIFY_RESIZE');
    assert.equal(v['OS-EXT-SRV-ATTR:host'], target);
    const [m] = await migrationsOf(s.id);
    assert.equal(m.migration_type, 'migration');
    assert.equal((await c.action(s.id, { confirmResize: null })).status, 204);
    const done = await c.waitFor(s.id, (x) => x.status === 'SHUTOFF', 'SHUTOFF after confirm');
    assert.equal(done['OS-EXT-SRV-ATTR:host'], target);
  });

  test('a locked server refuses resize for non-admins only; BUILDING states are 409', async () => {
    const s = await c.boot('lk1');
    assert.equal((await c.action(s.id, { revertResize: null })).status, 409);
    assert.equal((await c.action(s.id, { confirmResize: null })).status, 409);
  });
});
