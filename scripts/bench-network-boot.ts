// Server boot latency with a port versus without: an in-process all-in-one (fake driver, fake
// hosts) on free loopback ports, N servers booted with `networks: none` and N with a network of
// the embedded network service (a port made, bound and cached at build), each timed from POST
// /servers to ACTIVE; p50/p95 of each, and the addresses checked to be distinct.
//   npx node scripts/bench-network-boot.ts [--servers 100] [--concurrency 4] [--hosts 4]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAllInOne } from '../src/all-in-one/cloud.ts';
import { issueToken } from '../src/all-in-one/first-start.ts';
import { prepareStateDir } from '../src/all-in-one/state-dir.ts';
import { silentLogger } from '../src/common/log.ts';
import { loadConfig } from '../src/config/index.ts';
import { allInOnePortsConf } from '../test/functional/free-ports.ts';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    hosts: { type: 'string', default: '4' },
  },
});
const SERVERS = Number(values.servers);
const CONC = Number(values.concurrency);

const dir = mkdtempSync(join(tmpdir(), 'novats-bench-netboot-'));
const state = join(dir, 'state');
const { confPath } = prepareStateDir(state);
const extra = join(dir, 'extra.conf');
writeFileSync(
  extra,
  `${await allInOnePortsConf('bench')}\n[DEFAULT]\ncompute_driver = fake\n[quota]\ninstances = -1\ncores = -1\nram = -1\n`,
);
const loaded = loadConfig({
  configFiles: [confPath, extra],
  env: {},
  overrides: [{ group: 'DEFAULT', name: 'state_path', value: state }],
});
const aio = await startAllInOne({
  conf: loaded.conf,
  log: silentLogger(),
  statePath: state,
  version: '0.0.0-bench',
  configFiles: loaded.files,
  fakeHosts: Number(values.hosts),
});
const ep = (p: string) => aio.roles.find((r) => r.role.startsWith(p))?.endpoint ?? '';
const compute = ep('nova-api');
const network = ep('network');
const cred = aio.firstStart.credentials;
if (!cred) throw new Error('no credentials');
const token = await issueToken(
  ep('identity').replace(/\/v3$/, ''),
  cred.username,
  cred.password,
  cred.projectName,
);
const H = {
  'x-auth-token': token,
  'content-type': 'application/json',
  'openstack-api-version': 'compute 2.90',
};
// biome-ignore lint/suspicious/noExplicitAny: JSON
const call = async (url: string, method = 'GET', body?: unknown): Promise<any> => {
  const r = await fetch(url, {
    method,
    headers: H,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (r.status >= 400) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? undefined : r.json();
};
const imageRef = (await call(`${ep('image').replace(/\/v2$/, '')}/v2/images`)).images[0].id;
const net = (await call(`${network}/networks`, 'POST', { network: { name: 'bench' } })).network.id;
await call(`${network}/subnets`, 'POST', {
  subnet: { network_id: net, ip_version: 4, cidr: '10.40.0.0/22' },
});
await call(`${network}/quotas/${(await call(`${network}/networks/${net}`)).network.project_id}`, 'PUT', {
  quota: { port: -1 },
});

async function bootOne(name: string, networks: unknown): Promise<{ ms: number; addr: string }> {
  const t = performance.now();
  const r = await call(`${compute}/servers`, 'POST', {
    server: { name, flavorRef: '1', imageRef, networks },
  });
  for (;;) {
    const s = (await call(`${compute}/servers/${r.server.id}`)).server;
    if (s.status === 'ACTIVE') {
      const addr = Object.values(s.addresses as Record<string, { addr: string }[]>)[0]?.[0]?.addr ?? '';
      return { ms: performance.now() - t, addr };
    }
    if (s.status === 'ERROR') throw new Error(`${name} went to ERROR: ${JSON.stringify(s.fault)}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

async function run(label: string, networks: () => unknown) {
  const results: { ms: number; addr: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < SERVERS) {
        const i = next++;
        results.push(await bootOne(`${label}-${i}`, networks()));
      }
    }),
  );
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const p = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(0);
  const addrs = results.map((r) => r.addr).filter((a) => a !== '');
  console.log(
    `${label}: ${SERVERS} boots at concurrency ${CONC}: POST → ACTIVE p50 ${p(0.5)} ms, p95 ${p(0.95)} ms; ` +
      `addresses ${addrs.length} (${new Set(addrs).size} distinct)`,
  );
}

try {
  await run('without a port', () => 'none');
  await run('with a port', () => [{ uuid: net }]);
} finally {
  await aio.stop();
  rmSync(dir, { recursive: true, force: true });
}
