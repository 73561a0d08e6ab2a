// The floating IP and network proxies forwarded to a listening embedded network service.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../../db/test-dialects.ts';
import { auth, type TestNetworkService, testNetworkService } from '../../../network/test-support.ts';
import { ALICE, startTestApi, type TestApi } from '../test-support.ts';

const [d] = testDialects();
const NET_ADMIN = auth('admin:0a1b2c3d');

describe('floating IP and network proxies', () => {
  let s: TestNetworkService;
  let t: TestApi;
  let publicId: string;
  let privateId: string;
  before(async () => {
    s = await testNetworkService(await d.open(['network']));
    const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    t = await startTestApi([{ group: 'neutron', name: 'endpoint_override', value: url }]);
    publicId = (
      await s.ok('POST', '/v2.0/networks', 201, NET_ADMIN, {
        network: { name: 'public', 'router:external': true },
      })
    ).network.id;
    await s.ok('POST', '/v2.0/subnets', 201, NET_ADMIN, {
      subnet: { network_id: publicId, cidr: '203.0.113.0/24', ip_version: 4 },
    });
    privateId = (await s.ok('POST', '/v2.0/networks', 201, auth(ALICE), { network: { name: 'private' } }))
      .network.id;
  });
  after(async () => {
    await t.close();
    await s.close();
    await d.cleanup();
  });

  it('lists the external networks as pools', async () => {
    const r = await t.call('GET', '/v2.1/os-floating-ip-pools', { token: ALICE });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), { floating_ip_pools: [{ name: 'public' }] });
  });

  it('allocates, shows, lists and releases a floating IP', async () => {
    const created = await t.call('POST', '/v2.1/os-floating-ips', { token: ALICE, body: { pool: 'public' } });
    assert.equal(created.statusCode, 200, created.body);
    const fip = created.json().floating_ip;
    assert.equal(fip.pool, 'public');
    assert.equal(fip.fixed_ip, null);
    assert.equal(fip.instance_id, null);
    assert.match(fip.ip, /^203\.0\.113\./);
    const shown = await t.call('GET', `/v2.1/os-floating-ips/${fip.id}`, { token: ALICE });
    assert.deepEqual(shown.json(), { floating_ip: fip });
    const listed = await t.call('GET', '/v2.1/os-floating-ips', { token: ALICE });
    assert.deepEqual(listed.json(), { floating_ips: [fip] });
    const byDefault = await t.call('POST', '/v2.1/os-floating-ips', { token: ALICE, body: {} });
    assert.equal(byDefault.statusCode, 200, 'the only external network is the default');
    const del = await t.call('DELETE', `/v2.1/os-floating-ips/${fip.id}`, { token: ALICE });
    assert.equal(del.statusCode, 202, del.body);
    const gone = await t.call('GET', `/v2.1/os-floating-ips/${fip.id}`, { token: ALICE });
    assert.equal(gone.statusCode, 404);
    assert.equal(
      (await t.call('DELETE', `/v2.1/os-floating-ips/${fip.id}`, { token: ALICE })).statusCode,
      404,
    );
  });

  it('answers 404 for an unknown pool', async () => {
    const r = await t.call('POST', '/v2.1/os-floating-ips', { token: ALICE, body: { pool: 'nope' } });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().itemNotFound.message, 'Floating IP pool not found.');
  });

  it('shows networks: id and label, admin fields for admins; tenant networks {id, cidr, label}', async () => {
    const mine = await t.call('GET', `/v2.1/os-networks/${privateId}`, { token: ALICE });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.equal(mine.json().network.label, 'private');
    assert.equal(mine.json().network.cidr, null);
    assert.equal('bridge' in mine.json().network, false);
    const asAdmin = await t.call('GET', `/v2.1/os-networks/${privateId}`);
    assert.equal('bridge' in asAdmin.json().network, true);
    const tn = await t.call('GET', '/v2.1/os-tenant-networks', { token: ALICE });
    assert.ok(tn.json().networks.some((n: { id: string }) => n.id === privateId));
    const one = await t.call('GET', `/v2.1/os-tenant-networks/${privateId}`, { token: ALICE });
    assert.deepEqual(one.json(), { network: { id: privateId, cidr: 'None', label: 'private' } });
    const missing = await t.call('GET', '/v2.1/os-networks/00000000-0000-0000-0000-000000000000');
    assert.equal(missing.statusCode, 404);
  });

  it('is gone (404) from 2.36', async () => {
    assert.equal((await t.call('GET', '/v2.1/os-floating-ips', { mv: '2.36' })).statusCode, 404);
    assert.equal((await t.call('GET', '/v2.1/os-tenant-networks', { mv: '2.36' })).statusCode, 404);
  });
});
