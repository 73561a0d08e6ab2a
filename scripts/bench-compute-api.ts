// Compute API benchmark and stand-alone server for CLI checks.
//   npx node scripts/bench-compute-api.ts [--flavors 30] [--hypervisors 100] [--clients 8] [--seconds 5]
//     measures GET /v2.1/flavors/detail and GET /v2.1/os-hypervisors/detail (p50/p99 latency,
//     requests/s) at N concurrent clients; the hypervisors are compute nodes + services seeded in cell1.
//   npx node scripts/bench-compute-api.ts --serve [--port 8774] [--auth-url http://127.0.0.1:5000/v3]
//     serves the Compute API on 127.0.0.1 (noauth2 tokens `user:project`, or Keystone tokens
//     validated against --auth-url with the admin password given by --password) until SIGINT.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createComputeApiApp } from '../src/api/compute/app.ts';
import { COMPUTE_POLICY_DEFAULTS } from '../src/api/compute/policies/index.ts';
import { noauth2Validator } from '../src/auth/noauth.ts';
import type { TokenValidator } from '../src/auth/types.ts';
import { createCellPool } from '../src/cells/cell-pool.ts';
import { systemClock } from '../src/common/clock.ts';
import { createLogger, silentLogger } from '../src/common/log.ts';
import { createFlavor, ensureDefaultFlavors } from '../src/compute-api/flavors.ts';
import { loadConfig } from '../src/config/index.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { ApiDb } from '../src/db/tables/api-db.ts';
import type { CellDb } from '../src/db/tables/cell-db.ts';
import { toDbTime } from '../src/db/time.ts';
import { keystoneValidator } from '../src/identity/keystone-validator.ts';
import * as cellMappings from '../src/objects/cell-mapping.ts';
import * as computeNodes from '../src/objects/compute-node.ts';
import * as hostMappings from '../src/objects/host-mapping.ts';
import * as services from '../src/objects/service.ts';
import { createEnforcer } from '../src/policy/engine.ts';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    flavors: { type: 'string', default: '30' },
    hypervisors: { type: 'string', default: '100' },
    clients: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '5' },
    'auth-url': { type: 'string' },
    password: { type: 'string', default: 'admin-secret' },
  },
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'novats-bench-'));
  const { conf } = loadConfig({ configFiles: [], useDefaultSearch: false, env: {} });
  const apiDb = await connectDatabase<ApiDb>(`sqlite:///${join(dir, 'api.sqlite')}`);
  await migrateToLatest(apiDb, 'api');
  const cellUrl = `sqlite:///${join(dir, 'cell1.sqlite')}`;
  const cells = createCellPool();
  await migrateToLatest(await cells.open(cellUrl), 'cell');
  const cell = await cellMappings.create(
    apiDb,
    { name: 'cell1', transport_url: 'none:///', database_connection: cellUrl },
    new Date(),
  );
  const cellDb = (await cells.open(cellUrl)) as import('../src/db/connect.ts').Database<CellDb>;
  const serviceIds = await seedHosts(apiDb, cellDb, cell.id, Number(values.hypervisors));
  await ensureDefaultFlavors(apiDb, new Date());
  for (let i = 0; i < Number(values.flavors) - 6; i++)
    await createFlavor(apiDb, systemClock, {
      name: `bench.${i}`,
      id: `b${i}`,
      ram: 64 * (i + 1),
      vcpus: 1,
      disk: 1,
    });
  const log = values.serve
    ? createLogger({ name: 'nova-api', file: join(dir, 'nova-api.log') })
    : silentLogger();
  const authUrl = values['auth-url'];
  const validator: TokenValidator = authUrl
    ? keystoneValidator(
        {
          auth_url: authUrl,
          username: 'admin',
          password: values.password,
          project_name: 'admin',
          user_domain_name: 'Default',
          project_domain_name: 'Default',
        },
        { log },
      )
    : noauth2Validator();
  const enforcer = createEnforcer({
    defaults: COMPUTE_POLICY_DEFAULTS,
    enforceScope: true,
    enforceNewDefaults: true,
  });
  const app = createComputeApiApp({ conf, log, validator, enforcer, apiDb, cells, clock: systemClock });
  const url = await app.listen({ host: '127.0.0.1', port: Number(values.port) });
  // Serving for CLI checks: keep the seeded services "up" (report_interval 10 s, as nova-compute).
  const beat = values.serve
    ? setInterval(() => {
        for (const id of serviceIds) void services.heartbeat(cellDb, id, new Date()).catch(() => {});
      }, 10_000)
    : undefined;
  return { app, url, dir, beat };
}

