// Bad input gets Keystone's 4xx bodies on every engine, never a 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import { ADMIN_PASSWORD, type TestApp, testApp } from '../testing.ts';

const LONG = 'x'.repeat(300);

const CASES: readonly (readonly [string, string, unknown?])[] = [
  ['POST', '/v3/auth/tokens', null],
  ['POST', '/v3/auth/tokens', { auth: { identity: { methods: 'password' } } }],
  ['POST', '/v3/auth/tokens', { auth: { identity: { methods: ['password'], password: { user: 'admin' } } } }],
  [
    'POST',
    '/v3/auth/tokens',
    { auth: { identity: { methods: ['password'], password: { user: { name: 5, password: 'x' } } } } },
  ],
  [
    'POST',
    '/v3/auth/tokens',
    { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'x' } } } } },
  ],
  [
    'POST',
    '/v3/auth/tokens',
    { auth: { identity: { methods: ['password'], password: { user: { id: LONG, password: 'x' } } } } },
  ],
  [
    'POST',
    '/v3/auth/tokens',
    {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', domain: { id: 'default' }, password: ADMIN_PASSWORD } },
        },
        scope: { project: { id: 7 } },
      },
    },
  ],
  [
    'POST',
    '/v3/auth/tokens',
    {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', domain: { id: 'default' }, password: ADMIN_PASSWORD } },
        },
        scope: { system: { all: false } },
      },
    },
  ],
  ['POST', '/v3/auth/tokens', { auth: { identity: { methods: ['totp'] } } }],
  ['POST', '/v3/auth/tokens', { auth: { identity: { methods: ['token'], token: { id: 'bogus' } } } }],
  [
    'POST',
    '/v3/auth/tokens',
    {
      auth: {
        identity: { methods: ['application_credential'], application_credential: { id: LONG, secret: 's' } },
      },
    },
  ],
  ['POST', '/v3/users', { user: { name: LONG } }],
  ['POST', '/v3/users', { user: { name: 'u', domain_id: LONG } }],
  ['POST', '/v3/users', { user: { name: 'u', password: 5 } }],
  ['POST', '/v3/projects', { project: { name: LONG } }],
  ['POST', '/v3/projects', { project: { name: 'p', parent_id: LONG } }],
  ['POST', '/v3/projects', { project: { name: 'p', is_domain: true } }],
  ['POST', '/v3/domains', { domain: { name: ['x'] } }],
  ['POST', '/v3/roles', { role: { name: LONG } }],
  ['POST', '/v3/groups', { group: {} }],
  ['POST', '/v3/services', { service: { type: LONG } }],
  [
    'POST',
    '/v3/endpoints',
    { endpoint: { service_id: 'x', interface: 'public', url: 'http://x', region_id: LONG } },
  ],
  ['PUT', `/v3/regions/${LONG}`, { region: {} }],
  ['POST', '/v3/regions', { region: { id: LONG } }],
  ['PATCH', '/v3/users/nope', { user: { name: 'x' } }],
  ['PATCH', '/v3/projects/default', null],
  ['GET', `/v3/users/${LONG}`],
  ['GET', '/v3/role_assignments?user.id=a&group.id=b'],
  ['GET', `/v3/projects/${LONG}/users/${LONG}/roles`],
  ['PUT', `/v3/system/users/${LONG}/roles/${LONG}`],
  ['DELETE', '/v3/auth/tokens'],
  ['POST', '/v3/users/nope/password', { user: { password: 'a', original_password: 'b' } }],
  [
    'POST',
    '/v3/users/nope/application_credentials',
    { application_credential: { name: 'x', expires_at: 'soon' } },
  ],
];

for (const d of testDialects()) {
  describe(`${d.name}: identity API bad input`, () => {
    let t: TestApp;
    let admin: string;
    before(async () => {
      t = await testApp(await d.newUrl());
      admin = await t.token();
    });
    after(async () => {
      await t.cleanup();
      await d.cleanup();
    });

    it('answers 4xx with a Keystone error body, never 500', async () => {
      for (const [method, url, body] of CASES) {
        const r = await t.call(
          method,
          url,
          admin,
          body === null ? 'null' : body,
          body === null ? { 'content-type': 'application/json' } : {},
        );
        assert.ok(
          r.statusCode >= 400 && r.statusCode < 500,
          `${method} ${url.slice(0, 60)} ${JSON.stringify(body)?.slice(0, 120)} → ${r.statusCode} ${r.body.slice(0, 200)}`,
        );
        // A path parameter over Fastify's maxParamLength (100) is answered by Fastify itself (414, its
        // own body) before any handler runs: createHttpApp has no frameworkErrors hook (shared file).
        if (r.statusCode === 414) continue;
        const e = r.json().error;
        assert.ok(e, `${method} ${url.slice(0, 60)} → ${r.statusCode} ${r.body.slice(0, 200)}`);
        assert.equal(e.code, r.statusCode);
        assert.equal(typeof e.title, 'string');
        assert.equal(typeof e.message, 'string');
      }
    });
  });
}
