import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import {
  ADMIN,
  ALICE,
  auth,
  BOB,
  type Json,
  type TestNetworkService,
  testNetworkService,
} from '../test-support.ts';

const NOVA = auth('nova:service');

for (const d of testDialects()) {
  describe(`network API ports on ${d.name}`, () => {
    let s: TestNetworkService;
    let net: string;
    let sub: string;
    before(async () => {
      s = await testNetworkService(await d.open(['network']));
      net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'n' } })).network.id;
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
    const port = async (body: Json = {}, headers = ALICE) =>
      (await s.ok('POST', '/v2.0/ports', 201, headers, { port: { network_id: net, ...body } })).port;

    test('create: an address from the pool, a fa:16:3e MAC, the default security group, unbound', async () => {
      const p = await port({ name: 'p', device_id: 'vm-1', device_owner: 'compute:nova' });
      assert.deepEqual(p.fixed_ips, [{ subnet_id: sub, ip_address: '10.0.0.2' }]);
      assert.match(p.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
      assert.equal(p.status, 'DOWN');
      assert.equal(p.device_id, 'vm-1');
      assert.equal(p.device_owner, 'compute:nova');
      assert.equal(p.port_security_enabled, true);
      assert.equal(p.security_groups.length, 1);
      const sg = await s.ok('GET', `/v2.0/security-groups/${p.security_groups[0]}`, 200);
      assert.equal(sg.security_group.name, 'default');
      assert.equal('binding:host_id' in p, false, 'binding attributes are admin-only');
      const admin = await s.ok('GET', `/v2.0/ports/${p.id}`, 200, ADMIN);
      assert.equal(admin.port['binding:vif_type'], 'unbound');
      assert.equal(admin.port['binding:vnic_type'], 'normal');
    });

    test('fixed IPs asked for: by address, by subnet; taken, invalid, other network', async () => {
      const p = await port({ fixed_ips: [{ ip_address: '10.0.0.50' }] });
      assert.deepEqual(p.fixed_ips, [{ subnet_id: sub, ip_address: '10.0.0.50' }]);
      const q = await port({ fixed_ips: [{ subnet_id: sub }] });
      assert.equal(q.fixed_ips[0].subnet_id, sub);
      const msg = await s.fails('POST', '/v2.0/ports', 409, 'IpAddressAlreadyAllocated', ALICE, {
        port: { network_id: net, fixed_ips: [{ ip_address: '10.0.0.50' }] },
      });
      assert.equal(msg, `IP address 10.0.0.50 already allocated in subnet ${sub}`);
      await s.fails('POST', '/v2.0/ports', 400, 'InvalidInput', ALICE, {
        port: { network_id: net, fixed_ips: [{ ip_address: '10.9.9.9' }] },
      });
      await s.fails('POST', '/v2.0/ports', 400, 'InvalidInput', ALICE, {
        port: { network_id: net, fixed_ips: [{ subnet_id: sub, ip_address: '10.0.0.255' }] },
      });
      await s.fails('POST', '/v2.0/ports', 400, 'HTTPBadRequest', ALICE, {
        port: { network_id: net, fixed_ips: [{ ip_address: 'nope' }] },
      });
      // Changing the addresses: keep one, take another; release on delete.
      const upd = await s.ok('PUT', `/v2.0/ports/${p.id}`, 200, ALICE, {
        port: { fixed_ips: [{ ip_address: '10.0.0.50' }, { ip_address: '10.0.0.51' }] },
      });
      assert.deepEqual(
        upd.port.fixed_ips.map((f: Json) => f.ip_address),
        ['10.0.0.50', '10.0.0.51'],
      );
      await s.ok('DELETE', `/v2.0/ports/${p.id}`, 204);
      assert.equal(
        (await port({ fixed_ips: [{ ip_address: '10.0.0.50' }] })).fixed_ips[0].ip_address,
        '10.0.0.50',
      );
    });

    test('MAC addresses: given, duplicate on the network, invalid', async () => {
      const p = await port({ mac_address: 'FA:16:3E:00:00:01' });
      assert.equal(p.mac_address, 'fa:16:3e:00:00:01');
      await s.fails('POST', '/v2.0/ports', 409, 'MacAddressInUse', ALICE, {
        port: { network_id: net, mac_address: 'fa:16:3e:00:00:01' },
      });
      await s.fails('POST', '/v2.0/ports', 400, 'HTTPBadRequest', ALICE, {
        port: { network_id: net, mac_address: 'zz:16:3e:00:00:01' },
      });
    });

    test('binding: the service binds a port to a host (bridge VIF), members may not', async () => {
      const p = await port({ device_id: 'vm-2', device_owner: 'compute:nova' });
      await s.fails('PUT', `/v2.0/ports/${p.id}`, 403, 'PolicyNotAuthorized', ALICE, {
        port: { 'binding:host_id': 'node1' },
      });
      const bound = await s.ok('PUT', `/v2.0/ports/${p.id}`, 200, ADMIN, {
        port: { 'binding:host_id': 'node1', 'binding:profile': { foo: 'bar' } },
      });
      assert.equal(bound.port['binding:host_id'], 'node1');
      assert.equal(bound.port['binding:vif_type'], 'bridge');
      assert.equal(bound.port['binding:vif_details'].port_filter, true);
      assert.equal(bound.port.status, 'ACTIVE');
      assert.deepEqual(bound.port['binding:profile'], { foo: 'bar' });
      const byService = await s.ok('PUT', `/v2.0/ports/${p.id}`, 200, NOVA, {
        port: { 'binding:host_id': '' },
      });
      assert.equal(byService.port['binding:vif_type'], 'unbound');
      await s.fails('PUT', `/v2.0/ports/${p.id}`, 400, 'HTTPBadRequest', ADMIN, {
        port: { 'binding:vif_type': 'ovs' },
      });
    });

    test('port security: off means no groups; groups of other projects are not found', async () => {
      const p = await port({ port_security_enabled: false });
      assert.deepEqual(p.security_groups, []);
      const [mine] = (await s.ok('GET', '/v2.0/security-groups?name=default', 200)).security_groups;
      await s.fails('POST', '/v2.0/ports', 409, 'PortSecurityAndIPRequiredForSecurityGroups', ALICE, {
        port: { network_id: net, port_security_enabled: false, security_groups: [mine.id] },
      });
      const bobs = await s.ok('POST', '/v2.0/security-groups', 201, BOB, { security_group: { name: 'b' } });
      await s.fails('POST', '/v2.0/ports', 404, 'SecurityGroupNotFound', ALICE, {
        port: { network_id: net, security_groups: [bobs.security_group.id] },
      });
      const pairs = await port({ allowed_address_pairs: [{ ip_address: '10.0.0.200/32' }] });
      assert.deepEqual(pairs.allowed_address_pairs, [{ ip_address: '10.0.0.200/32' }]);
    });

    test('ownership: other projects cannot see or use a private network', async () => {
      const p = await port();
      await s.fails('GET', `/v2.0/ports/${p.id}`, 404, 'PortNotFound', BOB);
      await s.fails('DELETE', `/v2.0/ports/${p.id}`, 404, 'PortNotFound', BOB);
      await s.fails('POST', '/v2.0/ports', 404, 'NetworkNotFound', BOB, { port: { network_id: net } });
      const list = await s.ok('GET', '/v2.0/ports', 200, BOB);
      assert.equal(list.ports.length, 0);
      // The admin may create a port for another project on it.
      const forBob = await s.ok('POST', '/v2.0/ports', 201, ADMIN, {
        port: { network_id: net, project_id: 'p2' },
      });
      assert.equal(forBob.port.project_id, 'p2');
      assert.equal((await s.ok('GET', '/v2.0/ports', 200, BOB)).ports.length, 1);
    });

    test('lists: filters (repeated = OR, fixed_ips), fields, sorting, pagination', async () => {
      const a = await port({ name: 'list-a', device_id: 'dev-a' });
      const b = await port({ name: 'list-b', device_id: 'dev-b' });
      await port({ name: 'list-c', device_id: 'dev-c' });
      const byDevice = await s.ok('GET', '/v2.0/ports?device_id=dev-a&device_id=dev-b', 200);
      assert.deepEqual(byDevice.ports.map((p: Json) => p.name).sort(), ['list-a', 'list-b']);
      const byIp = await s.ok('GET', `/v2.0/ports?fixed_ips=ip_address%3D${b.fixed_ips[0].ip_address}`, 200);
      assert.deepEqual(
        byIp.ports.map((p: Json) => p.id),
        [b.id],
      );
      const fields = await s.ok('GET', `/v2.0/ports?id=${a.id}&fields=id&fields=name`, 200);
      assert.deepEqual(fields.ports, [{ id: a.id, name: 'list-a' }]);
      const sorted = await s.ok(
        'GET',
        '/v2.0/ports?name=list-a&name=list-b&name=list-c&sort_key=name&sort_dir=desc',
        200,
      );
      assert.deepEqual(
        sorted.ports.map((p: Json) => p.name),
        ['list-c', 'list-b', 'list-a'],
      );
      const page1 = await s.ok(
        'GET',
        '/v2.0/ports?name=list-a&name=list-b&name=list-c&sort_key=name&limit=2',
        200,
      );
      assert.deepEqual(
        page1.ports.map((p: Json) => p.name),
        ['list-a', 'list-b'],
      );
      const next = page1.ports_links.find((l: Json) => l.rel === 'next');
      assert.ok(next, JSON.stringify(page1.ports_links));
      const page2 = await s.ok('GET', new URL(next.href).pathname + new URL(next.href).search, 200);
      assert.deepEqual(
        page2.ports.map((p: Json) => p.name),
        ['list-c'],
      );
      assert.ok(page2.ports_links.some((l: Json) => l.rel === 'previous'));
      await s.fails('GET', '/v2.0/ports?bogus=1', 400, 'HTTPBadRequest');
      await s.fails('GET', '/v2.0/ports?sort_key=bogus', 400, 'HTTPBadRequest');
      const shown = await s.ok('GET', `/v2.0/ports/${a.id}?fields=mac_address`, 200);
      assert.deepEqual(Object.keys(shown.port), ['mac_address']);
    });
  });
}
