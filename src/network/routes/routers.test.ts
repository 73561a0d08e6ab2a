import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import {
  ADMIN,
  ALICE,
  BOB,
  type Json,
  recordingNova,
  type TestNetworkService,
  testNetworkService,
} from '../test-support.ts';

for (const d of testDialects()) {
  describe(`network API routers and floating IPs on ${d.name}`, () => {
    let s: TestNetworkService;
    let ext: string;
    let extSubnet: string;
    let net: string;
    let sub: string;
    const nova = recordingNova();
    before(async () => {
      s = await testNetworkService(await d.open(['network']), { nova });
      ext = (
        await s.ok('POST', '/v2.0/networks', 201, ADMIN, {
          network: { name: 'public', 'router:external': true },
        })
      ).network.id;
      extSubnet = (
        await s.ok('POST', '/v2.0/subnets', 201, ADMIN, {
          subnet: { network_id: ext, ip_version: 4, cidr: '203.0.113.0/24', enable_dhcp: false },
        })
      ).subnet.id;
      net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'private' } })).network.id;
      sub = (
        await s.ok('POST', '/v2.0/subnets', 201, ALICE, {
          subnet: { network_id: net, ip_version: 4, cidr: '10.0.0.0/24' },
        })
      ).subnet.id;
    });
    after(async () => {
      await s.close();
      await d.cleanup();
    });

    test('router: gateway, interface, floating IP associate/disassociate, teardown in order', async () => {
      const { router } = await s.ok('POST', '/v2.0/routers', 201, ALICE, { router: { name: 'r1' } });
      assert.equal(router.external_gateway_info, null);
      assert.equal(router.status, 'ACTIVE');
      const iface = await s.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, 200, ALICE, {
        subnet_id: sub,
      });
      assert.equal(iface.subnet_id, sub);
      assert.equal(iface.id, router.id);
      const { port: rp } = await s.ok('GET', `/v2.0/ports/${iface.port_id}`, 200);
      assert.equal(rp.device_owner, 'network:router_interface');
      assert.deepEqual(rp.fixed_ips, [{ subnet_id: sub, ip_address: '10.0.0.1' }]);
      await s.fails('PUT', `/v2.0/routers/${router.id}/add_router_interface`, 400, 'BadRequest', ALICE, {
        subnet_id: sub,
      });
      await s.fails('DELETE', `/v2.0/ports/${iface.port_id}`, 409, 'ServicePortInUse');

      const gw = await s.ok('PUT', `/v2.0/routers/${router.id}`, 200, ALICE, {
        router: { external_gateway_info: { network_id: ext } },
      });
      const info = gw.router.external_gateway_info;
      assert.equal(info.network_id, ext);
      assert.equal(info.enable_snat, true);
      assert.equal(info.external_fixed_ips[0].subnet_id, extSubnet);
      assert.match(info.external_fixed_ips[0].ip_address, /^203\.0\.113\./);
      await s.fails('PUT', `/v2.0/routers/${router.id}`, 403, 'PolicyNotAuthorized', ALICE, {
        router: { external_gateway_info: { network_id: ext, enable_snat: false } },
      });

      const { port: vm } = await s.ok('POST', '/v2.0/ports', 201, ALICE, { port: { network_id: net } });
      const { floatingip: fip } = await s.ok('POST', '/v2.0/floatingips', 201, ALICE, {
        floatingip: { floating_network_id: ext },
      });
      assert.equal(fip.status, 'DOWN');
      assert.equal(fip.port_id, null);
      assert.match(fip.floating_ip_address, /^203\.0\.113\./);
      const assoc = await s.ok('PUT', `/v2.0/floatingips/${fip.id}`, 200, ALICE, {
        floatingip: { port_id: vm.id },
      });
      assert.equal(assoc.floatingip.port_id, vm.id);
      assert.equal(assoc.floatingip.fixed_ip_address, vm.fixed_ips[0].ip_address);
      assert.equal(assoc.floatingip.router_id, router.id);
      assert.equal(assoc.floatingip.status, 'ACTIVE');
      const byPort = await s.ok('GET', `/v2.0/floatingips?port_id=${vm.id}`, 200);
      assert.deepEqual(
        byPort.floatingips.map((f: Json) => f.id),
        [fip.id],
      );
      const second = await s.req('POST', '/v2.0/floatingips', ALICE, {
        floatingip: { floating_network_id: ext, port_id: vm.id },
      });
      assert.equal(second.statusCode, 409, second.body);
      assert.equal(second.json().NeutronError.type, 'FloatingIPPortAlreadyAssociated');

      await s.fails(
        'PUT',
        `/v2.0/routers/${router.id}/remove_router_interface`,
        409,
        'RouterInterfaceInUseByFloatingIP',
        ALICE,
        { subnet_id: sub },
      );
      await s.fails(
        'PUT',
        `/v2.0/routers/${router.id}`,
        409,
        'RouterExternalGatewayInUseByFloatingIp',
        ALICE,
        {
          router: { external_gateway_info: null },
        },
      );
      await s.fails('DELETE', `/v2.0/routers/${router.id}`, 409, 'RouterInUse');
      const dis = await s.ok('PUT', `/v2.0/floatingips/${fip.id}`, 200, ALICE, {
        floatingip: { port_id: null },
      });
      assert.equal(dis.floatingip.port_id, null);
      assert.equal(dis.floatingip.status, 'DOWN');
      await s.ok('DELETE', `/v2.0/floatingips/${fip.id}`, 204);
      const removed = await s.ok('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, 200, ALICE, {
        subnet_id: sub,
      });
      assert.equal(removed.port_id, iface.port_id);
      await s.fails(
        'PUT',
        `/v2.0/routers/${router.id}/remove_router_interface`,
        404,
        'RouterInterfaceNotFoundForSubnet',
        ALICE,
        { subnet_id: sub },
      );
      await s.ok('DELETE', `/v2.0/routers/${router.id}`, 204);
      const left = await s.ok('GET', `/v2.0/ports?network_id=${ext}`, 200, ADMIN);
      assert.equal(left.ports.length, 0, 'the gateway and floating IP ports are gone');
    });

    test('floating IPs need an external network and a router path; others cannot see them', async () => {
      await s.fails('POST', '/v2.0/floatingips', 400, 'BadRequest', ALICE, {
        floatingip: { floating_network_id: net },
      });
      const { port: vm } = await s.ok('POST', '/v2.0/ports', 201, ALICE, { port: { network_id: net } });
      await s.fails('POST', '/v2.0/floatingips', 404, 'ExternalGatewayForFloatingIPNotFound', ALICE, {
        floatingip: { floating_network_id: ext, port_id: vm.id },
      });
      const { floatingip: fip } = await s.ok('POST', '/v2.0/floatingips', 201, ALICE, {
        floatingip: { floating_network_id: ext },
      });
      await s.fails('GET', `/v2.0/floatingips/${fip.id}`, 404, 'FloatingIPNotFound', BOB);
      await s.fails('POST', '/v2.0/floatingips', 403, 'PolicyNotAuthorized', ALICE, {
        floatingip: { floating_network_id: ext, floating_ip_address: '203.0.113.77' },
      });
      const chosen = await s.ok('POST', '/v2.0/floatingips', 201, ADMIN, {
        floatingip: { floating_network_id: ext, floating_ip_address: '203.0.113.77' },
      });
      assert.equal(chosen.floatingip.floating_ip_address, '203.0.113.77');
      await s.ok('DELETE', `/v2.0/floatingips/${fip.id}`, 204);
      await s.fails('POST', '/v2.0/routers', 400, 'BadRequest', ALICE, {
        router: { external_gateway_info: { network_id: net } },
      });
    });

    test('Nova is told: network-changed when a floating IP moves to or from an instance port, vif-deleted on delete', async () => {
      const { router } = await s.ok('POST', '/v2.0/routers', 201, ALICE, {
        router: { name: 'r-events', external_gateway_info: { network_id: ext } },
      });
      const net2 = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: {} })).network.id;
      const sub2 = (
        await s.ok('POST', '/v2.0/subnets', 201, ALICE, {
          subnet: { network_id: net2, ip_version: 4, cidr: '10.7.0.0/24' },
        })
      ).subnet.id;
      await s.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, 200, ALICE, { subnet_id: sub2 });
      const { port } = await s.ok('POST', '/v2.0/ports', 201, ALICE, {
        port: { network_id: net2, device_id: 'vm-ev', device_owner: 'compute:nova' },
      });
      nova.events.length = 0;
      const { floatingip } = await s.ok('POST', '/v2.0/floatingips', 201, ALICE, {
        floatingip: { floating_network_id: ext, port_id: port.id },
      });
      await s.ok('PUT', `/v2.0/floatingips/${floatingip.id}`, 200, ALICE, { floatingip: { port_id: null } });
      await s.ok('DELETE', `/v2.0/floatingips/${floatingip.id}`, 204);
      await s.ok('DELETE', `/v2.0/ports/${port.id}`, 204);
      assert.deepEqual(
        nova.events.map((e) => `${e.name} ${e.server_uuid} ${e.tag === port.id}`),
        ['network-changed vm-ev true', 'network-changed vm-ev true', 'network-vif-deleted vm-ev true'],
      );
    });
  });
}
