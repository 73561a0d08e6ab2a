// The auth hook + keystoneValidator against a REAL Keystone (Debian's python3-keystone), started by
// scripts/keystone-interop.sh on 127.0.0.1. Outside the default run: NOVA_TS_KEYSTONE_INTEROP=1.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createHttpApp } from '../api/http.ts';
import { registerAuthHook } from '../auth/hook.ts';
import { Unauthorized } from '../auth/types.ts';
import { silentLogger } from '../common/log.ts';
import { keystoneValidator } from './keystone-validator.ts';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '../../scripts/keystone-interop.sh');
const skip =
  process.env.NOVA_TS_KEYSTONE_INTEROP === '1'
    ? false
    : 'set NOVA_TS_KEYSTONE_INTEROP=1 to run against a real Keystone';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('interop with a real Keystone', { skip, timeout: 300_000 }, () => {
  let dir: string;
  let url: string;
  let admin: string;

  type Json = Record<string, Record<string, unknown> & { id: string }> & { roles: { id: string }[] };
  const json = async (r: Promise<Response>): Promise<Json> => (await r).json() as Promise<Json>;
  const ks = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(admin ? { 'x-auth-token': admin } : {}),
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const login = async (user: string, password: string, project: string) => {
    const r = await fetch(`${url}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: user, domain: { id: 'default' }, password } },
          },
          scope: { project: { name: project, domain: { id: 'default' } } },
        },
      }),
    });
    assert.equal(r.status, 201, await r.clone().text());
    return r.headers.get('x-subject-token')!;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'novats-keystone-'));
    const port = await freePort();
    const out = await run('sh', [SCRIPT, 'start', dir, String(port), 'ks-admin-pw'], { timeout: 240_000 });
    url = out.stdout.trim();
    admin = await login('admin', 'ks-admin-pw', 'admin');
    // The service user nova-ts validates tokens with, as the install guides make it (admin role on
    // the service project). Creating a new role on this Keystone with SQLite fails with "database
    // is locked" (it opens a second write session), so the test uses the bootstrap role.
    const project = (
      await json(ks('POST', '/projects', { project: { name: 'service', domain_id: 'default' } }))
    ).project;
    const user = (
      await json(ks('POST', '/users', { user: { name: 'nova', password: 'nova-pw', domain_id: 'default' } }))
    ).user;
    const role = (await json(ks('GET', '/roles?name=admin'))).roles[0];
    assert.equal((await ks('PUT', `/projects/${project.id}/users/${user.id}/roles/${role.id}`)).status, 204);
  });
  after(async () => {
    if (dir) {
      await run('sh', [SCRIPT, 'stop', dir]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const authtoken = (extra = {}) => ({
    auth_url: url,
    www_authenticate_uri: url,
    username: 'nova',
    password: 'nova-pw',
    user_domain_name: 'Default',
    project_name: 'service',
    project_domain_name: 'Default',
    token_cache_time: -1,
    ...extra,
  });

  it('keystoneValidator turns a Keystone token into an AuthContext', async () => {
    const v = keystoneValidator(authtoken());
    const ctx = await v.validate(admin);
    assert.equal(ctx.user_name, 'admin');
    assert.equal(ctx.project_name, 'admin');
    assert.equal(ctx.project_domain_id, 'default');
    assert.ok(ctx.roles.includes('admin') && ctx.roles.includes('reader'));
    assert.ok(Array.isArray(ctx.catalog) && ctx.catalog.length >= 1);
    await assert.rejects(v.validate('not-a-token'), Unauthorized);
  });

  it('the auth hook accepts Keystone tokens, refuses bad and revoked ones with 401 + WWW-Authenticate', async () => {
    const app = createHttpApp({ log: silentLogger() });
    registerAuthHook(app, { validator: keystoneValidator(authtoken()), wwwAuthenticateUri: url });
    app.setErrorHandler((err: Error & { status?: number }, _req, reply) =>
      reply.status(err.status ?? 500).send({ message: err.message }),
    );
    app.get('/whoami', async (req) => ({
      user: req.auth.user_name,
      project: req.auth.project_name,
      roles: req.auth.roles,
    }));
    const user = await login('admin', 'ks-admin-pw', 'admin');
    const ok = await app.inject({ url: '/whoami', headers: { 'x-auth-token': user } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().project, 'admin');
    const bad = await app.inject({ url: '/whoami', headers: { 'x-auth-token': 'gAAAAAbogus' } });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.headers['www-authenticate'], `Keystone uri="${url}"`);
    assert.equal((await ks('DELETE', '/auth/tokens', undefined, { 'x-subject-token': user })).status, 204);
    const revoked = await app.inject({ url: '/whoami', headers: { 'x-auth-token': user } });
    assert.equal(revoked.statusCode, 401);
    await app.close();
  });
});
