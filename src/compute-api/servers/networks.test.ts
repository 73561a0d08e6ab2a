// POST /servers' networks checked with the caller's token against a (listening) embedded network service.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuthContext } from '../../auth/types.ts';
import { loadConfig } from '../../config/index.ts';
import { testDialects } from '../../db/test-dialects.ts';
import { ALICE, type TestNetworkService, testNetworkService } from '../../network/test-support.ts';
import { checkRequestedNetworks } from './networks.ts';

const [d] = testDialects();
const caller = (token: string, project: string): AuthContext => ({
  token,
  user_id: token.split(':')[0],
  project_id: project,
  roles: ['member', 'reader'],
  is_admin_project: false,
});

describe('POST /servers networks checked against the network service', () => {
  let s: TestNetworkService;
  let conf: ReturnType<typeof loadConfig>['conf'];
  let net: string;
  before(async () => {
    s = await testNetworkService(await d.open(['network']));
    const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    conf = loadConfig({
      env: {},
      hostFacts: { hostname: 'node1', myIp: '127.0.0.1' },
      overrides: [{ group: 'neutron', name: 'endpoint_override', value: url }],
    }).conf;
    net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'a' } })).network.id;
  });
  after(async () => {
    await s.close();
    await d.cleanup();
  });
  const alice = caller('alice:p1', 'p1');

  test('a visible network passes; an unknown or foreign one is a 400 NetworkNotFound', async () => {
    await checkRequestedNetworks(conf, alice, [{ network_id: net }]);
    await assert.rejects(
      checkRequestedNetworks(conf, caller('bob:p2', 'p2'), [{ network_id: net }]),
      (e: Error & { status?: number }) => {
        assert.equal(e.status, 400);
        assert.equal(e.message, `Network ${net} could not be found.`);
        return true;
      },
    );
  });

  test('ports: unknown is a 400, one in use a 409', async () => {
    const { port } = await s.ok('POST', '/v2.0/ports', 201, ALICE, { port: { network_id: net } });
    await checkRequestedNetworks(conf, alice, [{ port_id: port.id }]);
    await s.ok('PUT', `/v2.0/ports/${port.id}`, 200, ALICE, { port: { device_id: 'other-vm' } });
    await assert.rejects(checkRequestedNetworks(conf, alice, [{ port_id: port.id }]), /still in use/);
    await assert.rejects(
      checkRequestedNetworks(conf, alice, [{ port_id: '00000000-0000-0000-0000-000000000000' }]),
      /could not be found/,
    );
  });

  test('auto: fine with one network, 409 with two', async () => {
    await checkRequestedNetworks(conf, alice, 'auto');
    await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'b' } });
    await assert.rejects(checkRequestedNetworks(conf, alice, 'auto'), /Multiple possible networks/);
    await checkRequestedNetworks(conf, caller('bob:p2', 'p2'), 'auto');
  });

  test('security groups: the default and own groups pass, an unknown one is a 400', async () => {
    await checkRequestedNetworks(conf, alice, 'none', ['default']);
    await assert.rejects(
      checkRequestedNetworks(conf, alice, 'none', ['nope']),
      (e: Error & { status?: number }) => {
        assert.equal(e.status, 400);
        assert.match(e.message, /Security group nope not found for project p1/);
        return true;
      },
    );
  });
});
