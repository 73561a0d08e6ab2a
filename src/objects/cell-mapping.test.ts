import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUuid } from '../common/ids.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import { Conflict, NotFound } from '../faults/fault.ts';
import * as cells from './cell-mapping.ts';
import * as hostMappings from './host-mapping.ts';
import * as instanceMappings from './instance-mapping.ts';

const T0 = new Date('2026-03-04T05:06:07.891Z');
const T1 = new Date('2026-03-05T00:00:00.001Z');

for (const d of testDialects()) {
  describe(`${d.name}: cell mappings`, () => {
    let db: Database<ApiDb>;
    before(async () => {
      db = await d.open<ApiDb>(['api']);
    });
    after(() => d.cleanup());

    const newCell = (name: string | null, extra: Partial<cells.NewCellMapping> = {}) =>
      cells.create(
        db,
        { name, transport_url: 'rabbit://r/', database_connection: `mysql://db/${name ?? 'x'}`, ...extra },
        T0,
      );

    it('creates cell0 and reads it back with Dates and booleans', async () => {
      const c0 = await newCell('cell0', { uuid: cells.CELL0_UUID, transport_url: 'none:///' });
      assert.equal(c0.uuid, cells.CELL0_UUID);
      assert.equal(c0.disabled, false);
      assert.ok(c0.created_at instanceof Date);
      assert.equal(c0.created_at?.getTime(), T0.getTime());
      assert.equal(c0.updated_at, null);
      assert.deepEqual(await cells.getByUuid(db, cells.CELL0_UUID), c0);
      assert.ok(Object.isFrozen(c0));
    });

    it('refuses a duplicate uuid with Conflict', async () => {
      await assert.rejects(newCell('again', { uuid: cells.CELL0_UUID }), Conflict);
    });

    it('gets, finds and lists', async () => {
      const b = await newCell('b-cell', { disabled: true });
      const a = await newCell('a-cell');
      const unnamed = await newCell(null);
      assert.equal(b.disabled, true);
      assert.match(a.uuid, /^[0-9a-f-]{36}$/);
      await assert.rejects(cells.getByUuid(db, newUuid()), NotFound);
      assert.equal(await cells.findByUuid(db, newUuid()), undefined);
      assert.deepEqual(await cells.findById(db, a.id), a);
      assert.deepEqual(await cells.findByName(db, 'a-cell'), a);
      assert.equal(await cells.findByName(db, 'nope'), undefined);
      const names = (await cells.list(db)).map((c) => c.name);
      assert.deepEqual(names.slice(0, 4), [null, 'a-cell', 'b-cell', 'cell0']);
      assert.equal((await cells.list(db)).find((c) => c.name === null)?.id, unnamed.id);
    });

    it('updates only the given fields', async () => {
      const c = await newCell('to-update');
      const u = await cells.update(db, c.uuid, { disabled: true, transport_url: 'rabbit://other/' }, T1);
      assert.equal(u.disabled, true);
      assert.equal(u.transport_url, 'rabbit://other/');
      assert.equal(u.name, 'to-update');
      assert.equal(u.database_connection, c.database_connection);
      assert.equal(u.updated_at?.getTime(), T1.getTime());
      const again = await cells.update(db, c.uuid, { name: null, disabled: false }, T1);
      assert.equal(again.name, null);
      assert.equal(again.disabled, false);
      await assert.rejects(cells.update(db, newUuid(), { name: 'x' }, T1), NotFound);
    });

    it('refuses to destroy a cell still in use, unless forced', async () => {
      const c = await newCell('busy');
      await hostMappings.create(db, { host: `busy-host-${d.name}`, cell_id: c.id }, T0);
      await instanceMappings.create(db, { instance_uuid: newUuid(), cell_id: c.id, project_id: 'p' }, T0);
      assert.equal(await cells.hostCount(db, c.id), 1);
      assert.equal(await cells.instanceMappingCount(db, c.id), 1);
      await assert.rejects(cells.destroy(db, c.uuid), (err: Error) => {
        assert.ok(err instanceof Conflict);
        assert.match(err.message, /1 host mapping\(s\) and 1 instance mapping\(s\)/);
        return true;
      });
      await cells.destroy(db, c.uuid, { force: true });
      await assert.rejects(cells.getByUuid(db, c.uuid), NotFound);
      assert.equal(await cells.hostCount(db, c.id), 0);
    });

    it('destroys an empty cell; destroying it again is NotFound', async () => {
      const c = await newCell('empty');
      await cells.destroy(db, c.uuid);
      await assert.rejects(cells.destroy(db, c.uuid), NotFound);
    });
  });
}
