import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import { Conflict, NotFound } from '../faults/fault.ts';
import * as cells from './cell-mapping.ts';
import * as hostMappings from './host-mapping.ts';

const T0 = new Date('2026-03-04T05:06:07.891Z');

for (const d of testDialects()) {
  describe(`${d.name}: host mappings`, () => {
    let db: Database<ApiDb>;
    let cell1: cells.CellMapping;
    let cell2: cells.CellMapping;
    before(async () => {
      db = await d.open<ApiDb>(['api']);
      const fields = { transport_url: 'rabbit://r/', database_connection: 'sqlite://' };
      cell1 = await cells.create(db, { ...fields, name: 'cell1' }, T0);
      cell2 = await cells.create(db, { ...fields, name: 'cell2' }, T0);
    });
    after(() => d.cleanup());

    it('maps a host and reads it back with its cell', async () => {
      const hm = await hostMappings.create(db, { host: 'compute1', cell_id: cell1.id }, T0);
      assert.equal(hm.host, 'compute1');
      assert.equal(hm.cell_id, cell1.id);
      assert.deepEqual(hm.cell_mapping, cell1);
      assert.equal(hm.created_at?.getTime(), T0.getTime());
      assert.deepEqual(await hostMappings.getByHost(db, 'compute1'), hm);
      assert.deepEqual(await hostMappings.findByHost(db, 'compute1'), hm);
    });

    it('refuses a second mapping of the same host, and an unknown cell', async () => {
      await assert.rejects(
        hostMappings.create(db, { host: 'compute1', cell_id: cell2.id }, T0),
        (err: Error) => {
          assert.ok(err instanceof Conflict);
          assert.equal(err.code, 'nova.host_mapping_exists');
          return true;
        },
      );
      await assert.rejects(hostMappings.create(db, { host: 'orphan', cell_id: 987654 }, T0), NotFound);
    });

    it('lists by cell and all', async () => {
      await hostMappings.create(db, { host: 'compute2', cell_id: cell2.id }, T0);
      await hostMappings.create(db, { host: 'compute3', cell_id: cell2.id }, T0);
      assert.deepEqual(
        (await hostMappings.listByCell(db, cell2.id)).map((h) => h.host),
        ['compute2', 'compute3'],
      );
      assert.deepEqual(
        (await hostMappings.list(db)).map((h) => [h.host, h.cell_mapping.name]),
        [
          ['compute1', 'cell1'],
          ['compute2', 'cell2'],
          ['compute3', 'cell2'],
        ],
      );
    });

    it('deletes by host; unknown hosts are NotFound', async () => {
      await hostMappings.deleteByHost(db, 'compute3');
      assert.equal(await hostMappings.findByHost(db, 'compute3'), undefined);
      await assert.rejects(hostMappings.getByHost(db, 'compute3'), (err: Error) => {
        assert.ok(err instanceof NotFound);
        assert.equal(err.message, "Host 'compute3' is not mapped to any cell");
        return true;
      });
      await assert.rejects(hostMappings.deleteByHost(db, 'compute3'), NotFound);
    });
  });
}
