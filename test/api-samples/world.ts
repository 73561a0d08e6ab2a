// The fixed world the API samples run against: default flavors (ids 1-5, 1 with extra specs and a
// description), a scheduler and two compute hosts (one with a server), a key pair.

import { addComputeHost, addInstance } from '../../src/api/compute/test-fixtures.ts';
import { startTestApi, type TestApi } from '../../src/api/compute/test-support.ts';
import { ensureDefaultFlavors } from '../../src/compute-api/flavors.ts';
import type { Database } from '../../src/db/connect.ts';
import type { CellDb } from '../../src/db/tables/cell-db.ts';
import * as flavors from '../../src/objects/flavor.ts';
import * as services from '../../src/objects/service.ts';

export async function startSampleWorld(): Promise<TestApi> {
  const t = await startTestApi([], {
    hostUptime: {
      uptime: async () => ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14',
    },
  });
  const now = t.clock.now();
  await ensureDefaultFlavors(t.apiDb, now);
  await flavors.create(
    t.apiDb,
    {
      flavorid: '7',
      name: 'm1.small.description',
      memory_mb: 2048,
      vcpus: 1,
      root_gb: 20,
      description: 'test description',
    },
    now,
  );
  await flavors.updateExtraSpecs(t.apiDb, '7', { 'hw:cpu_policy': 'shared', 'hw:numa_nodes': '1' }, now);
  const db: Database<CellDb> = t.cellDb;
  await services.createOrGet(
    db,
    { host: 'host1', binary: 'nova-scheduler', topic: 'scheduler', version: 1 },
    now,
  );
  const cpuInfo = JSON.stringify({
    arch: 'x86_64',
    model: 'Nehalem',
    vendor: 'Intel',
    features: ['pge', 'clflush'],
    topology: { cores: 1, threads: 1, sockets: 4 },
  });
  await addComputeHost(t, db, 'cell1', 'host1', { node: 'fake-mini', cpuInfo });
  await addComputeHost(t, db, 'cell1', 'host2', { node: 'fake-mini-2', cpuInfo });
  await addInstance(db, { host: 'host1', name: 'test_server1' });
  return t;
}
