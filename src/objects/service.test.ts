import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUuid } from '../common/ids.ts';
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import { NotFound } from '../faults/fault.ts';
import * as services from './service.ts';

const T0 = new Date('2026-03-04T05:06:07.891Z');
const T1 = new Date('2026-03-04T05:07:00.002Z');

const compute = (host: string, version = 1) => ({ host, binary: 'nova-compute', topic: 'compute', version });

for (const d of testDialects()) {
  describe(`${d.name}: services`, () => {
    let db: Database<CellDb>;
    before(async () => {
      db = await d.open<CellDb>(['cell']);
    });
    after(() => d.cleanup());

    it('registers a daemon with upstream defaults', async () => {
      const s = await services.createOrGet(db, compute('h1'), T0);
      assert.equal(s.host, 'h1');
      assert.equal(s.binary, 'nova-compute');
      assert.equal(s.topic, 'compute');
      assert.equal(s.report_count, 0);
      assert.equal(s.disabled, false);
      assert.equal(s.disabled_reason, null);
      assert.equal(s.forced_down, false);
      assert.equal(s.last_seen_up, null);
      assert.equal(s.version, 1);
      assert.equal(s.deleted, false);
      assert.ok(s.created_at instanceof Date);
      assert.equal(s.created_at.getTime(), T0.getTime());
      assert.deepEqual(await services.getById(db, s.id), s);
      assert.deepEqual(await services.getByUuid(db, s.uuid), s);
      assert.deepEqual(await services.getByHostAndBinary(db, 'h1', 'nova-compute'), s);
    });

    it('reuses the live row on restart and updates its version', async () => {
      const first = await services.createOrGet(db, compute('h2', 1), T0);
      assert.deepEqual(await services.createOrGet(db, compute('h2', 1), T1), first);
      const upgraded = await services.createOrGet(db, compute('h2', 2), T1);
      assert.equal(upgraded.id, first.id);
      assert.equal(upgraded.version, 2);
      assert.equal(upgraded.updated_at?.getTime(), T1.getTime());
    });

    it('registers once when daemons race for the same (host, binary)', async () => {
      const all = await Promise.all(
        Array.from({ length: 6 }, () => services.createOrGet(db, compute('race'), T0)),
      );
      assert.equal(new Set(all.map((s) => s.id)).size, 1);
      assert.equal((await services.list(db, { host: 'race' })).length, 1);
    });

    it('heartbeats in one UPDATE, atomically under concurrency', async () => {
      const s = await services.createOrGet(db, compute('hb'), T0);
      await Promise.all(Array.from({ length: 25 }, () => services.heartbeat(db, s.id, T1)));
      const after = await services.getById(db, s.id);
      assert.equal(after.report_count, 25);
      assert.equal(after.last_seen_up?.getTime(), T1.getTime());
      assert.equal(after.updated_at?.getTime(), T1.getTime());
      await assert.rejects(services.heartbeat(db, 999999, T1), NotFound);
    });

    it('disables with a reason and enables clearing it; forces down', async () => {
      const s = await services.createOrGet(db, compute('dis'), T0);
      const off = await services.setDisabled(db, s.id, true, 'maintenance', T1);
      assert.equal(off.disabled, true);
      assert.equal(off.disabled_reason, 'maintenance');
      assert.equal(off.updated_at?.getTime(), T1.getTime());
      const on = await services.setDisabled(db, s.id, false, 'ignored', T1);
      assert.equal(on.disabled, false);
      assert.equal(on.disabled_reason, null);
      assert.equal((await services.setForcedDown(db, s.id, true, T1)).forced_down, true);
      assert.equal((await services.setForcedDown(db, s.id, false, T1)).forced_down, false);
      await assert.rejects(services.setDisabled(db, 999999, true, null, T1), NotFound);
    });

    it('lists with filters, by id', async () => {
      await services.createOrGet(
        db,
        { host: 'lh', binary: 'nova-scheduler', topic: 'scheduler', version: 1 },
        T0,
      );
      await services.createOrGet(
        db,
        { host: 'lh', binary: 'nova-conductor', topic: 'conductor', version: 1 },
        T0,
      );
      const onHost = await services.list(db, { host: 'lh' });
      assert.deepEqual(
        onHost.map((s) => s.binary),
        ['nova-scheduler', 'nova-conductor'],
      );
      assert.deepEqual(
        (await services.list(db, { host: 'lh', binary: 'nova-conductor' })).map((s) => s.topic),
        ['conductor'],
      );
      const ids = (await services.list(db)).map((s) => s.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
    });

    it('soft-deletes, freeing (host, binary) for a new registration', async () => {
      const s = await services.createOrGet(db, compute('del'), T0);
      await services.destroy(db, s.id, T1);
      await assert.rejects(services.getById(db, s.id), NotFound);
      await assert.rejects(services.getByUuid(db, s.uuid), NotFound);
      await assert.rejects(services.getByHostAndBinary(db, 'del', 'nova-compute'), NotFound);
      assert.equal(await services.findByHostAndBinary(db, 'del', 'nova-compute'), undefined);
      assert.deepEqual(await services.list(db, { host: 'del' }), []);
      await assert.rejects(services.destroy(db, s.id, T1), NotFound);

      const again = await services.createOrGet(db, compute('del'), T1);
      assert.notEqual(again.id, s.id);
      await services.destroy(db, again.id, T1);
      const withDeleted = await services.list(db, { host: 'del', includeDeleted: true });
      assert.equal(withDeleted.length, 2);
      assert.ok(withDeleted.every((r) => r.deleted && r.deleted_at?.getTime() === T1.getTime()));
    });

    it('unknown ids and uuids are NotFound', async () => {
      await assert.rejects(services.getByUuid(db, newUuid()), NotFound);
      await assert.rejects(services.setForcedDown(db, 424242, true, T1), NotFound);
    });
  });
}
