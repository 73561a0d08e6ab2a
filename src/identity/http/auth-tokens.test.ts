import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import { ADMIN_PASSWORD, passwordAuth, projectScope, type TestApp, testApp } from '../testing.ts';

for (const d of testDialects())
  describe(`${d.name}: identity API: discovery and /v3/auth/tokens`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(await d.newUrl());
    });
    after(async () => {
      await t.cleanup();
      await d.cleanup();
    });

    it('answers version discovery at / (300) and /v3 (200)', async () => {
      const root = await t.call('GET', '/', undefined);
      assert.equal(root.statusCode, 300);
      const v = root.json().versions.values[0];
      assert.equal(v.id, 'v3.14');
      assert.equal(v.links[0].href, 'http://127.0.0.1:5000/v3/');
      const v3 = await t.call('GET', '/v3', undefined);
      assert.equal(v3.statusCode, 200);
      assert.equal(v3.json().version.status, 'stable');
    });

    it('issues a project-scoped token with roles, catalog and X-Subject-Token', async () => {
      const r = await t.call(
        'POST',
        '/v3/auth/tokens',
        undefined,
        passwordAuth('admin', ADMIN_PASSWORD, projectScope('admin')),
      );
      assert.equal(r.statusCode, 201);
      assert.ok(r.headers['x-subject-token']);
      const tok = r.json().token;
      assert.deepEqual(tok.methods, ['password']);
      assert.equal(tok.user.name, 'admin');
      assert.deepEqual(tok.user.domain, { id: 'default', name: 'Default' });
      assert.equal(tok.user.password_expires_at, null);
      assert.equal(tok.project.name, 'admin');
      assert.equal(tok.is_domain, false);
      assert.deepEqual(tok.roles.map((x: { name: string }) => x.name).sort(), [
        'admin',
        'manager',
        'member',
        'reader',
      ]);
      assert.deepEqual(tok.catalog.map((c: { type: string }) => c.type).sort(), [
        'compute',
        'identity',
        'image',
        'placement',
      ]);
      const compute = tok.catalog.find((c: { type: string }) => c.type === 'compute');
      assert.equal(compute.endpoints.length, 3);
      assert.match(tok.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.equal(tok.audit_ids.length, 1);
    });

    it('?nocatalog leaves the catalog out; unscoped tokens have no roles', async () => {
      const r = await t.call(
        'POST',
        '/v3/auth/tokens?nocatalog',
        undefined,
        passwordAuth('admin', ADMIN_PASSWORD, projectScope('admin')),
      );
      assert.equal(r.json().token.catalog, undefined);
      const u = await t.call('POST', '/v3/auth/tokens', undefined, passwordAuth('admin', ADMIN_PASSWORD));
      assert.equal(u.statusCode, 201);
      assert.equal(u.json().token.roles, undefined);
      assert.equal(u.json().token.project, undefined);
    });

    it('scopes to the system and to a domain; rescopes with the token method', async () => {
      const sys = await t.call(
        'POST',
        '/v3/auth/tokens',
        undefined,
        passwordAuth('admin', ADMIN_PASSWORD, { system: { all: true } }),
      );
      assert.equal(sys.statusCode, 201);
      assert.deepEqual(sys.json().token.system, { all: true });
      const unscoped = await t.token('admin', ADMIN_PASSWORD, 'unscoped');
      const re = await t.call('POST', '/v3/auth/tokens', undefined, {
        auth: {
          identity: { methods: ['token'], token: { id: unscoped } },
          scope: { project: { name: 'admin', domain: { name: 'Default' } } },
        },
      });
      assert.equal(re.statusCode, 201);
      assert.deepEqual(re.json().token.methods.sort(), ['password', 'token']);
      assert.equal(re.json().token.audit_ids.length, 2);
      // admin has no role on the Default domain: domain scope is refused.
      const dom = await t.call(
        'POST',
        '/v3/auth/tokens',
        undefined,
        passwordAuth('admin', ADMIN_PASSWORD, { domain: { id: 'default' } }),
      );
      assert.equal(dom.statusCode, 401);
    });

    it('validates (GET), checks (HEAD) and revokes (DELETE) tokens', async () => {
      const admin = await t.token();
      const subject = await t.token();
      const get = await t.call('GET', '/v3/auth/tokens', admin, undefined, { 'x-subject-token': subject });
      assert.equal(get.statusCode, 200);
      assert.equal(get.headers['x-subject-token'], subject);
      assert.equal(get.json().token.user.name, 'admin');
      const head = await t.call('HEAD', '/v3/auth/tokens', admin, undefined, { 'x-subject-token': subject });
      assert.equal(head.statusCode, 200);
      const del = await t.call('DELETE', '/v3/auth/tokens', admin, undefined, { 'x-subject-token': subject });
      assert.equal(del.statusCode, 204);
      const again = await t.call('GET', '/v3/auth/tokens', admin, undefined, { 'x-subject-token': subject });
      assert.equal(again.statusCode, 404);
      assert.equal(again.json().error.title, 'Not Found');
      const used = await t.call('GET', '/v3/auth/catalog', subject);
      assert.equal(used.statusCode, 401);
      assert.match(String(used.headers['www-authenticate']), /^Keystone uri="/);
      assert.deepEqual(used.json(), {
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      });
    });

    it('refuses bad credentials with the same 401 and malformed bodies with 400', async () => {
      for (const body of [
        passwordAuth('admin', 'wrong', projectScope('admin')),
        passwordAuth('ghost', 'x', projectScope('admin')),
        passwordAuth('admin', ADMIN_PASSWORD, projectScope('ghost-project')),
      ]) {
        const r = await t.call('POST', '/v3/auth/tokens', undefined, body);
        assert.equal(r.statusCode, 401, JSON.stringify(body));
        assert.equal(r.json().error.message, 'The request you have made requires authentication.');
      }
      const bad = await t.call('POST', '/v3/auth/tokens', undefined, { auth: {} });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.title, 'Bad Request');
      const notJson = await t.app.inject({
        method: 'POST',
        url: '/v3/auth/tokens',
        payload: '{',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(notJson.statusCode, 400);
    });

    it('expired tokens get 401', async () => {
      const tok = await t.token();
      t.clock.advance(3601_000);
      const r = await t.call('GET', '/v3/auth/catalog', tok);
      assert.equal(r.statusCode, 401);
    });
  });
