// The `openstack` CLI (Debian's python3-openstackclient) against the embedded identity service on
// 127.0.0.1. Skips when the CLI is not installed.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ManualClock } from '../common/clock.ts';
import { silentLogger } from '../common/log.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { IdentityDb } from '../db/tables/identity-db.ts';
import { createEnforcer } from '../policy/engine.ts';
import { bootstrap, defaultCatalog } from './bootstrap.ts';
import { writeClientConfig } from './client-config.ts';
import { type RunningApi, startIdentityApi } from './http/app.ts';
import { IDENTITY_POLICY_DEFAULTS } from './policies/index.ts';
import { createIdentityService, type IdentityService } from './service.ts';
import { KeyRepository, setupKeys } from './tokens/key-repository.ts';

const run = promisify(execFile);

function haveOpenstack(): boolean {
  try {
    execFileSync('openstack', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

const skip = haveOpenstack()
  ? false
  : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

describe('openstack CLI against the embedded identity service', { skip }, () => {
  let dir: string;
  let svc: IdentityService;
  let api: RunningApi;
  let url: string;
  const clock = new ManualClock(Date.now());
  let env: NodeJS.ProcessEnv;

  const os = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const r = await run('openstack', args, { env: { ...env, ...extraEnv }, timeout: 90_000 });
    return r.stdout;
  };
  const osJson = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    JSON.parse(await os([...args, '-f', 'json'], extraEnv));
  const osFails = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    try {
      await run('openstack', args, { env: { ...env, ...extraEnv }, timeout: 90_000 });
    } catch (err) {
      return String((err as { stderr?: string }).stderr);
    }
    assert.fail(`openstack ${args.join(' ')} should have failed`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'novats-oscli-'));
    setupKeys(join(dir, 'fernet-keys'));
    const db = await connectDatabase<IdentityDb>(`sqlite:///${join(dir, 'identity.sqlite')}`);
    await migrateToLatest(db, 'identity');
    svc = createIdentityService({
      db,
      keys: new KeyRepository(join(dir, 'fernet-keys')),
      clock,
      log: silentLogger(),
      tokenExpiration: 3600,
    });
    const enforcer = createEnforcer({
      defaults: IDENTITY_POLICY_DEFAULTS,
      enforceScope: true,
      enforceNewDefaults: true,
    });
    api = await startIdentityApi({
      identity: svc,
      enforcer,
      log: silentLogger(),
      listen: '127.0.0.1',
      port: 0,
    });
    url = `${api.url}/v3`;
    await bootstrap(
      db,
      { password: 'admin-pw', catalog: defaultCatalog({ public: url, internal: url, admin: url }) },
      clock.now(),
    );
    const files = writeClientConfig(dir, {
      authUrl: url,
      username: 'admin',
      password: 'admin-pw',
      projectName: 'admin',
    });
    env = { PATH: process.env.PATH, HOME: dir, OS_CLIENT_CONFIG_FILE: files.cloudsYaml, OS_CLOUD: 'nova-ts' };
  });
  after(async () => {
    await api?.stop();
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('token issue, catalog list', async () => {
    const tok = await osJson(['token', 'issue']);
    assert.match(tok.id, /^gAAAAA/);
    const cat = await osJson(['catalog', 'list']);
    assert.deepEqual(cat.map((c: { Type: string }) => c.Type).sort(), [
      'compute',
      'identity',
      'image',
      'placement',
    ]);
  });

  it('project create, user create --password, role add, role assignment list --names', async () => {
    const p = await osJson(['project', 'create', 'demo']);
    assert.equal(p.name, 'demo');
    const u = await osJson(['user', 'create', '--password', 'demo-pw', 'demo']);
    assert.equal(u.name, 'demo');
    await os(['role', 'add', '--project', 'demo', '--user', 'demo', 'member']);
    const list = await osJson(['role', 'assignment', 'list', '--names']);
    assert.ok(
      list.some(
        (a: Record<string, string>) =>
          a.Role === 'member' && a.User === 'demo@Default' && a.Project === 'demo@Default',
      ),
    );
    const demo = await osJson(['token', 'issue'], { OS_CLOUD: '', ...userEnv('demo', 'demo-pw', 'demo') });
    assert.equal(demo.project_id, p.id);
  });

  const userEnv = (user: string, password: string, project: string) => ({
    OS_AUTH_URL: url,
    OS_USERNAME: user,
    OS_PASSWORD: password,
    OS_PROJECT_NAME: project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
  });

  it('a user without a role on a project is refused', async () => {
    const err = await osFails(['token', 'issue'], { OS_CLOUD: '', ...userEnv('demo', 'demo-pw', 'admin') });
    assert.match(err, /HTTP 401/);
    const denied = await osFails(['user', 'list'], { OS_CLOUD: '', ...userEnv('demo', 'demo-pw', 'demo') });
    assert.match(denied, /HTTP 403/);
  });

  it('service create, endpoint create', async () => {
    const s = await osJson(['service', 'create', '--name', 'nova2', 'compute2']);
    assert.equal(s.type, 'compute2');
    const e = await osJson([
      'endpoint',
      'create',
      '--region',
      'RegionOne',
      'compute2',
      'public',
      'http://127.0.0.1:9999/v2.1',
    ]);
    assert.equal(e.service_name, 'nova2');
    assert.equal(e.region, 'RegionOne');
  });

  it('application credential create, then authenticate with it', async () => {
    const ac = await osJson(['application', 'credential', 'create', 'ci']);
    assert.ok(ac.secret);
    const tok = await osJson(['token', 'issue'], {
      OS_CLOUD: '',
      OS_AUTH_URL: url,
      OS_AUTH_TYPE: 'v3applicationcredential',
      OS_APPLICATION_CREDENTIAL_ID: ac.id,
      OS_APPLICATION_CREDENTIAL_SECRET: ac.secret,
      OS_IDENTITY_API_VERSION: '3',
    });
    assert.equal(tok.project_id, ac.project_id);
  });

  it('a revoked or expired token gets 401', async () => {
    const a = (await osJson(['token', 'issue'])).id;
    const b = (await osJson(['token', 'issue'])).id;
    await os(['token', 'revoke', a]);
    const get = (tok: string) => fetch(`${url}/auth/catalog`, { headers: { 'x-auth-token': tok } });
    assert.equal((await get(a)).status, 401);
    assert.equal((await get(b)).status, 200);
    clock.advance(3601_000);
    const expired = await get(b);
    assert.equal(expired.status, 401);
    assert.deepEqual(await expired.json(), {
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
  });
});
