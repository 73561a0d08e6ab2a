// Seed 003's deployment on loopback for functional tests: every role its own OS process over
// rabbit:// and MariaDB — placement, an image service, nova-conductor, nova-scheduler, nova-api
// and N nova-computes (fake driver; their nova.conf has no database) — after the operator's
// nova-manage sequence, with every compute discovered. Daemons can be killed and started again.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/common/log.ts';
import { createDatabaseIfMissing, dropDatabaseIfExists, withDatabaseName } from '../../src/db/index.ts';
import { ensureDefaultImage } from '../../src/image/tiny/default-image.ts';
import { ImageClient } from '../../src/image-client/client.ts';
import { type DaemonProcess, startDaemon } from './daemon-process.ts';
import { freePorts } from './free-ports.ts';
import { runCli } from './run-cli.ts';

export interface Seed003 {
  readonly dir: string;
  /** The network service's URL (with `network: true`). */
  readonly network: string;
  readonly api: string;
  readonly image: string;
  readonly placement: string;
  readonly daemons: Map<string, DaemonProcess>;
  manage(...args: string[]): ReturnType<typeof runCli>;
  /** Starts (again) a role: conductor, scheduler, api, placement, image, compute1 … computeN. */
  start(role: string): Promise<DaemonProcess>;
  teardown(): Promise<void>;
}

const READY: Record<string, RegExp> = {
  conductor: /nova-conductor started/,
  scheduler: /nova-scheduler started/,
  placement: /Placement API listening/,
  image: /listening/i,
  api: /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
  network: /network API listening/,
};

export interface Seed003Options {
  /** [DEFAULT] compute_driver everywhere (default fake.FakeDriver). */
  readonly computeDriver?: string;
  /** Lines added to every nova.conf (e.g. a [libvirt] section). */
  readonly common?: readonly string[];
  /** Lines added to one compute's nova.conf (its instances_path under `dir`, say). */
  readonly computeConf?: (host: string, dir: string) => readonly string[];
  /**
   * Also the network service (`nova-ts network serve`, role `network`, telling Nova through
   * [nova]) and, per compute, its data plane agent (`nova-ts network agent`, role
   * `agent-<host>`; needs root). Computes and agents reach it through [neutron].
   */
  readonly network?: boolean;
}

