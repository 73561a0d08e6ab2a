// `npm test`: finds the external services the integration tests need, then runs node --test.
// In CI (CI=true) MySQL, PostgreSQL and RabbitMQ must be reachable: a service that is down is
// started, and one that still does not answer fails the run loudly. Elsewhere a missing service
// is skipped with one line saying so.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';

interface ExternalService {
  readonly name: string;
  readonly env: string;
  readonly url: string;
  readonly port: number;
  readonly start: readonly string[];
}

const SERVICES: readonly ExternalService[] = [
  {
    name: 'MariaDB/MySQL',
    env: 'NOVA_TS_TEST_MYSQL_URL',
    url: 'mysql+pymysql://root@127.0.0.1:3306/',
    port: 3306,
    start: ['start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd'],
  },
  {
    name: 'PostgreSQL',
    env: 'NOVA_TS_TEST_PG_URL',
    url: 'postgresql://postgres@127.0.0.1:5432/postgres',
    port: 5432,
    start: ['pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'],
  },
  {
    name: 'RabbitMQ',
    env: 'NOVA_TS_TEST_RABBIT_URL',
    url: 'rabbit://guest:guest@127.0.0.1:5672/',
    port: 5672,
    start: ['rabbitmq-server -detached'],
  },
];

function reachable(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function waitFor(port: number, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 2; i++) {
    if (await reachable(port)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function prepare(svc: ExternalService, ci: boolean): Promise<boolean> {
  if (process.env[svc.env] === 'skip') return false;
  if (process.env[svc.env]) return true;
  if (await reachable(svc.port)) {
    process.env[svc.env] = svc.url;
    return true;
  }
  if (!ci) return false;
  console.log(`${svc.name} is down on 127.0.0.1:${svc.port}; starting it`);
  for (const cmd of svc.start) spawnSync('sh', ['-c', cmd], { stdio: 'inherit' });
  if (await waitFor(svc.port, 60)) {
    process.env[svc.env] = svc.url;
    return true;
  }
  console.error(
    `FATAL: ${svc.name} is not reachable on 127.0.0.1:${svc.port} after starting it; CI needs it.`,
  );
  process.exit(1);
}

function testFiles(args: string[]): string[] {
  if (args.length > 0) return args;
  return ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'].filter((glob) => {
    const dir = glob.split('/')[0];
    try {
      return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
    } catch {
      return false;
    }
  });
}

const ci = process.env.CI === 'true' || process.env.CI === '1';
const skipped: string[] = [];
for (const svc of SERVICES) if (!(await prepare(svc, ci))) skipped.push(svc.name);
if (skipped.length > 0) {
  console.log(`skipping the ${skipped.join(', ')} tests: not reachable on 127.0.0.1 (CI=true starts them).`);
}

const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=2', ...testFiles(process.argv.slice(2))],
  {
    stdio: 'inherit',
    env: process.env,
  },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
