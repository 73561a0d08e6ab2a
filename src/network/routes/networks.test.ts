import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import { ADMIN, ALICE, BOB, type TestNetworkService, testNetworkService } from '../test-support.ts';

for (const d of testDialects()) {
  describe(`network API networks on ${d.name}`, () => {
    let s: TestNetworkService;
    before(async () => {
      s = await testNetworkService(await d.open(['network']));
    });
    after(async () => {
      await s.close();
      await d.cleanup();
    });

    test('create: Neutron defaults, owner = caller, provider attributes hidden from members', async () => {
      const { network } = await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'n1' } });
      assert.equal(network.name, 'n1');
      assert.equal(network.project_id, 'p1');
      assert.equal(network.tenant_id, 'p1');
      assert.equal(network.status, 'ACTIVE');
      assert.equal(network.admin_state_up, true);
      assert.equal(network.shared, false);
      assert.equal(network['router:external'], false);
      assert.equal(network.mtu, 1500);
      assert.equal(network.port_security_enabled, true);
      assert.deepEqual(network.subnets, []);
      assert.match(network.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(network.revision_number, 0);
      assert.equal('provider:network_type' in network, false);
      const admin = await s.ok('GET', `/v2.0/networks/${network.id}`, 200, ADMIN);
      assert.equal(admin.network['provider:network_type'], 'local');
    });

    test('visibility: other projects get 404, shared and external networks are visible', async () => {
      const { network: priv } = await s.ok('POST', '/v2.0/networks', 201, ALICE, {
        network: { name: 'private' },
      });
      await s.fails('GET', `/v2.0/networks/${priv.id}`, 404, 'NetworkNotFound', BOB);
      const { network: shared } = await s.ok('POST', '/v2.0/networks', 201, ADMIN, {
        network: { name: 'shared', shared: true },
      });
      const { network: ext } = await s.ok('POST', '/v2.0/networks', 201, ADMIN, {
        network: { name: 'public', 'router:external': true },
      });
      const list = await s.ok('GET', '/v2.0/networks', 200, BOB);
      const ids = list.networks.map((n: { id: string }) => n.id);
      assert.ok(ids.includes(shared.id) && ids.includes(ext.id));
      assert.ok(!ids.includes(priv.id));
      await s.fails('PUT', `/v2.0/networks/${shared.id}`, 403, 'PolicyNotAuthorized', BOB, {
        network: { name: 'x' },
      });
      await s.fails('DELETE', `/v2.0/networks/${priv.id}`, 404, 'NetworkNotFound', BOB);
    });

    test('policy: members may not create shared, external or provider networks', async () => {
      const msg = await s.fails('POST', '/v2.0/networks', 403, 'PolicyNotAuthorized', ALICE, {
        network: { shared: true },
      });
      assert.match(msg, /create_network:shared/);
      await s.fails('POST', '/v2.0/networks', 403, 'PolicyNotAuthorized', ALICE, {
        network: { 'provider:network_type': 'vlan' },
      });
      await s.fails('POST', '/v2.0/networks', 400, 'HTTPBadRequest', ALICE, {
        network: { project_id: 'p2' },
      });
    });

    test('provider networks: flat needs a physnet, vlan a segment in range, no segment twice', async () => {
      const body = (n: Record<string, unknown>) => ({ network: n });
      await s.fails(
        'POST',
        '/v2.0/networks',
        400,
        'InvalidInput',
        ADMIN,
        body({ 'provider:network_type': 'flat' }),
      );
      await s.fails(
        'POST',
        '/v2.0/networks',
        400,
        'InvalidInput',
        ADMIN,
        body({
          'provider:network_type': 'vlan',
          'provider:physical_network': 'physnet1',
          'provider:segmentation_id': 5000,
        }),
      );
      const vlan = {
        'provider:network_type': 'vlan',
        'provider:physical_network': 'physnet1',
        'provider:segmentation_id': 100,
      };
      const { network } = await s.ok('POST', '/v2.0/networks', 201, ADMIN, body(vlan));
      assert.equal(network['provider:segmentation_id'], 100);
      await s.fails('POST', '/v2.0/networks', 409, 'SegmentationIdInUse', ADMIN, body(vlan));
    });

    test('bad input: unknown attribute, wrong types, malformed JSON, missing body', async () => {
      let msg = await s.fails('POST', '/v2.0/networks', 400, 'HTTPBadRequest', ALICE, {
        network: { foo: 1 },
      });
      assert.match(msg, /Unrecognized attribute\(s\) 'foo'/);
      msg = await s.fails('POST', '/v2.0/networks', 400, 'HTTPBadRequest', ALICE, {
        network: { admin_state_up: 'x' },
      });
      assert.match(msg, /Invalid input for admin_state_up/);
      await s.fails('POST', '/v2.0/networks', 400, 'HTTPBadRequest', ALICE, { network: { status: 'DOWN' } });
      await s.fails('POST', '/v2.0/networks', 400, 'HTTPBadRequest', ALICE, { net: {} });
      const res = await s.app.inject({
        method: 'POST',
        url: '/v2.0/networks',
        headers: { ...ALICE, 'content-type': 'application/json' },
        payload: '{"network": ',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().NeutronError.type, 'MalformedRequestBody');
      await s.fails('GET', '/v2.0/nothing-here', 404, 'HTTPNotFound');
      const unauth = await s.app.inject({ method: 'GET', url: '/v2.0/networks' });
      assert.equal(unauth.statusCode, 401);
    });

    test('update and delete; NetworkInUse while ports remain', async () => {
      const { network } = await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'a' } });
      const upd = await s.ok('PUT', `/v2.0/networks/${network.id}`, 200, ALICE, {
        network: { name: 'b', mtu: 1400 },
      });
      assert.equal(upd.network.name, 'b');
      assert.equal(upd.network.mtu, 1400);
      assert.equal(upd.network.revision_number, 1);
      await s.fails('PUT', `/v2.0/networks/${network.id}`, 400, 'HTTPBadRequest', ALICE, {
        network: { id: 'x' },
      });
      const { port } = await s.ok('POST', '/v2.0/ports', 201, ALICE, { port: { network_id: network.id } });
      await s.fails('DELETE', `/v2.0/networks/${network.id}`, 409, 'NetworkInUse');
      await s.ok('DELETE', `/v2.0/ports/${port.id}`, 204);
      await s.ok('DELETE', `/v2.0/networks/${network.id}`, 204);
      await s.fails('GET', `/v2.0/networks/${network.id}`, 404, 'NetworkNotFound');
    });

    test('discovery: versions, resources and extensions', async () => {
      const root = await s.app.inject({ method: 'GET', url: '/' });
      assert.equal(root.statusCode, 200);
      assert.equal(root.json().versions[0].id, 'v2.0');
      const ext = await s.ok('GET', '/v2.0/extensions', 200);
      const aliases = ext.extensions.map((e: { alias: string }) => e.alias);
      for (const a of [
        'router',
        'security-group',
        'external-net',
        'quotas',
        'binding',
        'auto-allocated-topology',
      ])
        assert.ok(aliases.includes(a), a);
      assert.equal((await s.ok('GET', '/v2.0/extensions/router', 200)).extension.alias, 'router');
      await s.fails('GET', '/v2.0/extensions/dns-integration', 404, 'ExtensionNotFound');
    });
  });
}