export async function startSeed003(
  mysql: string,
  rabbit: string,
  computes = 2,
  opts: Seed003Options = {},
): Promise<Seed003> {
  const dir = mkdtempSync(join(tmpdir(), 'novats-s003-'));
  const tag = randomBytes(4).toString('hex');
  const db = (n: string) => withDatabaseName(mysql, `novats_s3_${tag}_${n}`);
  const urls = [db('api'), db('cell'), db('cell_cell0'), db('placement')];
  for (const u of urls) await createDatabaseIfMissing(u);
  const [placementPort, imagePort, apiPort, networkPort] = await freePorts(4);
  const placement = `http://127.0.0.1:${placementPort}`;
  const image = `http://127.0.0.1:${imagePort}`;
  const common = [
    `transport_url = ${rabbit}`,
    `control_exchange = nova-s3-${tag}`,
    'report_interval = 1',
    'periodic_interval = 1',
    'rpc_response_timeout = 10',
    'osapi_compute_listen = 127.0.0.1',
    `osapi_compute_listen_port = ${apiPort}`,
    'metadata_listen = 127.0.0.1',
    'metadata_listen_port = 0',
    `state_path = ${dir}`,
    `compute_driver = ${opts.computeDriver ?? 'fake.FakeDriver'}`,
    '[placement]',
    'auth_type = noauth',
    `endpoint_override = ${placement}`,
    '[glance]',
    `api_servers = ${image}`,
    ...(opts.network
      ? [
          '[neutron]',
          'auth_type = noauth',
          `endpoint_override = http://127.0.0.1:${networkPort}`,
          '[nova]',
          'auth_type = noauth',
          `endpoint_override = http://127.0.0.1:${apiPort}`,
        ]
      : []),
    ...(opts.common ?? []),
  ];
  const conf = (name: string, host: string, extra: readonly string[] = []) => {
    const p = join(dir, `${name}.conf`);
    writeFileSync(p, ['[DEFAULT]', `host = ${host}`, ...common, ...extra, ''].join('\n'));
    return p;
  };
  const controller = conf('controller', 'controller', [
    '[api]',
    'auth_strategy = noauth2',
    '[api_database]',
    `connection = ${urls[0]}`,
    '[database]',
    `connection = ${urls[1]}`,
    '[placement_database]',
    `connection = ${urls[3]}`,
    '[placement_api]',
    'listen = 127.0.0.1',
    `port = ${placementPort}`,
    '[image]',
    'listen = 127.0.0.1',
    `port = ${imagePort}`,
    `connection = sqlite:///${dir}/image.sqlite`,
    '[network_service]',
    'listen = 127.0.0.1',
    `port = ${networkPort}`,
    '[network_database]',
    `connection = sqlite:///${dir}/network.sqlite`,
  ]);
  const computeConfs = new Map<string, string>();
  for (let i = 1; i <= computes; i++)
    computeConfs.set(
      `compute${i}`,
      conf(`compute${i}`, `compute${i}`, opts.computeConf?.(`compute${i}`, dir)),
    );
  const manage = (...a: string[]) => runCli('nova-manage', ['--config-file', controller, ...a]);
  for (const step of [
    ['api_db', 'sync'],
    ['cell_v2', 'map_cell0'],
    ['cell_v2', 'create_cell', '--name=cell1'],
    ['db', 'sync'],
  ]) {
    const r = await manage(...step);
    assert.equal(r.code, 0, `${step.join(' ')}: ${r.stdout}${r.stderr}`);
  }
  const daemons = new Map<string, DaemonProcess>();
  const start = async (role: string) => {
    const computeConf = computeConfs.get(role);
    const agentConf = computeConfs.get(role.replace(/^agent-/, ''));
    if (role.startsWith('agent-') && agentConf) {
      const a = startDaemon('nova-ts', ['network', 'agent', '--config-file', agentConf]);
      daemons.set(role, a);
      await a.waitFor(/network agent started/);
      return a;
    }
    const d = computeConf
      ? startDaemon('nova-compute', ['--config-file', computeConf])
      : role === 'network'
        ? startDaemon('nova-ts', ['network', 'serve', '--config-file', controller])
        : role === 'placement'
          ? startDaemon('nova-ts', ['placement', '--config-file', controller])
          : role === 'image'
            ? startDaemon('nova-ts', ['image', 'serve', '--config-file', controller])
            : startDaemon(`nova-${role}`, ['--config-file', controller]);
    daemons.set(role, d);
    await d.waitFor(computeConf ? /nova-compute started/ : READY[role]);
    return d;
  };
  const network = opts.network ? ['network'] : [];
  const agents = opts.network ? [...computeConfs.keys()].map((h) => `agent-${h}`) : [];
  for (const role of [
    'placement',
    'image',
    ...network,
    'conductor',
    'scheduler',
    'api',
    ...computeConfs.keys(),
    ...agents,
  ])
    await start(role);
  let mapped = '';
  for (let i = 0; i < 100 && [...computeConfs.keys()].some((h) => !mapped.includes(`'${h}'`)); i++) {
    mapped += (await manage('cell_v2', 'discover_hosts', '--verbose')).stdout;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    dir,
    network: `http://127.0.0.1:${networkPort}`,
    api: `http://127.0.0.1:${apiPort}`,
    image,
    placement,
    daemons,
    manage,
    start,
    async teardown() {
      for (const d of daemons.values()) await d.stop('SIGKILL').catch(() => {});
      for (const u of urls) await dropDatabaseIfExists(u).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For real guests: the tiny guest registered in the deployment's image service and flavor `qn`
 * (128 MiB, 1 VCPU, 1 GB), through the noauth2 admin token; returns the image id.
 */
export async function tinyGuestAndFlavor(s: Seed003): Promise<string> {
  const { image } = await ensureDefaultImage({
    client: new ImageClient({ endpoints: [s.image], token: 'admin:admin' }),
    outputDir: join(s.dir, 'tiny'),
    version: '0.0.0-test',
    log: silentLogger(),
  });
  const f = await fetch(`${s.api}/v2.1/flavors`, {
    method: 'POST',
    headers: { 'x-auth-token': 'admin:admin', 'content-type': 'application/json' },
    body: JSON.stringify({ flavor: { name: 'q.nano', ram: 128, vcpus: 1, disk: 1, id: 'qn' } }),
  });
  assert.equal(f.status, 200, await f.text());
  return image.id;
}
