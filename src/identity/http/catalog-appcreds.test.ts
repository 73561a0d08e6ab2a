import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, testApp } from '../testing.ts';

describe('identity API: services, endpoints, regions, application credentials', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await testApp();
    admin = await t.token();
  });
  after(() => t.cleanup());

  it('services and endpoints: create, filter, update, delete; the catalog follows', async () => {
    const s = (
      await t.call('POST', '/v3/services', admin, {
        service: { type: 'volumev3', name: 'cinder', description: 'vol' },
      })
    ).json().service;
    assert.equal(s.enabled, true);
    assert.equal((await t.call('GET', '/v3/services?type=volumev3', admin)).json().services.length, 1);
    const e = await t.call('POST', '/v3/endpoints', admin, {
      endpoint: {
        service_id: s.id,
        interface: 'public',
        url: 'http://127.0.0.1:8776/v3/%(project_id)s',
        region: 'RegionTwo',
      },
    });
    assert.equal(e.statusCode, 201);
    const ep = e.json().endpoint;
    assert.equal(ep.region_id, 'RegionTwo');
    assert.equal(ep.region, 'RegionTwo');
    assert.equal(
      (await t.call('GET', '/v3/regions/RegionTwo', admin)).statusCode,
      200,
      'region made on the fly',
    );
    const bad = await t.call('POST', '/v3/endpoints', admin, {
      endpoint: { service_id: s.id, interface: 'sideways', url: 'http://x' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(
      (
        await t.call('POST', '/v3/endpoints', admin, {
          endpoint: { service_id: 'nope', interface: 'public', url: 'http://x' },
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (await t.call('GET', `/v3/endpoints?service_id=${s.id}&interface=public`, admin)).json().endpoints
        .length,
      1,
    );
    const cat = (await t.call('GET', '/v3/auth/catalog', admin)).json().catalog;
    const vol = cat.find((c: { type: string }) => c.type === 'volumev3');
    const proj = (await t.call('GET', '/v3/auth/projects', admin)).json().projects[0];
    assert.equal(vol.endpoints[0].url, `http://127.0.0.1:8776/v3/${proj.id}`, 'project id substituted');
    const off = await t.call('PATCH', `/v3/endpoints/${ep.id}`, admin, { endpoint: { enabled: false } });
    assert.equal(off.json().endpoint.enabled, false);
    const cat2 = (await t.call('GET', '/v3/auth/catalog', admin)).json().catalog;
    assert.equal(cat2.find((c: { type: string }) => c.type === 'volumev3').endpoints.length, 0);
    assert.equal((await t.call('DELETE', `/v3/endpoints/${ep.id}`, admin)).statusCode, 204);
    assert.equal(
      (await t.call('PATCH', `/v3/services/${s.id}`, admin, { service: { enabled: false } })).json().service
        .enabled,
      false,
    );
    assert.equal((await t.call('DELETE', `/v3/services/${s.id}`, admin)).statusCode, 204);
    assert.equal((await t.call('GET', `/v3/services/${s.id}`, admin)).statusCode, 404);
  });

  it('regions: create (generated id, PUT with id), parent filter, update, delete', async () => {
    const gen = await t.call('POST', '/v3/regions', admin, { region: { description: 'gen' } });
    assert.equal(gen.statusCode, 201);
    assert.match(gen.json().region.id, /^[0-9a-f]{32}$/);
    const put = await t.call('PUT', '/v3/regions/Child', admin, {
      region: { parent_region_id: 'RegionOne' },
    });
    assert.equal(put.statusCode, 201);
    assert.equal((await t.call('POST', '/v3/regions', admin, { region: { id: 'Child' } })).statusCode, 409);
    assert.deepEqual(
      (await t.call('GET', '/v3/regions?parent_region_id=RegionOne', admin))
        .json()
        .regions.map((r: { id: string }) => r.id),
      ['Child'],
    );
    assert.equal(
      (await t.call('PATCH', '/v3/regions/Child', admin, { region: { description: 'c' } })).json().region
        .description,
      'c',
    );
    assert.equal((await t.call('DELETE', '/v3/regions/Child', admin)).statusCode, 204);
  });

  it('application credentials: secret once, restricted roles, authenticate by id and by name, delete', async () => {
    const me = (await t.call('GET', '/v3/auth/tokens', admin, undefined, { 'x-subject-token': admin })).json()
      .token.user.id;
    const c = await t.call('POST', `/v3/users/${me}/application_credentials`, admin, {
      application_credential: { name: 'ci', roles: [{ name: 'reader' }], description: 'for CI' },
    });
    assert.equal(c.statusCode, 201);
    const cred = c.json().application_credential;
    assert.ok(cred.secret.length > 40);
    assert.deepEqual(
      cred.roles.map((r: { name: string }) => r.name),
      ['reader'],
    );
    assert.equal(cred.unrestricted, false);
    const shown = (await t.call('GET', `/v3/users/${me}/application_credentials/${cred.id}`, admin)).json()
      .application_credential;
    assert.equal(shown.secret, undefined);
    assert.equal(
      (await t.call('GET', `/v3/users/${me}/application_credentials?name=ci`, admin)).json()
        .application_credentials.length,
      1,
    );
    assert.equal(
      (
        await t.call('POST', `/v3/users/${me}/application_credentials`, admin, {
          application_credential: { name: 'ci' },
        })
      ).statusCode,
      409,
    );

    const byId = await t.call('POST', '/v3/auth/tokens', undefined, {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { id: cred.id, secret: cred.secret },
        },
      },
    });
    assert.equal(byId.statusCode, 201);
    const tok = byId.json().token;
    assert.deepEqual(tok.methods, ['application_credential']);
    assert.deepEqual(
      tok.roles.map((r: { name: string }) => r.name),
      ['reader'],
    );
    assert.deepEqual(tok.application_credential, { id: cred.id, name: 'ci', restricted: true });
    assert.equal(tok.project.name, 'admin');
    const acToken = String(byId.headers['x-subject-token']);
    assert.equal((await t.call('GET', '/v3/users', acToken)).statusCode, 403, 'reader only');

    const byName = await t.call('POST', '/v3/auth/tokens', undefined, {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: {
            name: 'ci',
            user: { name: 'admin', domain: { name: 'Default' } },
            secret: cred.secret,
          },
        },
      },
    });
    assert.equal(byName.statusCode, 201);
    const wrong = await t.call('POST', '/v3/auth/tokens', undefined, {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { id: cred.id, secret: 'nope' },
        },
      },
    });
    assert.equal(wrong.statusCode, 401);
    const rescope = await t.call('POST', '/v3/auth/tokens', undefined, {
      auth: { identity: { methods: ['token'], token: { id: acToken } }, scope: { system: { all: true } } },
    });
    assert.equal(rescope.statusCode, 401, 'application credential tokens cannot be rescoped');

    assert.equal(
      (await t.call('DELETE', `/v3/users/${me}/application_credentials/${cred.id}`, admin)).statusCode,
      204,
    );
    assert.equal(
      (await t.call('GET', '/v3/auth/catalog', acToken)).statusCode,
      401,
      'its tokens die with it',
    );
    assert.equal(
      (await t.call('GET', `/v3/users/${me}/application_credentials/${cred.id}`, admin)).statusCode,
      404,
    );
  });

  it('application credentials: refuse roles the token lacks and past expiry; only for oneself', async () => {
    const me = (await t.call('GET', '/v3/auth/tokens', admin, undefined, { 'x-subject-token': admin })).json()
      .token.user.id;
    const svc = await t.call('POST', `/v3/users/${me}/application_credentials`, admin, {
      application_credential: { name: 'x', roles: [{ name: 'service' }] },
    });
    assert.equal(svc.statusCode, 404);
    const past = await t.call('POST', `/v3/users/${me}/application_credentials`, admin, {
      application_credential: { name: 'y', expires_at: '2000-01-01T00:00:00' },
    });
    assert.equal(past.statusCode, 400);
    const other = await t.call('POST', '/v3/users/someone-else/application_credentials', admin, {
      application_credential: { name: 'z' },
    });
    assert.equal(other.statusCode, 403);
  });
});
