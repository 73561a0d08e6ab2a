import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import * as instanceExtra from './instance-extra.ts';
import * as migrations from './migration.ts';
import * as taskLog from './task-log.ts';

const T0 = new Date('2026-03-04T05:06:07.891Z');
const T1 = new Date('2026-03-04T06:00:00.000Z');
const INSTANCE = '8600d31b-d1a1-4632-b2ff-45c2be1a70ff';

for (const d of testDialects()) {
  describe(`${d.name}: migrations, task_log, instance_extra`, () => {
    let db: Database<CellDb>;
    before(async () => {
      db = await d.open<CellDb>(['cell']);
    });
    after(() => d.cleanup());

    it('records migrations and finds them by filters, newest first, and in progress by node', async () => {
      const base = {
        instance_uuid: INSTANCE,
        source_compute: 'h1',
        source_node: 'n1',
        dest_compute: 'h2',
        dest_node: 'n2',
      };
      const a = await migrations.create(
        db,
        { ...base, status: 'running', migration_type: 'live-migration' },
        T0,
      );
      const b = await migrations.create(
        db,
        { ...base, status: 'error', migration_type: 'resize', hidden: true },
        T1,
      );
      assert.equal(a.hidden, false);
      assert.equal(b.hidden, true);
      assert.deepEqual(
        (await migrations.list(db)).map((m) => m.id),
        [b.id, a.id],
      );
      assert.deepEqual(
        (await migrations.list(db, { host: 'h2', status: ['running'] })).map((m) => m.id),
        [a.id],
      );
      assert.deepEqual(
        (await migrations.list(db, { hidden: true })).map((m) => m.id),
        [b.id],
      );
      assert.deepEqual(
        (await migrations.listInProgressByHostAndNode(db, 'h2', 'n2')).map((m) => m.id),
        [a.id],
      );
      await migrations.setStatus(db, a.id, 'completed', T1);
      assert.deepEqual(await migrations.listInProgressByHostAndNode(db, 'h2', 'n2'), []);
      assert.deepEqual(
        (await migrations.list(db, { changesSince: T1 })).map((m) => m.id),
        [a.id],
      );
      assert.equal((await migrations.findByUuid(db, a.uuid ?? ''))?.status, 'completed');
    });

    it('logs task runs per period', async () => {
      const period = { period_beginning: T0, period_ending: T1 };
      await taskLog.begin(
        db,
        { task_name: 'instance_usage_audit', host: 'h1', task_items: 2, ...period },
        T0,
      );
      await taskLog.end(
        db,
        { task_name: 'instance_usage_audit', host: 'h1', errors: 1, message: 'done', ...period },
        T1,
      );
      const logs = await taskLog.listForPeriod(db, 'instance_usage_audit', T0, T1);
      assert.deepEqual(logs, [
        {
          task_name: 'instance_usage_audit',
          state: 'DONE',
          host: 'h1',
          ...period,
          message: 'done',
          task_items: 2,
          errors: 1,
        },
      ]);
    });

    it('stores embedded flavors and reads upstream’s versioned-object form too', async () => {
      const cur = {
        name: 'm1.tiny',
        flavorid: '1',
        memory_mb: 512,
        vcpus: 1,
        root_gb: 1,
        ephemeral_gb: 0,
        swap: 0,
      };
      await instanceExtra.setFlavors(db, INSTANCE, { cur, old: null, new: null }, T0);
      await instanceExtra.setFlavors(
        db,
        INSTANCE,
        { cur: { ...cur, name: 'm1.small' }, old: cur, new: null },
        T1,
      );
      const f = (await instanceExtra.flavorsOf(db, [INSTANCE])).get(INSTANCE);
      assert.equal(f?.cur.name, 'm1.small');
      assert.equal(f?.old?.name, 'm1.tiny');
      const upstream = instanceExtra.parseFlavors(
        JSON.stringify({
          cur: { 'nova_object.name': 'Flavor', 'nova_object.data': { ...cur, name: 'up' } },
          old: null,
          new: null,
        }),
      );
      assert.equal(upstream?.cur.name, 'up');
    });
  });
}
