import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUuid } from '../common/ids.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import { Conflict, NotFound } from '../faults/fault.ts';
import * as cells from './cell-mapping.ts';
import * as instanceMappings from './instance-mapping.ts';

const T0 = new Date('2026-03-04T05:06:07.891Z');

for (const d of testDialects()) {
  describe(`${d.name}: instance mappings`, () => {
    let db: Database<ApiDb>;
    let cell: cells.CellMapping;
    before(async () => {
      db = await d.open<ApiDb>(['api']);
      cell = await cells.create(db, { name: 'c', transport_url: 't', database_connection: 'sqlite://' }, T0);
    });
    after(() => d.cleanup());

    it('maps an instance without a cell, then one in a cell', async () => {
      const pending = await instanceMappings.create(db, { instance_uuid: newUuid(), project_id: 'p1' }, T0);
      assert.equal(pending.cell_id, null);
      assert.equal(pending.cell_mapping, null);
      assert.equal(pending.queued_for_delete, false);
      assert.equal(pending.user_id, null);
      assert.equal(pending.created_at?.getTime(), T0.getTime());

      const uuid = newUuid();
      const placed = await instanceMappings.create(
        db,
        { instance_uuid: uuid, cell_id: cell.id, project_id: 'p1', user_id: 'u1', queued_for_delete: true },
        T0,
      );
      assert.deepEqual(placed.cell_mapping, cell);
      assert.equal(placed.queued_for_delete, true);
      assert.deepEqual(await instanceMappings.getByInstanceUuid(db, uuid), placed);
    });

    it('refuses a duplicate instance; unknown instances are NotFound', async () => {
      const uuid = newUuid();
      await instanceMappings.create(db, { instance_uuid: uuid, project_id: 'p' }, T0);
      await assert.rejects(
        instanceMappings.create(db, { instance_uuid: uuid, project_id: 'p' }, T0),
        Conflict,
      );
      await assert.rejects(instanceMappings.getByInstanceUuid(db, newUuid()), NotFound);
    });

    it('counts and deletes by cell', async () => {
      await instanceMappings.create(db, { instance_uuid: newUuid(), cell_id: cell.id, project_id: 'p2' }, T0);
      assert.equal(await instanceMappings.countByCell(db, cell.id), 2);
      assert.equal(await instanceMappings.deleteByCell(db, cell.id), 2);
      assert.equal(await instanceMappings.countByCell(db, cell.id), 0);
    });
  });
}
