// An all-in-one started in this process for the move tests: throwaway state path, free loopback
// ports, N fake compute hosts on one fake hypervisor network, and small HTTP helpers (admin token,
// compute API at a microversion, placement allocations, polling a server until a status).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AllInOne, startAllInOne } from '../../../src/all-in-one/cloud.ts';
import { issueToken } from '../../../src/all-in-one/first-start.ts';
import { prepareStateDir } from '../../../src/all-in-one/state-dir.ts';
import { createLogger, silentLogger } from '../../../src/common/log.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { allInOnePortsConf } from '../free-ports.ts';

export interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test JSON
  readonly body: any;
  readonly headers: Headers;
}

export interface MoveCloud {
  readonly aio: AllInOne;
  readonly statePath: string;
  readonly hosts: readonly string[];
  readonly urls: { readonly compute: string; readonly placement: string; readonly image: string };
  /** The admin token the helpers use. */
  readonly token: string;
  /** A compute API request with the admin token at microversion `mv`. */
  api(method: string, path: string, body?: unknown, mv?: string): Promise<Answer>;
  /** POST /servers/{id}/action. */
  action(id: string, body: unknown, mv?: string): Promise<Answer>;
  /** GET /allocations/{consumer} from placement: resources by provider uuid. */
  allocations(consumer: string): Promise<Record<string, Record<string, number>>>;
  /** Provider uuid of a compute host's node. */
  providerOf(host: string): Promise<string>;
  image(method: string, path: string, body?: unknown): Promise<Answer>;
  /** The network service (/v2.0 paths). */
  network(method: string, path: string, body?: unknown): Promise<Answer>;
  // biome-ignore lint/suspicious/noExplicitAny: server body
  waitFor(id: string, ok: (s: any) => boolean, what: string, timeoutMs?: number): Promise<any>;
  /** Boots a server (flavor 1, the default image) and waits for ACTIVE. */
  // biome-ignore lint/suspicious/noExplicitAny: server body
  boot(name: string, extra?: Record<string, unknown>): Promise<any>;
  stop(): Promise<void>;
}

/** Kills any QEMU whose command line names a path under dir (guests outlive their compute). */
export function killGuestsUnder(dir: string): number[] {
  const killed: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('qemu-system') || !cmd.includes(dir)) continue;
    try {
      process.kill(Number(name), 'SIGKILL');
      killed.push(Number(name));
    } catch {}
  }
  return killed;
}

export async function startMoveCloud(
  opts: {
    fakeHosts?: number;
    conf?: string;
    fakeDriver?: Parameters<typeof startAllInOne>[0]['fakeDriver'];
    /** Run this many QEMU computes (real guests) instead of fake hosts. */
    qemuHosts?: number;
  } = {},
): Promise<MoveCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'novats-moves-'));
  const state = join(dir, 'state');
  const { confPath } = prepareStateDir(state);
  const extra = join(dir, 'extra.conf');
  writeFileSync(extra, `${await allInOnePortsConf('mv')}\n${opts.conf ?? ''}\n`);
  const loaded = loadConfig({
    configFiles: [confPath, extra],
    env: {},
    overrides: [
      { group: 'DEFAULT', name: 'state_path', value: state },
      { group: 'DEFAULT', name: 'compute_driver', value: opts.qemuHosts ? 'qemu' : 'fake.FakeDriver' },
    ],
  });
  const n = opts.qemuHosts ?? opts.fakeHosts ?? 3;
  const aio = await startAllInOne({
    conf: loaded.conf,
    log: process.env.NOVA_TS_TEST_LOG
      ? createLogger({ name: 'test', file: process.env.NOVA_TS_TEST_LOG, level: 'debug' })
      : silentLogger(),
    statePath: state,
    version: '0.0.0-test',
    configFiles: loaded.files,
    ...(opts.qemuHosts ? { computeHosts: n } : { fakeHosts: n }),
    ...(opts.fakeDriver ? { fakeDriver: opts.fakeDriver } : {}),
  });
  const ep = (prefix: string) => aio.roles.find((r) => r.role.startsWith(prefix))?.endpoint ?? '';
  const urls = {
    compute: ep('nova-api'),
    placement: ep('placement'),
    image: ep('image').replace(/\/v2$/, ''),
    identity: ep('identity').replace(/\/v3$/, ''),
  };
  const cred = aio.firstStart.credentials;
  if (!cred) throw new Error('no bootstrap credentials');
  const tok = await issueToken(urls.identity, cred.username, cred.password, cred.projectName);
  const req = async (
    url: string,
    method: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Answer> => {
    const res = await fetch(url, {
      method,
      headers: {
        'x-auth-token': tok,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const api = (method: string, path: string, body?: unknown, mv = 'latest') =>
    req(`${urls.compute}${path}`, method, body, { 'openstack-api-version': `compute ${mv}` });
  const hostNames = n === 1 && opts.qemuHosts ? ['mv'] : Array.from({ length: n }, (_, i) => `mv-${i + 1}`);
  const c: MoveCloud = {
    aio,
    statePath: state,
    hosts: hostNames,
    urls,
    token: tok,
    api,
    action: (id, body, mv) => api('POST', `/servers/${id}/action`, body, mv),
    async allocations(consumer) {
      const a = await req(`${urls.placement}/allocations/${consumer}`, 'GET', undefined, {
        'openstack-api-version': 'placement 1.28',
      });
      const out: Record<string, Record<string, number>> = {};
      for (const [rp, v] of Object.entries(a.body.allocations ?? {}))
        out[rp] = (v as { resources: Record<string, number> }).resources;
      return out;
    },
    async providerOf(host) {
      const a = await api('GET', `/os-hypervisors/detail`);
      const h = a.body.hypervisors.find((x: { service: { host: string } }) => x.service.host === host);
      return h.id;
    },
    image: (method, path, body) => req(`${urls.image}${path}`, method, body, {}),
    network: (method, path, body) =>
      req(`${ep('network').replace(/\/v2\.0$/, '')}/v2.0${path}`, method, body, {}),
    async waitFor(id, ok, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        const r = await api('GET', `/servers/${id}`);
        last = r.body?.server ?? r.body;
        if (r.status === 200 && ok(r.body.server)) return r.body.server;
        if (Date.now() > deadline)
          throw new Error(`server ${id} never got ${what}; last: ${JSON.stringify(last)}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
    async boot(name, extra = {}) {
      const images = await req(`${urls.image}/v2/images`, 'GET', undefined, {});
      const imageRef = (
        images.body.images.find((i: { name: string }) => i.name === 'nova-ts-tiny') ?? images.body.images[0]
      ).id;
      const r = await api('POST', '/servers', {
        server: { name, flavorRef: '1', imageRef, networks: 'none', ...extra },
      });
      if (r.status !== 202) throw new Error(`boot: ${r.status} ${JSON.stringify(r.body)}`);
      return c.waitFor(r.body.server.id, (s) => s.status === 'ACTIVE', 'ACTIVE');
    },
    async stop() {
      await aio.dataplane?.teardown();
      await aio.stop();
      killGuestsUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return c;
}
