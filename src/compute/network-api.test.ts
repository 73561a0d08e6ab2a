// Nova's side of networking against the embedded network service (in process): ports made and
// bound at build, the network info cache they give, and their release.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../common/log.ts';
import { addressesOf } from '../compute-api/server-list/addresses.ts';
import { testDialects } from '../db/test-dialects.ts';
import { injectFetch } from '../network/test-fetch.ts';
import {
  ADMIN,
  ALICE,
  type Json,
  type TestNetworkService,
  testNetworkService,
} from '../network/test-support.ts';
import { NetworkClient } from '../network-client/client.ts';
import {
  allocateForInstance,
  deallocateForInstance,
  NetworkAmbiguous,
  networkInfoFor,
} from './network-api.ts';

const [d] = testDialects();
const log = silentLogger();

describe('compute network API against the embedded network service', () => {
  let s: TestNetworkService;
  let client: NetworkClient;
  let net: string;
  before(async () => {
    s = await testNetworkService(await d.open(['network']));
    client = new NetworkClient({
      endpoint: 'http://network.test:9696',
      token: 'admin:adm',
      fetch: injectFetch(s.app),
    });
    net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'private' } })).network.id;
    await s.ok('POST', '/v2.0/subnets', 201, ALICE, {
      subnet: { network_id: net, ip_version: 4, cidr: '10.0.0.0/24', dns_nameservers: ['10.0.0.53'] },
    });
  });
  after(async () => {
    await s.close();
    await d.cleanup();
  });
  const req = (uuid: string, requested: Parameters<typeof allocateForInstance>[1]['requested']) => ({
    instance_uuid: uuid,
    project_id: 'p1',
    host: 'node1',
    availability_zone: null,
    requested,
  });

  test('a requested network: a port bound to the host, the cache in upstream shape, deleted on release', async () => {
    const vifs = await allocateForInstance(client, req('vm-1', [{ network_id: net }]), log);
    assert.equal(vifs.length, 1);
    const vif = vifs[0] as Json;
    assert.match(String(vif.address), /^fa:16:3e/);
    assert.equal(vif.type, 'bridge');
    assert.equal(vif.preserve_on_delete, false);
    assert.equal(vif.network.label, 'private');
    assert.equal(vif.network.subnets[0].cidr, '10.0.0.0/24');
    assert.equal(vif.network.subnets[0].gateway.address, '10.0.0.1');
    assert.deepEqual(
      vif.network.subnets[0].dns.map((x: { address: string }) => x.address),
      ['10.0.0.53'],
    );
    assert.deepEqual(
      addressesOf(vifs).map((a) => `${a.label} ${a.address} ${a.type}`),
      ['private 10.0.0.2 fixed'],
    );
    const { port } = await s.ok('GET', `/v2.0/ports/${vif.id}`, 200, ADMIN);
    assert.equal(port.device_id, 'vm-1');
    assert.equal(port.device_owner, 'compute:nova');
    assert.equal(port['binding:host_id'], 'node1');
    assert.equal(port.project_id, 'p1');
    await deallocateForInstance(client, 'vm-1', vifs, log);
    await s.fails('GET', `/v2.0/ports/${vif.id}`, 404, 'PortNotFound', ADMIN);
  });

  test("a user's port: taken and bound, then unbound and kept; a port in use is refused", async () => {
    const { port } = await s.ok('POST', '/v2.0/ports', 201, ALICE, { port: { network_id: net } });
    const vifs = await allocateForInstance(client, req('vm-2', [{ port_id: port.id }]), log);
    assert.equal((vifs[0] as Record<string, unknown>).preserve_on_delete, true);
    await assert.rejects(
      allocateForInstance(client, req('vm-3', [{ port_id: port.id }]), log),
      /still in use/,
    );
    await deallocateForInstance(client, 'vm-2', vifs, log);
    const after = (await s.ok('GET', `/v2.0/ports/${port.id}`, 200, ADMIN)).port;
    assert.equal(after.device_id, '');
    assert.equal(after['binding:host_id'], '');
  });

  test('a fixed IP; a failure part-way gives back what was taken', async () => {
    const vifs = await allocateForInstance(
      client,
      req('vm-4', [{ network_id: net, fixed_ip: '10.0.0.77' }]),
      log,
    );
    assert.equal(addressesOf(vifs)[0].address, '10.0.0.77');
    await assert.rejects(
      allocateForInstance(
        client,
        req('vm-5', [{ network_id: net }, { network_id: net, fixed_ip: '10.0.0.77' }]),
        log,
      ),
      /already allocated/,
    );
    assert.equal((await s.ok('GET', '/v2.0/ports?device_id=vm-5', 200, ADMIN)).ports.length, 0);
  });

  test('auto: the one network there is; none without a network or a default external one; ambiguous with two', async () => {
    const one = await allocateForInstance(client, req('vm-6', 'auto'), log);
    assert.equal((one[0] as Json).network.id, net);
    assert.deepEqual(
      await allocateForInstance(client, { ...req('vm-7', 'auto'), project_id: 'empty' }, log),
      [],
    );
    assert.deepEqual(await allocateForInstance(client, req('vm-8', 'none'), log), []);
    await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'second' } });
    await assert.rejects(allocateForInstance(client, req('vm-9', 'auto'), log), NetworkAmbiguous);
  });

  test('a refresh (network-changed) brings a floating IP into the cache and keeps VIF order', async () => {
    const ext = (
      await s.ok('POST', '/v2.0/networks', 201, ADMIN, {
        network: { name: 'public', 'router:external': true },
      })
    ).network.id;
    await s.ok('POST', '/v2.0/subnets', 201, ADMIN, {
      subnet: { network_id: ext, ip_version: 4, cidr: '198.51.100.0/24' },
    });
    const { router } = await s.ok('POST', '/v2.0/routers', 201, ALICE, {
      router: { external_gateway_info: { network_id: ext } },
    });
    const [sub] = (await s.ok('GET', `/v2.0/subnets?network_id=${net}`, 200)).subnets;
    await s.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, 200, ALICE, { subnet_id: sub.id });
    const vifs = await allocateForInstance(
      client,
      req('vm-10', [{ network_id: net }, { network_id: net }]),
      log,
    );
    const second = String(vifs[1].id);
    await s.ok('POST', '/v2.0/floatingips', 201, ALICE, {
      floatingip: { floating_network_id: ext, port_id: second },
    });
    const fresh = await networkInfoFor(client, 'vm-10', vifs);
    assert.deepEqual(
      fresh.map((v) => v.id),
      vifs.map((v) => v.id),
    );
    const floating = addressesOf(fresh).filter((a) => a.type === 'floating');
    assert.equal(floating.length, 1);
    assert.match(floating[0].address, /^198\.51\.100\./);
  });

  test('security groups named at create: the ports Nova makes get them; an unknown one is refused', async () => {
    const web = (await s.ok('POST', '/v2.0/security-groups', 201, ALICE, { security_group: { name: 'web' } }))
      .security_group;
    const vifs = await allocateForInstance(
      client,
      { ...req('vm-11', [{ network_id: net }]), security_groups: ['web'] },
      log,
    );
    const { port } = await s.ok('GET', `/v2.0/ports/${vifs[0].id}`, 200, ADMIN);
    assert.deepEqual(port.security_groups, [web.id]);
    await assert.rejects(
      allocateForInstance(client, { ...req('vm-12', [{ network_id: net }]), security_groups: ['nope'] }, log),
      /Security group nope not found/,
    );
  });
  test('no networks requested (before 2.37): the one network there is, never an auto-allocated one', async () => {
    const ext = (
      await s.ok('POST', '/v2.0/networks', 201, ADMIN, {
        network: { name: 'default-public', 'router:external': true, is_default: true },
      })
    ).network.id;
    await s.ok('POST', '/v2.0/subnets', 201, ADMIN, {
      subnet: { network_id: ext, ip_version: 4, cidr: '203.0.113.0/24' },
    });
    const lonely = (uuid: string, requested: 'auto' | null) => ({
      ...req(uuid, requested),
      project_id: 'lonely',
    });
    assert.deepEqual(await allocateForInstance(client, lonely('vm-20', null), log), []);
    assert.equal((await s.ok('GET', '/v2.0/networks?project_id=lonely', 200, ADMIN)).networks.length, 0);
    const auto = await allocateForInstance(client, lonely('vm-21', 'auto'), log);
    assert.equal(auto.length, 1);
    const made = (await s.ok('GET', '/v2.0/networks?project_id=lonely', 200, ADMIN)).networks;
    assert.equal(made.length, 1);
    // Now the project has a network: a build naming none takes it.
    const taken = await allocateForInstance(client, lonely('vm-22', null), log);
    assert.equal((taken[0] as Json).network.id, made[0].id);
  });
});
