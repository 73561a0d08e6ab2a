// Repository tests over every engine: provider trees, inventories with generations, allocation
// writes with capacity checks, list filters and usages, straight through the objects.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../common/log.ts';
import type { PlacementDb } from '../../db/tables/placement-db.ts';
import { testDialects } from '../../db/test-dialects.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { PlacementDbHandle } from '../context.ts';
import { allocationsOfConsumer } from './allocation.ts';
import { writeAllocations } from './allocation-write.ts';
import { listInventories, replaceInventories } from './inventory.ts';
import { listProviders } from './provider-list.ts';
import { classIds, ensureStandardClasses } from './resource-class.ts';
import { createProvider, deleteProvider, getProvider, updateProvider } from './resource-provider.ts';
import { ensureStandardTraits } from './trait.ts';
import { providerUsages, totalUsages } from './usage.ts';

const now = new Date('2026-01-01T00:00:00Z');
const deps = { now, retries: 3, log: silentLogger() };

for (const d of testDialects()) {
  describe(`placement objects (${d.name})`, () => {
    after(() => d.cleanup());
    let db: PlacementDbHandle;

    it('builds a tree and moves a subtree', async () => {
      db = await d.open<PlacementDb>(['placement']);
      await ensureStandardClasses(db, now);
      await ensureStandardTraits(db, now);
      const root = await createProvider(db, { uuid: randomUUID(), name: 'root' }, now);
      const child = await createProvider(
        db,
        { uuid: randomUUID(), name: 'child', parent_provider_uuid: root.uuid },
        now,
      );
      assert.equal(child.root_provider_uuid, root.uuid);
      const moved = await inTransaction(db, (trx) =>
        updateProvider(trx, child, { parent_provider_uuid: null }, true, now),
      );
      assert.equal(moved.root_provider_uuid, child.uuid);
      assert.equal((await listProviders(db, { inTree: child.uuid })).length, 1);
      await deleteProvider(db, await getProvider(db, child.uuid));
    });

    it('replaces inventories, bumping the generation, and allocates within capacity', async () => {
      const rp = await createProvider(db, { uuid: randomUUID(), name: 'cn' }, now);
      const ids = await classIds(db, ['VCPU'], (n) => new Error(n));
      const vcpu = ids.get('VCPU') as number;
      const inv = { total: 2, reserved: 0, min_unit: 1, max_unit: 2, step_size: 1, allocation_ratio: 1.5 };
      const gen = await inTransaction(db, (trx) =>
        replaceInventories(trx, rp, [{ ...inv, resource_class: 'VCPU', resource_class_id: vcpu }], now),
      );
      assert.equal(gen, 1);
      assert.equal((await listInventories(db, rp.id))[0].allocation_ratio, 1.5);
      const consumer = randomUUID();
      const write = (uuid: string, amount: number) =>
        writeAllocations(
          db,
          [
            {
              consumerUuid: uuid,
              projectId: 'p',
              userId: 'u',
              allocations: new Map([[rp.uuid, { VCPU: amount }]]),
            },
          ],
          deps,
        );
      await write(consumer, 2);
      await assert.rejects(write(randomUUID(), 2), /exceed the capacity/);
      assert.equal((await allocationsOfConsumer(db, consumer))?.generation, 1);
      assert.deepEqual(await providerUsages(db, rp.id), { VCPU: 2 });
      assert.deepEqual(await totalUsages(db, { projectId: 'p' }), { VCPU: 2 });
      assert.equal((await listProviders(db, { resources: { VCPU: 1 } })).length, 1);
      assert.equal((await listProviders(db, { resources: { VCPU: 2 } })).length, 0);
      assert.equal((await getProvider(db, rp.uuid)).generation, 2);
    });
  });
}
