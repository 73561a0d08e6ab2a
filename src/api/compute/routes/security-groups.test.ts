import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../test-support.ts';

describe('security group routes without a network service', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.close());

  it('proxies answer 500 EndpointNotFound up to 2.35 and 404 from 2.36', async () => {
    for (const [method, url] of [
      ['GET', '/v2.1/os-security-groups/x'],
      ['DELETE', '/v2.1/os-security-group-rules/x'],
    ]) {
      const r = await t.call(method, url, { mv: '2.35' });
      assert.equal(r.statusCode, 500, url);
      assert.match(r.json().computeFault.message, /EndpointNotFound/);
      assert.equal((await t.call(method, url, { mv: '2.36' })).statusCode, 404, url);
    }
  });

  it('addSecurityGroup / removeSecurityGroup need a group name (400)', async () => {
    const url = '/v2.1/servers/00000000-0000-4000-8000-000000000000/action';
    for (const body of [{ addSecurityGroup: { name: '' } }, { removeSecurityGroup: {} }]) {
      const r = await t.call('POST', url, { body });
      assert.equal(r.statusCode, 400, JSON.stringify(body));
    }
  });
});
