import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import { ADMIN, ALICE, BOB, type TestNetworkService, testNetworkService } from '../test-support.ts';

for (const d of testDialects()) {
  describe(`network API quotas and auto-allocated topology on ${d.name}`, () => {
    let s: TestNetworkService;
    before(async () => {
      s = await testNetworkService(await d.open(['network']));
    });
    after(async () => {
      await s.close();
      await d.cleanup();
    });

    test('quotas: defaults, admin update, enforcement (OverQuota 409), details, reset', async () => {
      const q = await s.ok('GET', '/v2.0/quotas/p1', 200);
      assert.equal(q.quota.network, 100);
      assert.equal(q.quota.port, 500);
      await s.fails('PUT', '/v2.0/quotas/p1', 403, 'PolicyNotAuthorized', ALICE, { quota: { network: 1 } });
      await s.fails('GET', '/v2.0/quotas/p1', 403, 'PolicyNotAuthorized', BOB);
      const upd = await s.ok('PUT', '/v2.0/quotas/p1', 200, ADMIN, { quota: { network: 1 } });
      assert.equal(upd.quota.network, 1);
      await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: {} });
      const msg = await s.fails('POST', '/v2.0/networks', 409, 'OverQuota', ALICE, { network: {} });
      assert.equal(msg, "Quota exceeded for resources: ['network'].");
      const details = await s.ok('GET', '/v2.0/quotas/p1/details', 200);
      assert.deepEqual(details.quota.network, { limit: 1, used: 1, reserved: 0 });
      const list = await s.ok('GET', '/v2.0/quotas', 200, ADMIN);
      assert.deepEqual(
        list.quotas.map((x: { project_id: string }) => x.project_id),
        ['p1'],
      );
      assert.equal((await s.ok('GET', '/v2.0/quotas/p1/default', 200)).quota.network, 100);
      await s.fails('PUT', '/v2.0/quotas/p1', 400, 'HTTPBadRequest', ADMIN, { quota: { widgets: 1 } });
      await s.ok('DELETE', '/v2.0/quotas/p1', 204, ADMIN);
      assert.equal((await s.ok('GET', '/v2.0/quotas/p1', 200)).quota.network, 100);
    });

    test('auto-allocated topology: needs a default external network, then one per project', async () => {
      await s.fails('GET', '/v2.0/auto-allocated-topology/p2', 409, 'AutoAllocationFailure', BOB);
      const ext = (
        await s.ok('POST', '/v2.0/networks', 201, ADMIN, {
          network: { name: 'public', 'router:external': true, is_default: true },
        })
      ).network.id;
      await s.ok('POST', '/v2.0/subnets', 201, ADMIN, {
        subnet: { network_id: ext, ip_version: 4, cidr: '198.51.100.0/24' },
      });
      await s.fails('POST', '/v2.0/networks', 409, 'DefaultExternalNetworkExists', ADMIN, {
        network: { 'router:external': true, is_default: true },
      });
      const dry = await s.ok('GET', '/v2.0/auto-allocated-topology/p2?fields=dry-run', 200, BOB);
      assert.equal(dry.auto_allocated_topology.dry_run, 'pass');
      const [a, b] = await Promise.all([
        s.ok('GET', '/v2.0/auto-allocated-topology/p2', 200, BOB),
        s.ok('GET', '/v2.0/auto-allocated-topology/p2', 200, BOB),
      ]);
      assert.equal(a.auto_allocated_topology.id, b.auto_allocated_topology.id);
      assert.equal(a.auto_allocated_topology.project_id, 'p2');
      const nets = await s.ok('GET', '/v2.0/networks?name=auto_allocated_network', 200, BOB);
      assert.equal(nets.networks.length, 1);
      assert.equal(nets.networks[0].subnets.length, 1);
      const routers = await s.ok('GET', '/v2.0/routers', 200, BOB);
      assert.equal(routers.routers.length, 1);
      assert.equal(routers.routers[0].external_gateway_info.network_id, ext);
      const { port } = await s.ok('POST', '/v2.0/ports', 201, BOB, {
        port: { network_id: a.auto_allocated_topology.id },
      });
      assert.match(port.fixed_ips[0].ip_address, /^10\.0\.0\.\d+$/);
      await s.fails('GET', '/v2.0/auto-allocated-topology/p2', 403, 'PolicyNotAuthorized', ALICE);
      await s.ok('DELETE', `/v2.0/ports/${port.id}`, 204, BOB);
      await s.ok('DELETE', '/v2.0/auto-allocated-topology/p2', 204, BOB);
      assert.equal((await s.ok('GET', '/v2.0/routers', 200, BOB)).routers.length, 0);
      assert.equal(
        (await s.ok('GET', '/v2.0/networks?name=auto_allocated_network', 200, BOB)).networks.length,
        0,
      );
    });
  });
}
