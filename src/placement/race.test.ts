// Two placement servers (separate connections, as two processes would have) race for the last
// unit of a provider: exactly one allocation wins on every engine with shared storage.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { PlacementDb } from '../db/tables/placement-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import { directPlacement } from './direct.ts';
import { placementOn } from './test-support.ts';

const ROUNDS = 8;

for (const d of testDialects().filter((x) => x.shared)) {
  describe(`placement race (${d.name})`, () => {
    after(() => d.cleanup());
    it('two schedulers never both get the last unit', async () => {
      const url = await d.newUrl();
      const db1 = await connectDatabase<PlacementDb>(url);
      const db2 = await connectDatabase<PlacementDb>(url);
      await migrateToLatest(db1, 'placement');
      const [p1, p2] = [await placementOn(db1), await placementOn(db2)];
      const [a, b] = [
        directPlacement(p1.app, { token: 'admin' }),
        directPlacement(p2.app, { token: 'admin' }),
      ];
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const rp = randomUUID();
          assert.equal(
            (await a.post('/resource_providers', { name: `race-${round}`, uuid: rp })).status,
            200,
          );
          const inv = { resource_provider_generation: 0, inventories: { VCPU: { total: 1 } } };
          assert.equal((await a.put(`/resource_providers/${rp}/inventories`, inv)).status, 200);
          const claim = (client: typeof a) =>
            client.put(`/allocations/${randomUUID()}`, {
              allocations: { [rp]: { resources: { VCPU: 1 } } },
              project_id: 'p',
              user_id: 'u',
              consumer_generation: null,
              consumer_type: 'INSTANCE',
            });
          const results = await Promise.all([claim(a), claim(b)]);
          const statuses = results.map((r) => r.status).sort();
          assert.deepEqual(statuses, [204, 409], JSON.stringify(results.map((r) => r.body)));
          const usage = await b.get(`/resource_providers/${rp}/usages`);
          assert.deepEqual((usage.body as { usages: unknown }).usages, { VCPU: 1 });
        }
      } finally {
        await p1.close();
        await p2.close();
        await db1.close();
        await db2.close();
      }
    });
  });
}
