import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Unauthorized } from '../auth/types.ts';
import { silentLogger } from '../common/log.ts';
import { loadConfig } from '../config/index.ts';
import { createEnforcer } from '../policy/engine.ts';
import { startIdentityApi } from './http/app.ts';
import { IdentityUnavailable, keystoneValidator, v3Base } from './keystone-validator.ts';
import { hashSecret } from './passwords.ts';
import { IDENTITY_POLICY_DEFAULTS } from './policies/index.ts';
import * as assignments from './store/assignments.ts';
import * as projects from './store/projects.ts';
import * as roles from './store/roles.ts';
import * as users from './store/users.ts';
import { ADMIN_PASSWORD, passwordAuth, projectScope, type TestIdentity, testIdentity } from './testing.ts';

describe('keystoneValidator against a running identity API', () => {
  let ti: TestIdentity;
  let url: string;
  let stop: () => Promise<void>;
  let calls: string[];
  const counting: typeof fetch = async (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    return fetch(input, init);
  };

  before(async () => {
    ti = await testIdentity();
    const db = ti.svc.core.db;
    const now = ti.clock.now();
    const service = await projects.create(db, { name: 'service', domain_id: 'default' }, now);
    const nova = await users.create(
      db,
      { name: 'nova', domain_id: 'default', password_hash: await hashSecret('nova-pw') },
      now,
    );
    const role = await roles.findByName(db, 'service');
    await assignments.grant(db, {
      actor: 'user',
      actor_id: nova.id,
      target: 'project',
      target_id: service.id,
      role_id: role!.id,
    });
    const enforcer = createEnforcer({
      defaults: IDENTITY_POLICY_DEFAULTS,
      enforceScope: true,
      enforceNewDefaults: true,
    });
    const api = await startIdentityApi({
      identity: ti.svc,
      enforcer,
      log: silentLogger(),
      listen: '127.0.0.1',
      port: 0,
    });
    url = api.url;
    stop = api.stop;
  });
  after(async () => {
    await stop();
    await ti.cleanup();
  });

  const opts = (extra = {}) => ({
    auth_url: url,
    username: 'nova',
    password: 'nova-pw',
    user_domain_name: 'Default',
    project_name: 'service',
    project_domain_name: 'Default',
    token_cache_time: 300,
    ...extra,
  });

  const userToken = async () => {
    const r = await fetch(`${url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(passwordAuth('admin', ADMIN_PASSWORD, projectScope('admin'))),
    });
    assert.equal(r.status, 201);
    return r.headers.get('x-subject-token')!;
  };

  it('normalises auth_url to the /v3 base', () => {
    assert.equal(v3Base('http://h:5000'), 'http://h:5000/v3');
    assert.equal(v3Base('http://h:5000/v3/'), 'http://h:5000/v3');
  });

  it('accepts the [keystone_authtoken] group of a loaded nova.conf', () => {
    const { conf } = loadConfig({
      configFiles: [],
      useDefaultSearch: false,
      overrides: [{ group: 'keystone_authtoken', name: 'auth_url', value: 'http://127.0.0.1:1/v3' }],
    });
    assert.ok(keystoneValidator(conf.keystone_authtoken));
  });

  it('validates a user token with a service token, then serves it from the cache', async () => {
    calls = [];
    const v = keystoneValidator(opts(), { fetch: counting, clock: ti.clock });
    const tok = await userToken();
    const ctx = await v.validate(tok);
    assert.equal(ctx.user_name, 'admin');
    assert.equal(ctx.project_name, 'admin');
    assert.equal(ctx.project_domain_id, 'default');
    assert.deepEqual([...ctx.roles].sort(), ['admin', 'manager', 'member', 'reader']);
    assert.ok(Array.isArray(ctx.catalog) && ctx.catalog.length === 4);
    await v.validate(tok);
    assert.equal(calls.filter((c) => c.startsWith('POST')).length, 1, 'one service token');
    assert.equal(calls.filter((c) => c.startsWith('GET')).length, 1, 'second validation from the cache');
  });

  it('refuses invalid and revoked tokens with 401 (after the cache TTL)', async () => {
    const v = keystoneValidator(opts({ token_cache_time: 5 }), { clock: ti.clock });
    await assert.rejects(v.validate('garbage'), Unauthorized);
    const tok = await userToken();
    await v.validate(tok);
    const admin = await userToken();
    const del = await fetch(`${url}/v3/auth/tokens`, {
      method: 'DELETE',
      headers: { 'x-auth-token': admin, 'x-subject-token': tok },
    });
    assert.equal(del.status, 204);
    await v.validate(tok); // still cached
    ti.clock.advance(6000);
    await assert.rejects(v.validate(tok), Unauthorized);
  });

  it('renews the service token before it expires', async () => {
    calls = [];
    const v = keystoneValidator(opts({ token_cache_time: -1 }), { fetch: counting, clock: ti.clock });
    await v.validate(await userToken());
    ti.clock.advance(3550_000);
    await v.validate(await userToken());
    assert.equal(calls.filter((c) => c.startsWith('POST')).length, 2);
  });

  it('bad service credentials or an unreachable Keystone are 503, not 401', async () => {
    await assert.rejects(
      keystoneValidator(opts({ password: 'wrong' }), { clock: ti.clock }).validate('x'),
      IdentityUnavailable,
    );
    await assert.rejects(
      keystoneValidator(opts({ auth_url: 'http://127.0.0.1:1' }), { clock: ti.clock }).validate('x'),
      IdentityUnavailable,
    );
  });
});
