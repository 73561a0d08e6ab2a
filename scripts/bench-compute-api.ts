// Compute API benchmark and stand-alone server for CLI checks.
//   npx node scripts/bench-compute-api.ts [--flavors 30] [--clients 8] [--seconds 5]
//     measures GET /v2.1/flavors/detail (p50/p99 latency, requests/s) at N concurrent clients.
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
import { keystoneValidator } from '../src/identity/keystone-validator.ts';
import * as cellMappings from '../src/objects/cell-mapping.ts';
import { createEnforcer } from '../src/policy/engine.ts';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    flavors: { type: 'string', default: '30' },
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
  await cellMappings.create(
    apiDb,
    { name: 'cell1', transport_url: 'none:///', database_connection: cellUrl },
    new Date(),
  );
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
  return { app, url, dir };
}

async function bench(url: string): Promise<void> {
  const target = `${url}/v2.1/flavors/detail`;
  const headers = { 'x-auth-token': 'admin:0a1b2c3d', 'openstack-api-version': 'compute 2.61' };
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
    `GET /v2.1/flavors/detail (${values.flavors} flavors, microversion 2.61), ${values.clients} clients, ${elapsed.toFixed(1)} s: ` +
      `${latencies.length} requests, ${(latencies.length / elapsed).toFixed(0)} req/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms\n`,
  );
}

const { app, url, dir } = await setup();
if (values.serve) {
  process.stdout.write(`compute API ready ${url}/v2.1 (state in ${dir})\n`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  await bench(url);
  await app.close();
  process.exit(0);
}
