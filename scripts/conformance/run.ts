// `npm run conformance [-- --driver fake|qemu] [--regex R] [--identity-regex R|''] [--keep]`: Tempest
// and the identity/image figure (skipped with an empty --identity-regex) against a throwaway
// all-in-one on 127.0.0.1, printed per module. Installs Tempest and the
// OpenStack clients from Debian when missing (needs root).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allInOnePortsConf } from '../../test/functional/free-ports.ts';
import { killGuestsUnder } from '../../test/functional/moves/cloud.ts';
import { formatResults, parseSubunitCsv, type Results } from './results.ts';
import { tempestConf } from './tempest-conf.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PACKAGES = ['tempest', 'python3-openstackclient', 'python3-novaclient', 'python3-osc-placement'];

interface Args {
  driver: string;
  regex: string;
  identityRegex: string;
  keep: boolean;
  concurrency: number;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = {
    driver: 'fake',
    regex: '^tempest\\.api\\.compute',
    identityRegex: '^tempest\\.api\\.(identity|image)',
    keep: false,
    concurrency: 2,
  };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--driver') a.driver = argv[++i];
    else if (v === '--regex') a.regex = argv[++i];
    else if (v === '--identity-regex') a.identityRegex = argv[++i];
    else if (v === '--keep') a.keep = true;
    else if (v === '--concurrency') a.concurrency = Number(argv[++i]);
    else throw new Error(`unknown argument ${v}`);
  }
  return a;
}

function ensurePackages(): void {
  // dpkg-query's own format placeholder, not a template string.
  const format = ['-f=$', '{Status}'].join('');
  const missing = PACKAGES.filter(
    (p) => spawnSync('dpkg-query', ['-W', format, p]).stdout?.toString() !== 'install ok installed',
  );
  if (missing.length === 0) return;
  console.log(`installing ${missing.join(' ')} from Debian`);
  const r = spawnSync(
    'sh',
    [
      '-c',
      `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`,
    ],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0)
    throw new Error('apt-get install failed; install the packages by hand (as root) and retry');
}

function startCloud(
  state: string,
  driver: string,
  portsConf: string,
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'src/cmd/main.ts'),
      'all-in-one',
      '--state-path',
      state,
      '--compute-driver',
      driver,
      // As the reference run: four compute hosts (fake ones share one hypervisor network).
      ...(driver === 'fake' ? ['--fake-hosts', '4'] : ['--remove-data-plane-on-exit']),
      '--config-file',
      portsConf,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (/^nova-ts ready$/m.test(out)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) =>
      reject(new Error(`the all-in-one exited (${code}) before it was ready:\n${out}`)),
    );
  });
  return { child, ready };
}

function openstack(env: NodeJS.ProcessEnv, ...args: string[]): string {
  return openstackValue(env, 'id', ...args);
}

