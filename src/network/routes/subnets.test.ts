import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import { ADMIN, ALICE, BOB, type TestNetworkService, testNetworkService } from '../test-support.ts';

for (const d of testDialects()) {
  describe(`network API subnets on ${d.name}`, () => {
    let s: TestNetworkService;
    let net: string;
    before(async () => {
      s = await testNetworkService(await d.open(['network']));
      net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'n' } })).network.id;
    });
    after(async () => {
      await s.close();
      await d.cleanup();
    });
    const subnet = (body: Record<string, unknown>, headers = ALICE) =>
      s.req('POST', '/v2.0/subnets', headers, { subnet: { network_id: net, ip_version: 4, ...body } });

    test('IPv4: gateway = first host, pool = the rest, DNS servers and host routes kept', async () => {
      const res = await subnet({
        cidr: '10.0.0.0/24',
        name: 's4',
        dns_nameservers: ['8.8.8.8'],
        host_routes: [{ destination: '192.168.0.0/16', nexthop: '10.0.0.254' }],
      });
      assert.equal(res.statusCode, 201, res.body);
      const sn = res.json().subnet;
      assert.equal(sn.gateway_ip, '10.0.0.1');
      assert.deepEqual(sn.allocation_pools, [{ start: '10.0.0.2', end: '10.0.0.254' }]);
      assert.equal(sn.enable_dhcp, true);
      assert.deepEqual(sn.dns_nameservers, ['8.8.8.8']);
      assert.deepEqual(sn.host_routes, [{ destination: '192.168.0.0/16', nexthop: '10.0.0.254' }]);
      assert.equal(sn.ip_version, 4);
      const n = await s.ok('GET', `/v2.0/networks/${net}`, 200);
      assert.deepEqual(n.network.subnets, [sn.id]);
    });

    test('IPv6 subnet with a stateful mode; overlapping CIDRs refused with InvalidInput', async () => {
      const res = await s.req('POST', '/v2.0/subnets', ALICE, {
        subnet: {
          network_id: net,
          ip_version: 6,
          cidr: 'fd00:1::/64',
          ipv6_address_mode: 'dhcpv6-stateful',
          ipv6_ra_mode: 'dhcpv6-stateful',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().subnet.gateway_ip, 'fd00:1::1');
      assert.deepEqual(res.json().subnet.allocation_pools, [
        { start: 'fd00:1::2', end: 'fd00:1::ffff:ffff:ffff:ffff' },
      ]);
      const r = await subnet({ cidr: '10.0.0.128/25' });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().NeutronError.type, 'InvalidInput');
      assert.equal(
        r.json().NeutronError.message,
        `Invalid input for operation: Requested subnet with cidr: 10.0.0.128/25 for network: ${net} overlaps with another subnet.`,
      );
    });

    test('bad CIDRs, gateways and pools', async () => {
      const bad = async (body: Record<string, unknown>, status: number, type: string) => {
        const r = await subnet(body);
        assert.equal(r.statusCode, status, r.body);
        assert.equal(r.json().NeutronError.type, type, r.body);
        return r.json().NeutronError.message as string;
      };
      assert.match(
        await bad({ cidr: '10.1.0.1/24' }, 400, 'HTTPBadRequest'),
        /'10\.1\.0\.0\/24' is recommended/,
      );
      await bad({ cidr: 'not-a-cidr' }, 400, 'HTTPBadRequest');
      await bad({ cidr: 'fd00::/64' }, 400, 'InvalidInput');
      await bad({ cidr: '10.1.0.0/24', gateway_ip: '10.2.0.1' }, 400, 'InvalidInput');
      await bad(
        { cidr: '10.1.0.0/24', allocation_pools: [{ start: '10.1.0.10', end: '10.1.1.5' }] },
        400,
        'HTTPBadRequest',
      );
      await bad(
        { cidr: '10.1.0.0/24', allocation_pools: [{ start: '10.1.0.1', end: '10.1.0.5' }] },
        409,
        'GatewayConflictWithAllocationPools',
      );
      await bad(
        {
          cidr: '10.1.0.0/24',
          allocation_pools: [
            { start: '10.1.0.10', end: '10.1.0.20' },
            { start: '10.1.0.15', end: '10.1.0.30' },
          ],
        },
        409,
        'OverlappingAllocationPools',
      );
      await bad({ cidr: '10.1.0.0/24', dns_nameservers: ['x'] }, 400, 'HTTPBadRequest');
      await bad({}, 400, 'HTTPBadRequest');
    });

    test('pools and no gateway; update; SubnetInUse; other projects', async () => {
      const net2 = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: {} })).network.id;
      const created = await s.ok('POST', '/v2.0/subnets', 201, ALICE, {
        subnet: {
          network_id: net2,
          ip_version: 4,
          cidr: '192.168.5.0/24',
          gateway_ip: null,
          allocation_pools: [{ start: '192.168.5.100', end: '192.168.5.110' }],
        },
      });
      const id = created.subnet.id;
      assert.equal(created.subnet.gateway_ip, null);
      const upd = await s.ok('PUT', `/v2.0/subnets/${id}`, 200, ALICE, {
        subnet: { name: 'renamed', enable_dhcp: false, dns_nameservers: ['1.1.1.1'] },
      });
      assert.equal(upd.subnet.name, 'renamed');
      assert.equal(upd.subnet.enable_dhcp, false);
      await s.fails('PUT', `/v2.0/subnets/${id}`, 400, 'HTTPBadRequest', ALICE, {
        subnet: { cidr: '10.9.0.0/24' },
      });
      await s.fails('GET', `/v2.0/subnets/${id}`, 404, 'SubnetNotFound', BOB);
      await s.fails('POST', '/v2.0/subnets', 404, 'NetworkNotFound', BOB, {
        subnet: { network_id: net2, ip_version: 4, cidr: '10.3.0.0/24' },
      });
      const { port } = await s.ok('POST', '/v2.0/ports', 201, ALICE, { port: { network_id: net2 } });
      assert.equal(port.fixed_ips[0].ip_address, '192.168.5.100');
      await s.fails('DELETE', `/v2.0/subnets/${id}`, 409, 'SubnetInUse');
      await s.ok('DELETE', `/v2.0/ports/${port.id}`, 204);
      await s.ok('DELETE', `/v2.0/subnets/${id}`, 204, ADMIN);
    });
  });
}
