// IPAM under concurrency: many port creates at once on one subnet never share an address, and
// the creates beyond the pool's size fail with IpAddressGenerationFailure (409), on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../db/test-dialects.ts';
import { ALICE, type Json, type TestNetworkService, testNetworkService } from './test-support.ts';

for (const d of testDialects()) {
  describe(`IPAM concurrency on ${d.name}`, () => {
    let s: TestNetworkService;
    before(async () => {
      s = await testNetworkService(await d.open(['network']));
    });
    after(async () => {
      await s.close();
      await d.cleanup();
    });

    const subnetOn = async (cidr: string) => {
      const net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: {} })).network.id as string;
      await s.ok('POST', '/v2.0/subnets', 201, ALICE, { subnet: { network_id: net, ip_version: 4, cidr } });
      return net;
    };
    const createMany = (net: string, n: number) =>
      Promise.all(
        Array.from({ length: n }, () => s.req('POST', '/v2.0/ports', ALICE, { port: { network_id: net } })),
      );

    test('200 concurrent creates on a /24: 200 distinct addresses', async () => {
      const net = await subnetOn('10.0.0.0/24');
      const res = await createMany(net, 200);
      const bad = res.filter((r) => r.statusCode !== 201);
      assert.equal(bad.length, 0, bad[0]?.body);
      const ips = res.map((r) => (r.json() as Json).port.fixed_ips[0].ip_address as string);
      assert.equal(new Set(ips).size, 200);
      const macs = res.map((r) => (r.json() as Json).port.mac_address as string);
      assert.equal(new Set(macs).size, 200);
      for (const ip of ips) assert.match(ip, /^10\.0\.0\.(\d+)$/);
      assert.ok(!ips.includes('10.0.0.1') && !ips.includes('10.0.0.0') && !ips.includes('10.0.0.255'));
    });

    test('an exhausted pool: 40 concurrent creates on a /27 give 29 ports and 11 × 409', async () => {
      const net = await subnetOn('10.1.0.0/27'); // 30 hosts, one is the gateway: 29 addresses
      const res = await createMany(net, 40);
      const ok = res.filter((r) => r.statusCode === 201);
      const refused = res.filter((r) => r.statusCode === 409);
      const other = res.find((r) => r.statusCode !== 201 && r.statusCode !== 409);
      assert.equal(ok.length, 29, other?.body ?? '');
      assert.equal(refused.length, 11);
      for (const r of refused) {
        assert.equal(r.json().NeutronError.type, 'IpAddressGenerationFailure');
        assert.equal(r.json().NeutronError.message, `No more IP addresses available on network ${net}.`);
      }
      const ips = ok.map((r) => (r.json() as Json).port.fixed_ips[0].ip_address);
      assert.equal(new Set(ips).size, 29);
      const listed = await s.ok('GET', `/v2.0/ports?network_id=${net}`, 200);
      assert.equal(listed.ports.length, 29);
    });
  });
}
