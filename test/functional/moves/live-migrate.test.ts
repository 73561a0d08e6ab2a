// os-migrateLive and the server migrations API against an in-process all-in-one with three fake
// hosts whose live migrations take a while: the guest moves and its allocations follow; progress
// is visible while running; force_complete finishes it; abort leaves the guest on the source with
// its allocations back there.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type MoveCloud, startMoveCloud } from './cloud.ts';

describe('live migration', () => {
  let c: MoveCloud;
  before(async () => {
    c = await startMoveCloud({ fakeHosts: 3, fakeDriver: { delays: { liveMigrate: 1500 } } });
  });
  after(() => c?.stop());

  const live = async (id: string, body: Record<string, unknown>, mv = 'latest') =>
    c.action(id, { 'os-migrateLive': { host: null, block_migration: 'auto', ...body } }, mv);

  async function running(id: string) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const r = await c.api('GET', `/servers/${id}/migrations`);
      const m = r.body.migrations?.[0];
      if (m && m.status === 'running') return m;
      if (Date.now() > deadline) throw new Error(`no running migration: ${JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 30));
    }
  }

  test('scheduled live migration moves the guest; migration completed; allocations on the destination', async () => {
    const s = await c.boot('lm1');
    const src = s['OS-EXT-SRV-ATTR:host'];
    assert.equal((await live(s.id, { host: src })).status, 202);
    // Same host: the conductor refuses, the server stays.
    await c.waitFor(s.id, (x) => x.status === 'ACTIVE' && x['OS-EXT-STS:task_state'] === null, 'ACTIVE');
    assert.equal((await live(s.id, {})).status, 202);
    const m = await running(s.id);
    assert.equal(m.source_compute, src);
    assert.ok(m.memory_total_bytes === null || m.memory_total_bytes > 0);
    assert.equal((await c.api('GET', `/servers/${s.id}/migrations/${m.id}`)).body.migration.id, m.id);
    assert.equal((await live(s.id, {})).status, 409, 'already migrating');
    const done = await c.waitFor(
      s.id,
      (x) => x.status === 'ACTIVE' && x['OS-EXT-SRV-ATTR:host'] !== src,
      'ACTIVE elsewhere',
    );
    const dst = done['OS-EXT-SRV-ATTR:host'];
    assert.equal(dst, m.dest_compute);
    // The destination takes the instance before the source marks the migration completed.
    let all: { id: number; status: string; uuid: string }[] = [];
    for (let i = 0; i < 100; i++) {
      all = (await c.api('GET', `/os-migrations?instance_uuid=${s.id}&migration_type=live-migration`)).body
        .migrations;
      if (all.find((x) => x.id === m.id)?.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const rec = all.find((x: { id: number }) => x.id === m.id);
    assert.equal(rec?.status, 'completed');
    assert.ok(
      all.some((x: { status: string }) => x.status === 'error'),
      'the same-host attempt is an error',
    );
    assert.deepEqual(Object.keys(await c.allocations(s.id)), [await c.providerOf(dst)]);
    assert.deepEqual(await c.allocations(rec.uuid), {});
    assert.equal(
      (await c.api('GET', `/servers/${s.id}/migrations/${m.id}`)).status,
      404,
      'no longer in progress',
    );
  });

  test('force_complete finishes a running migration to a named host', async () => {
    const s = await c.boot('lm2');
    const src = s['OS-EXT-SRV-ATTR:host'];
    const target = c.hosts.find((h) => h !== src) as string;
    assert.equal((await live(s.id, { host: target })).status, 202);
    const m = await running(s.id);
    assert.equal(m.dest_compute, target);
    const t0 = Date.now();
    const r = await c.api('POST', `/servers/${s.id}/migrations/${m.id}/action`, { force_complete: null });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    await c.waitFor(s.id, (x) => x['OS-EXT-SRV-ATTR:host'] === target && x.status === 'ACTIVE', 'moved');
    assert.ok(Date.now() - t0 < 1400, 'finished before the full copy time');
    assert.equal(
      (await c.api('POST', `/servers/${s.id}/migrations/${m.id}/action`, { force_complete: null })).status,
      409,
      'not migrating any more',
    );
  });

  test('abort (DELETE) rolls back: guest on the source, allocations back, migration cancelled', async () => {
    const s = await c.boot('lm3');
    const src = s['OS-EXT-SRV-ATTR:host'];
    const srcRp = await c.providerOf(src);
    assert.equal((await live(s.id, {})).status, 202);
    const m = await running(s.id);
    assert.equal((await c.api('DELETE', `/servers/${s.id}/migrations/${m.id}`)).status, 202);
    const back = await c.waitFor(s.id, (x) => x['OS-EXT-STS:task_state'] === null, 'task cleared');
    assert.equal(back.status, 'ACTIVE');
    assert.equal(back['OS-EXT-SRV-ATTR:host'], src);
    const rec = (await c.api('GET', `/os-migrations?instance_uuid=${s.id}`)).body.migrations[0];
    assert.equal(rec.status, 'cancelled');
    assert.deepEqual(Object.keys(await c.allocations(s.id)), [srcRp]);
    assert.deepEqual(await c.allocations(rec.uuid), {});
    assert.equal((await c.api('DELETE', `/servers/${s.id}/migrations/${m.id}`)).status, 409);
    assert.equal((await c.api('GET', `/servers/${s.id}/migrations`, undefined, '2.22')).status, 404);
  });

  test('schema by microversion: 2.24 needs disk_over_commit-free booleans; auto only from 2.25', async () => {
    const s = await c.boot('lm4');
    assert.equal((await live(s.id, { block_migration: 'auto' }, '2.24')).status, 400);
    assert.equal((await live(s.id, { force: true }, '2.68')).status, 400);
    assert.equal((await c.action(s.id, { 'os-stop': null })).status, 202);
    await c.waitFor(s.id, (x) => x.status === 'SHUTOFF', 'SHUTOFF');
    assert.equal((await live(s.id, {})).status, 409, 'a stopped server cannot live-migrate');
  });
});
