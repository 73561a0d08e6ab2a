// Placement benchmark (`npm run bench:placement`): N compute-node providers with VCPU, MEMORY_MB
// and DISK_GB, half of them used by allocations (10 consumers each), on a SQLite file. Measures
// GET /allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:1&limit=1000 and
// PUT /allocations/{consumer} through the real app (inject), p50/p90 in ms.
// Usage: node scripts/bench-placement.ts [providerCounts...]   (default 1000 10000)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { noauth2Validator } from '../src/auth/noauth.ts';
import { silentLogger } from '../src/common/log.ts';
import { connectDatabase, type Database } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { PlacementDb } from '../src/db/tables/placement-db.ts';
import { toDbTime } from '../src/db/time.ts';
import { createPlacementApp } from '../src/placement/app.ts';
import { directPlacement } from '../src/placement/direct.ts';
import { testEnforcer } from '../src/placement/test-support.ts';

const CONSUMERS_PER_USED_PROVIDER = 10;

async function seed(db: Database<PlacementDb>, providers: number): Promise<string[]> {
  const now = toDbTime(new Date());
  const uuids: string[] = [];
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < providers; i += 500) {
      const rows = [];
      for (let j = i; j < Math.min(i + 500, providers); j++) {
        const uuid = randomUUID();
        uuids.push(uuid);
        rows.push({
          id: j + 1,
          uuid,
          name: `cn-${j}`,
          generation: 1,
          root_provider_id: j + 1,
          created_at: now,
        });
      }
      await trx.insertInto('resource_providers').values(rows).execute();
      const inv = rows.flatMap((r) =>
        [
          [0, 64, 4.0],
          [1, 262144, 1.5],
          [2, 2000, 1.0],
        ].map(([rc, total, ratio]) => ({
          resource_provider_id: r.id,
          resource_class_id: rc,
          total,
          reserved: 0,
          min_unit: 1,
          max_unit: total,
          step_size: 1,
          allocation_ratio: ratio,
          created_at: now,
        })),
      );
      await trx.insertInto('inventories').values(inv).execute();
    }
    await trx.insertInto('projects').values({ external_id: 'bench', created_at: now }).execute();
    await trx.insertInto('users').values({ external_id: 'bench', created_at: now }).execute();
    const used = Math.floor(providers / 2);
    for (let p = 0; p < used; p += 50) {
      const consumers = [];
      const allocs = [];
      for (let q = p; q < Math.min(p + 50, used); q++) {
        for (let c = 0; c < CONSUMERS_PER_USED_PROVIDER; c++) {
          const uuid = randomUUID();
          consumers.push({ uuid, project_id: 1, user_id: 1, generation: 1, created_at: now });
          for (const [rc, amount] of [
            [0, 2],
            [1, 2048],
            [2, 20],
          ])
            allocs.push({
              resource_provider_id: q + 1,
              consumer_id: uuid,
              resource_class_id: rc,
              used: amount,
              created_at: now,
            });
        }
      }
      await trx.insertInto('consumers').values(consumers).execute();
      await trx.insertInto('allocations').values(allocs).execute();
    }
  });
  return uuids;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function timeIt(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

async function bench(providers: number) {
  const dir = mkdtempSync(join(tmpdir(), 'placement-bench-'));
  const db = await connectDatabase<PlacementDb>(`sqlite:///${join(dir, 'placement.db')}`);
  try {
    await migrateToLatest(db, 'placement');
    const app = await createPlacementApp({
      db,
      validator: noauth2Validator(),
      enforcer: testEnforcer(),
      log: silentLogger(),
      wwwAuthenticateUri: 'http://127.0.0.1:5000/v3',
    });
    const t0 = performance.now();
    const uuids = await seed(db, providers);
    const seedMs = performance.now() - t0;
    const client = directPlacement(app, { token: 'admin' });
    const url = '/allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:1&limit=1000';
    const first = await client.get(url);
    const count = (first.body as { allocation_requests: unknown[] }).allocation_requests.length;
    for (let i = 0; i < 3; i++) await client.get(url);
    // Server latency: the response is produced and serialised, not parsed back.
    const headers = {
      'x-auth-token': 'admin',
      'openstack-api-version': 'placement 1.39',
      accept: 'application/json',
    };
    const ac = await timeIt(40, async () => {
      const r = await app.inject({ method: 'GET', url, headers });
      if (r.statusCode !== 200) throw new Error(`candidates ${r.statusCode}`);
    });
    const put = await timeIt(300, async (i) => {
      const rp = uuids[(i * 7919) % uuids.length];
      const r = await client.put(`/allocations/${randomUUID()}`, {
        allocations: { [rp]: { resources: { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 } } },
        project_id: 'bench',
        user_id: 'bench',
        consumer_generation: null,
        consumer_type: 'INSTANCE',
      });
      if (r.status !== 204) throw new Error(`put ${r.status} ${JSON.stringify(r.body)}`);
    });
    await app.close();
    return {
      providers,
      allocations: Math.floor(providers / 2) * CONSUMERS_PER_USED_PROVIDER,
      seedMs,
      count,
      ac,
      put,
    };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const counts = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const f = (x: number) => x.toFixed(2);
console.log(
  '| providers | consumers | candidates returned | GET candidates p50 / p90 ms | PUT allocations p50 / p90 ms |',
);
console.log('|---:|---:|---:|---:|---:|');
for (const n of counts.length ? counts : [1000, 10000]) {
  const r = await bench(n);
  console.log(
    `| ${r.providers} | ${r.allocations} | ${r.count} | ${f(pct(r.ac, 0.5))} / ${f(pct(r.ac, 0.9))} | ${f(pct(r.put, 0.5))} / ${f(pct(r.put, 0.9))} |`,
  );
}