function openstackValue(env: NodeJS.ProcessEnv, column: string, ...args: string[]): string {
  const r = spawnSync('openstack', [...args, '-f', 'value', '-c', column], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openstack ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Real guests need images that boot and print on the serial console (Tempest reads it): the
 * all-in-one's tiny guest, and a copy of it (same kernel and ramdisk) as the alternative image.
 */
function tinyImages(env: NodeJS.ProcessEnv, work: string): { imageRef: string; imageRefAlt: string } {
  const tiny = openstack(env, 'image', 'show', 'nova-ts-tiny');
  const shown = spawnSync('openstack', ['image', 'show', '-f', 'json', tiny], { env, encoding: 'utf8' });
  if (shown.status !== 0) throw new Error(`openstack image show failed: ${shown.stderr}`);
  const props = (JSON.parse(shown.stdout) as { properties?: Record<string, string> }).properties ?? {};
  const file = join(work, 'tiny.ami');
  const r = spawnSync('openstack', ['image', 'save', '--file', file, tiny], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openstack image save failed: ${r.stderr}`);
  const alt = openstack(
    env,
    'image',
    'create',
    '--disk-format',
    'ami',
    '--container-format',
    'ami',
    '--public',
    '--property',
    `kernel_id=${props.kernel_id}`,
    '--property',
    `ramdisk_id=${props.ramdisk_id}`,
    '--file',
    file,
    'nova-ts-tiny-alt',
  );
  return { imageRef: tiny, imageRefAlt: alt };
}

/** The external network floating IPs and the test projects' router gateways come from. */
function createPublicNetwork(env: NodeJS.ProcessEnv, name: string): string {
  // The default external network, as devstack makes it: auto-allocated topologies (networks: auto) use it.
  const id = openstack(env, 'network', 'create', '--external', '--default', name);
  openstack(
    env,
    'subnet',
    'create',
    '--network',
    id,
    '--subnet-range',
    '203.0.113.0/24',
    '--gateway',
    '203.0.113.1',
    '--no-dhcp',
    '--allocation-pool',
    'start=203.0.113.10,end=203.0.113.250',
    `${name}-subnet`,
  );
  return id;
}

/** Reads the admin password and auth URL from the clouds.yaml the all-in-one wrote. */
function adminFromCloudsYaml(state: string): {
  authUrl: string;
  password: string;
  username: string;
  project: string;
} {
  const text = readFileSync(join(state, 'clouds.yaml'), 'utf8');
  const get = (k: string) => new RegExp(`^\\s*${k}:\\s*['"]?([^'"\\n]+)`, 'm').exec(text)?.[1] ?? '';
  return {
    authUrl: get('auth_url'),
    password: get('password'),
    username: get('username'),
    project: get('project_name'),
  };
}

function runTempest(ws: string, regex: string, concurrency: number): Results {
  spawnSync('tempest', ['run', '--regex', regex, '--concurrency', String(concurrency)], {
    cwd: ws,
    stdio: 'inherit',
  });
  // The subunit stream carries every traceback: far more than spawnSync's default 1 MiB.
  const maxBuffer = 1024 ** 3;
  const subunit = spawnSync('stestr', ['last', '--subunit'], { cwd: ws, maxBuffer });
  const csv = spawnSync('subunit2csv', [], { input: subunit.stdout, encoding: 'utf8', maxBuffer });
  return parseSubunitCsv(csv.stdout);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  ensurePackages();
  const work = mkdtempSync(join(tmpdir(), 'novats-conformance-'));
  const state = join(work, 'state');
  // Free ports: a cloud already running on the standard ones is left alone.
  const portsConf = join(work, 'ports.conf');
  // One QEMU compute: resizes stay on it (devstack's single-node setting), as Tempest expects.
  const sameHost = args.driver === 'qemu' ? '[DEFAULT]\nallow_resize_to_same_host = true\n' : '';
  writeFileSync(portsConf, `${await allInOnePortsConf('conformance')}${sameHost}`);
  const cloud = startCloud(state, args.driver, portsConf);
  try {
    await cloud.ready;
    const admin = adminFromCloudsYaml(state);
    const env = { ...process.env, OS_CLIENT_CONFIG_FILE: join(state, 'clouds.yaml'), OS_CLOUD: 'nova-ts' };
    const disk = join(work, 'disk.raw');
    writeFileSync(disk, Buffer.alloc(1024 * 1024));
    const img = (name: string) =>
      openstack(
        env,
        'image',
        'create',
        '--disk-format',
        'raw',
        '--container-format',
        'bare',
        '--public',
        '--file',
        disk,
        name,
      );
    const flavor = (name: string, ram: string) =>
      openstack(env, 'flavor', 'create', '--ram', ram, '--disk', '1', '--vcpus', '1', name);
    const ws = join(work, 'tempest');
    spawnSync('tempest', ['init', ws], { stdio: 'ignore' });
    mkdirSync(join(ws, 'etc'), { recursive: true });
    writeFileSync(
      join(ws, 'etc', 'tempest.conf'),
      tempestConf({
        authUrl: admin.authUrl,
        region: 'RegionOne',
        adminUser: admin.username,
        adminPassword: admin.password,
        adminProject: admin.project,
        ...(args.driver === 'qemu'
          ? tinyImages(env, work)
          : { imageRef: img('conformance-image'), imageRefAlt: img('conformance-image-alt') }),
        flavorRef: flavor('conformance.nano', '128'),
        flavorRefAlt: flavor('conformance.micro', '192'),
        maxMicroversion: 'latest',
        logDir: join(ws, 'logs'),
        lockPath: join(ws, 'lock'),
        driver: args.driver,
        publicNetworkId: createPublicNetwork(env, 'public'),
        publicNetworkName: 'public',
        networkExtensions: openstackValue(env, 'Alias', 'extension', 'list', '--network').split('\n'),
      }),
    );
    const compute = runTempest(ws, args.regex, args.concurrency);
    console.log(`\n== Tempest ${args.regex} (driver ${args.driver})\n${formatResults(compute)}`);
    const embedded = args.identityRegex ? runTempest(ws, args.identityRegex, args.concurrency) : undefined;
    if (embedded)
      console.log(
        `\n== Tempest ${args.identityRegex} (the embedded identity and image services)\n${formatResults(embedded)}`,
      );
    writeFileSync(join(work, 'results.json'), JSON.stringify({ compute, embedded }, null, 2));
    console.log(`\nresults: ${join(work, 'results.json')}`);
  } finally {
    if (cloud.child.exitCode === null && cloud.child.signalCode === null) {
      const exited = new Promise((r) => cloud.child.once('exit', r));
      cloud.child.kill('SIGTERM');
      await exited;
    }
    // Real guests outlive their compute (restart-safe): a throwaway cloud's go with it.
    killGuestsUnder(work);
    if (!args.keep && existsSync(work)) rmSync(join(work, 'state'), { recursive: true, force: true });
  }
}

await main();
