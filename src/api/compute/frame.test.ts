import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BOB, startTestApi, type TestApi } from './test-support.ts';

describe('compute API frame', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.close());

  it('serves the version documents without a token', async () => {
    const r = await t.call('GET', '/', { token: null });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().versions[1].version, '2.104');
    const v = await t.call('GET', '/v2.1', { token: null });
    assert.equal(v.json().version.min_version, '2.1');
    // Every self link listed at / answers (Tempest's test_get_version_details follows them).
    for (const doc of r.json().versions as { id: string; links: { rel: string; href: string }[] }[]) {
      const self = new URL(doc.links.find((l) => l.rel === 'self')!.href).pathname;
      const one = await t.call('GET', self, { token: null });
      assert.equal(one.statusCode, 200, self);
      assert.equal(one.json().version.id, doc.id);
    }
  });

  it('answers 401 with keystonemiddleware body and WWW-Authenticate without a token', async () => {
    const r = await t.call('GET', '/v2.1/flavors', { token: null });
    assert.equal(r.statusCode, 401);
    assert.match(String(r.headers['www-authenticate']), /^Keystone uri=/);
    assert.equal(r.json().error.code, 401);
  });

  it('negotiates microversions and echoes them', async () => {
    const def = await t.call('GET', '/v2.1/flavors');
    assert.equal(def.headers['openstack-api-version'], 'compute 2.1');
    assert.equal(def.headers['x-openstack-nova-api-version'], '2.1');
    assert.equal(def.headers.vary, 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    const latest = await t.call('GET', '/v2.1/flavors', { mv: 'latest' });
    assert.equal(latest.headers['openstack-api-version'], 'compute 2.104');
    const legacy = await t.call('GET', '/v2.1/flavors', {
      headers: { 'x-openstack-nova-api-version': '2.55' },
    });
    assert.equal(legacy.headers['openstack-api-version'], 'compute 2.55');
    assert.ok(String(def.headers['x-compute-request-id']).startsWith('req-'));
  });

  it('406 outside the range, 400 malformed', async () => {
    const r = await t.call('GET', '/v2.1/flavors', { mv: '2.105' });
    assert.equal(r.statusCode, 406);
    assert.deepEqual(r.json(), {
      computeFault: {
        code: 406,
        message: 'Version 2.105 is not supported by the API. Minimum is 2.1 and maximum is 2.104.',
      },
    });
    const bad = await t.call('GET', '/v2.1/flavors', { mv: '2.x' });
    assert.equal(bad.statusCode, 400);
    assert.equal(
      bad.json().badRequest.message,
      'API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.',
    );
  });

  it('404 itemNotFound for unknown URLs and wrong methods, and for a route below its range', async () => {
    for (const [m, u] of [
      ['GET', '/v2.1/nope'],
      ['PATCH', '/v2.1/flavors'],
      ['DELETE', '/v2.1/flavors/detail/x'],
    ]) {
      const r = await t.call(m, u);
      assert.equal(r.statusCode, 404, `${m} ${u}`);
      assert.deepEqual(r.json(), {
        itemNotFound: { code: 404, message: 'The resource could not be found.' },
      });
    }
    const put = await t.call('PUT', '/v2.1/flavors/1', {
      mv: '2.54',
      body: { flavor: { description: 'x' } },
    });
    assert.equal(put.statusCode, 404);
  });

  it('410 for removed APIs', async () => {
    for (const u of [
      '/v2.1/os-agents',
      '/v2.1/os-cells/capacities',
      '/v2.1/os-fping',
      '/v2.1/os-floating-ips-bulk',
    ]) {
      const r = await t.call('GET', u);
      assert.equal(r.statusCode, 410, u);
      assert.equal(r.json().computeFault.code, 410);
    }
  });

  it('takes the optional project prefix, which must be the token project', async () => {
    const ok = await t.call('GET', '/v2.1/0a1b2c3d/flavors');
    assert.equal(ok.statusCode, 200);
    const other = await t.call('GET', '/v2.1/9f8e7d6c/flavors');
    assert.equal(other.statusCode, 400);
    assert.equal(
      other.json().badRequest.message,
      "Malformed request URL: URL's project_id '9f8e7d6c' doesn't match Context's project_id '0a1b2c3d'",
    );
    const notHex = await t.call('GET', '/v2.1/project-x/flavors', { token: BOB });
    assert.equal(notHex.statusCode, 404);
  });

  it('400 for unparsable JSON', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v2.1/flavors',
      headers: { 'x-auth-token': 'admin:0a1b2c3d', 'content-type': 'application/json' },
      payload: '{nope',
    });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().badRequest.message, 'Malformed request body');
  });
});
