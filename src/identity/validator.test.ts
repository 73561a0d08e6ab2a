import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHttpApp } from '../api/http.ts';
import { registerAuthHook } from '../auth/hook.ts';
import { Unauthorized } from '../auth/types.ts';
import { silentLogger } from '../common/log.ts';
import { embeddedValidator } from './service.ts';
import * as assignments from './store/assignments.ts';
import { type TestApp, testApp } from './testing.ts';

describe('embeddedValidator', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.cleanup());

  it('turns a token into an AuthContext with implied roles and the catalog', async () => {
    const v = embeddedValidator(t.svc);
    const ctx = await v.validate(await t.token());
    assert.equal(ctx.user_name, 'admin');
    assert.equal(ctx.user_domain_id, 'default');
    assert.equal(ctx.project_name, 'admin');
    assert.equal(ctx.project_domain_name, 'Default');
    assert.deepEqual([...ctx.roles].sort(), ['admin', 'manager', 'member', 'reader']);
    assert.equal(ctx.is_admin_project, true);
    assert.equal(ctx.catalog?.length, 4);
    assert.equal(ctx.audit_ids?.length, 1);
    const sys = await v.validate(await t.token('admin', undefined, { system: { all: true } }));
    assert.equal(sys.system_scope, 'all');
    assert.equal(sys.project_id, undefined);
    await assert.rejects(v.validate('nope'), Unauthorized);
  });

  it('sees a role removal at once (the identity API drops its caches on writes)', async () => {
    const v = embeddedValidator(t.svc, { includeCatalog: false });
    const tok = await t.token();
    await v.validate(tok);
    const all = await assignments.list(t.svc.core.db, { target: 'project' });
    await assignments.revoke(t.svc.core.db, all[0]);
    t.svc.core.changed();
    await assert.rejects(v.validate(tok), Unauthorized);
    await assignments.grant(t.svc.core.db, all[0]);
    t.svc.core.changed();
    await v.validate(tok);
  });

  it('plugs into registerAuthHook: 401 with WWW-Authenticate, then the caller on req.auth', async () => {
    const app = createHttpApp({ log: silentLogger() });
    registerAuthHook(app, {
      validator: embeddedValidator(t.svc),
      wwwAuthenticateUri: 'http://127.0.0.1:5000',
    });
    app.setErrorHandler((err: Error & { status?: number }, _req, reply) =>
      reply.status(err.status ?? 500).send({ m: err.message }),
    );
    app.get('/who', async (req) => ({ user: req.auth.user_name, roles: req.auth.roles }));
    const none = await app.inject({ url: '/who' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.headers['www-authenticate'], 'Keystone uri="http://127.0.0.1:5000"');
    const ok = await app.inject({ url: '/who', headers: { 'x-auth-token': await t.token() } });
    assert.equal(ok.json().user, 'admin');
    await app.close();
  });
});