/** N compute hosts (service, heartbeat, host mapping, node), a scheduler, and a few instances. */
async function seedHosts(
  apiDb: import('../src/db/connect.ts').Database<ApiDb>,
  cellDb: import('../src/db/connect.ts').Database<CellDb>,
  cellId: number,
  n: number,
): Promise<number[]> {
  const now = new Date();
  const ids: number[] = [];
  await services.createOrGet(
    cellDb,
    { host: 'ctl', binary: 'nova-scheduler', topic: 'scheduler', version: 1 },
    now,
  );
  for (let i = 0; i < n; i++) {
    const host = `cmp-${String(i).padStart(3, '0')}`;
    const svc = await services.createOrGet(
      cellDb,
      { host, binary: 'nova-compute', topic: 'compute', version: 1 },
      now,
    );
    await services.heartbeat(cellDb, svc.id, now);
    ids.push(svc.id);
    await hostMappings.create(apiDb, { host, cell_id: cellId }, now);
    await computeNodes.upsert(
      cellDb,
      {
        host,
        hypervisor_hostname: `${host}.example.org`,
        hypervisor_type: 'QEMU',
        hypervisor_version: 8002000,
        vcpus: 16,
        memory_mb: 65536,
        local_gb: 500,
        vcpus_used: 2,
        memory_mb_used: 4096,
        local_gb_used: 20,
        free_ram_mb: 61440,
        free_disk_gb: 480,
        current_workload: 0,
        running_vms: i < 3 ? 1 : 0,
        disk_available_least: 470,
        cpu_info: JSON.stringify({ arch: 'x86_64', model: 'Nehalem', vendor: 'Intel', features: ['pge'] }),
        host_ip: `192.0.2.${(i % 250) + 1}`,
        service_id: svc.id,
      },
      now,
    );
  }
  const launched = toDbTime(new Date(now.getTime() - 3 * 3_600_000));
  for (let i = 0; i < Math.min(3, n); i++)
    await cellDb.kysely
      .insertInto('instances')
      .values({
        uuid: crypto.randomUUID(),
        project_id: '0a1b2c3d',
        user_id: 'admin',
        display_name: `vm-${i}`,
        host: `cmp-${String(i).padStart(3, '0')}`,
        vm_state: 'active',
        vcpus: 1,
        memory_mb: 512,
        root_gb: 1,
        ephemeral_gb: 0,
        launched_at: launched,
      })
      .execute();
  return ids;
}

async function bench(url: string, path: string, mv: string, what: string): Promise<void> {
  const target = `${url}${path}`;
  const headers = { 'x-auth-token': 'admin:0a1b2c3d', 'openstack-api-version': `compute ${mv}` };
  for (let i = 0; i < 200; i++) await (await fetch(target, { headers })).arrayBuffer();
  const latencies: number[] = [];
  const until = performance.now() + Number(values.seconds) * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const r = await fetch(target, { headers });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`status ${r.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Number(values.clients) }, client));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  process.stdout.write(
    `GET ${path} (${what}, microversion ${mv}), ${values.clients} clients, ${elapsed.toFixed(1)} s: ` +
      `${latencies.length} requests, ${(latencies.length / elapsed).toFixed(0)} req/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms\n`,
  );
}

const { app, url, dir, beat } = await setup();
if (values.serve) {
  process.stdout.write(`compute API ready ${url}/v2.1 (state in ${dir})\n`);
  const stop = async () => {
    clearInterval(beat);
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  await bench(url, '/v2.1/flavors/detail', '2.61', `${values.flavors} flavors`);
  await bench(url, '/v2.1/os-hypervisors/detail', '2.53', `${values.hypervisors} hypervisors`);
  await app.close();
  process.exit(0);
}
