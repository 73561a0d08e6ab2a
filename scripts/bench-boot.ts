// Boot benchmark (npm run bench:boot): an all-in-one with N fake hosts (default 100) started in
// this process on free loopback ports; 1,000 servers booted as 10 multi-creates of 100, then as
// 1,000 single POSTs at concurrency 16 — seconds until all ACTIVE each time; GET
// /servers/detail?limit=1000 latency (p50/p99 over 20 requests); and the delete of all of them.
//   npx node scripts/bench-boot.ts [--hosts 100] [--servers 1000] [--concurrency 16]
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
    hosts: { type: 'string', default: '100' },
    servers: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const HOSTS = Number(values.hosts);
const SERVERS = Number(values.servers);
const CONC = Number(values.concurrency);

const dir = mkdtempSync(join(tmpdir(), 'novats-bench-boot-'));
const state = join(dir, 'state');
const { confPath } = prepareStateDir(state);
const extra = join(dir, 'extra.conf');
writeFileSync(
  extra,
  `${await allInOnePortsConf('bench')}\n[DEFAULT]\nreport_interval = 10\n[quota]\ninstances = -1\ncores = -1\nram = -1\n`,
);
const loaded = loadConfig({
  configFiles: [confPath, extra],
  env: {},
  overrides: [{ group: 'DEFAULT', name: 'state_path', value: state }],
});
const t0 = performance.now();
const aio = await startAllInOne({
  conf: loaded.conf,
  log: silentLogger(),
  statePath: state,
  version: '0.0.0-bench',
  configFiles: loaded.files,
  fakeHosts: HOSTS,
});
console.log(`all-in-one with ${HOSTS} fake hosts up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const ep = (p: string) => aio.roles.find((r) => r.role.startsWith(p))?.endpoint ?? '';
const compute = ep('nova-api');
const identity = ep('identity');
const image = ep('image').replace(/\/v2$/, '');
const cred = aio.firstStart.credentials;
if (!cred) throw new Error('no credentials');
const token = await issueToken(identity.replace(/\/v3$/, ''), cred.username, cred.password, cred.projectName);
const H = {
  'x-auth-token': token,
  'content-type': 'application/json',
  'openstack-api-version': 'compute 2.90',
};
const imageRef = (
  (await (await fetch(`${image}/v2/images`, { headers: H })).json()) as { images: { id: string }[] }
).images[0].id;

async function post(body: unknown): Promise<void> {
  const r = await fetch(`${compute}/servers`, { method: 'POST', headers: H, body: JSON.stringify(body) });
  if (r.status !== 202) throw new Error(`POST /servers: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

interface Brief {
  id: string;
  status: string;
}
async function listAll(): Promise<Brief[]> {
  const out: Brief[] = [];
  let url = `${compute}/servers/detail?limit=1000`;
  for (;;) {
    const b = (await (await fetch(url, { headers: H })).json()) as {
      servers: Brief[];
      servers_links?: { href: string }[];
    };
    out.push(...b.servers);
    const next = b.servers_links?.[0]?.href;
    if (!next || b.servers.length === 0) return out;
    url = next;
  }
}

async function waitAllActive(n: number, t: number): Promise<number> {
  for (;;) {
    const all = await listAll();
    const active = all.filter((s) => s.status === 'ACTIVE').length;
    const error = all.filter((s) => s.status === 'ERROR').length;
    if (error > 0) throw new Error(`${error} servers in ERROR`);
    if (active >= n) return (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function deleteAll(): Promise<number> {
  const t = performance.now();
  const all = await listAll();
  let i = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (i < all.length) {
        const s = all[i++];
        await (await fetch(`${compute}/servers/${s.id}`, { method: 'DELETE', headers: H })).arrayBuffer();
      }
    }),
  );
  for (;;) {
    if ((await listAll()).length === 0) return (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const batch = Math.ceil(SERVERS / 10);
let t = performance.now();
for (let i = 0; i < 10; i++)
  await post({
    server: {
      name: `multi-${i}`,
      flavorRef: '1',
      imageRef,
      networks: 'none',
      min_count: batch,
      max_count: batch,
    },
  });
const multi = await waitAllActive(batch * 10, t);
console.log(`${batch * 10} servers as 10 multi-creates: all ACTIVE after ${multi.toFixed(1)} s`);

const lat: number[] = [];
for (let i = 0; i < 20; i++) {
  const s = performance.now();
  await (await fetch(`${compute}/servers/detail?limit=1000`, { headers: H })).arrayBuffer();
  lat.push(performance.now() - s);
}
lat.sort((a, b) => a - b);
console.log(
  `GET /servers/detail?limit=1000 (${batch * 10} servers): p50 ${lat[9].toFixed(1)} ms, p99 ${lat[19].toFixed(1)} ms`,
);
const del1 = await deleteAll();
console.log(`delete of all ${batch * 10}: ${del1.toFixed(1)} s`);

t = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONC }, async () => {
    while (next < SERVERS) {
      const i = next++;
      await post({ server: { name: `single-${i}`, flavorRef: '1', imageRef, networks: 'none' } });
    }
  }),
);
const posted = (performance.now() - t) / 1000;
const single = await waitAllActive(SERVERS, t);
console.log(
  `${SERVERS} single POSTs at concurrency ${CONC}: accepted in ${posted.toFixed(1)} s, all ACTIVE after ${single.toFixed(1)} s`,
);
const del2 = await deleteAll();
console.log(`delete of all ${SERVERS}: ${del2.toFixed(1)} s`);
await aio.stop();
rmSync(dir, { recursive: true, force: true });
