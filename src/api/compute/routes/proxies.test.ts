import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../test-support.ts';

describe('network and volume proxies without a network or volume service', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.close());

  it('answers upstream’s 500 (no endpoint) up to 2.35 after the policy check', async () => {
    for (const [method, url] of [
      ['GET', '/v2.1/os-security-groups'],
      ['GET', '/v2.1/os-volumes/detail'],
      ['DELETE', '/v2.1/os-snapshots/x'],
    ]) {
      const r = await t.call(method, url, { mv: '2.35' });
      assert.equal(r.statusCode, 500, url);
      assert.match(r.json().computeFault.message, /^Unexpected API Error\. .*EndpointNotFound'>$/s);
    }
    const other = await t.call('GET', '/v2.1/os-volumes', { token: 'bob:9f8e7d6c', mv: '2.35' });
    assert.equal(other.statusCode, 500, 'readers of their own project pass the policy');
  });

  it('is gone (404) from 2.36; creating networks stays 410', async () => {
    assert.equal((await t.call('GET', '/v2.1/os-networks', { mv: '2.36' })).statusCode, 404);
    assert.equal((await t.call('GET', '/v2.1/os-volumes', { mv: 'latest' })).statusCode, 404);
    assert.equal((await t.call('POST', '/v2.1/os-networks', { body: {} })).statusCode, 410);
  });
});
