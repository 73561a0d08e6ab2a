// An agent in another process reaches the network service's agent registry over the message bus.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../common/clock.ts';
import { silentLogger } from '../common/log.ts';
import { testDialects } from '../db/test-dialects.ts';
import { createTransport, type Transport } from '../rpc/index.ts';
import { listenForAgents, rpcAgentServer } from './agent-rpc.ts';
import { AgentRegistry } from './agents.ts';
import { ALICE, auth, recordingNova, type TestNetworkService, testNetworkService } from './test-support.ts';

const NOVA = auth('nova:service');
const d = testDialects()[0];

describe('agent RPC (q-plugin / q-reports-plugin)', () => {
  let s: TestNetworkService;
  let transport: Transport;
  const nova = recordingNova();
  const registry = new AgentRegistry(new ManualClock(Date.UTC(2026, 11, 6)), 75);
  before(async () => {
    s = await testNetworkService(await d.open(['network']), { nova, agents: registry });
    transport = await createTransport('memory://');
    await listenForAgents(transport, registry, silentLogger());
  });
  after(async () => {
    await transport.close();
    await s.close();
    await d.cleanup();
  });

  test('report_state makes the host served; update_device_list turns its port ACTIVE with network-vif-plugged', async () => {
    const agent = rpcAgentServer(transport, silentLogger());
    agent.reportState(['c9'], { bridge_mappings: {} });
    for (let i = 0; i < 50 && !registry.serves('c9'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(registry.serves('c9'), 'the cast heartbeat arrived');
    const net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'n' } })).network.id;
    const port = (
      await s.ok('POST', '/v2.0/ports', 201, ALICE, {
        port: { network_id: net, device_id: 'vm-9', device_owner: 'compute:nova' },
      })
    ).port;
    const bound = await s.ok('PUT', `/v2.0/ports/${port.id}`, 200, NOVA, {
      port: { 'binding:host_id': 'c9' },
    });
    assert.equal(bound.port.status, 'DOWN');
    await agent.devicesUp('c9', [port.id]);
    assert.equal((await s.ok('GET', `/v2.0/ports/${port.id}`, 200)).port.status, 'ACTIVE');
    await agent.devicesDown('c9', [port.id]);
    assert.equal((await s.ok('GET', `/v2.0/ports/${port.id}`, 200)).port.status, 'DOWN');
    assert.deepEqual(
      nova.events.filter((e) => e.tag === port.id).map((e) => e.name),
      ['network-vif-plugged', 'network-vif-unplugged'],
    );
  });
});
