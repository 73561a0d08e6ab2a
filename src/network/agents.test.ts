// Port status as the L2 agents report it, the network-vif-plugged / -unplugged events Nova gets
// from it, and GET /v2.0/agents.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../common/clock.ts';
import { testDialects } from '../db/test-dialects.ts';
import { AgentRegistry } from './agents.ts';
import {
  ADMIN,
  ALICE,
  auth,
  type Json,
  recordingNova,
  type TestNetworkService,
  testNetworkService,
} from './test-support.ts';

const NOVA = auth('nova:service');

for (const d of testDialects().slice(0, 1)) {
  describe(`network agents and port status (${d.name})`, () => {
    let s: TestNetworkService;
    let net: string;
    const nova = recordingNova();
    const clock = new ManualClock(Date.UTC(2026, 11, 6, 12));
    const agents = new AgentRegistry(clock, 75);
    before(async () => {
      s = await testNetworkService(await d.open(['network']), { nova, agents });
      net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: { name: 'n' } })).network.id;
      await s.ok('POST', '/v2.0/subnets', 201, ALICE, {
        subnet: { network_id: net, ip_version: 4, cidr: '10.0.0.0/24' },
      });
    });
    after(async () => {
      await s.close();
      await d.cleanup();
    });
    const guestPort = async (vm: string) =>
      (
        await s.ok('POST', '/v2.0/ports', 201, ALICE, {
          port: { network_id: net, device_id: vm, device_owner: 'compute:nova' },
        })
      ).port as Json;
    const bind = async (id: string, host: string) =>
      (await s.ok('PUT', `/v2.0/ports/${id}`, 200, NOVA, { port: { 'binding:host_id': host } })).port as Json;
    const eventsFor = (tag: string) => nova.events.filter((e) => e.tag === tag).map((e) => e.name);

    test('bound to a host without an agent: ACTIVE at once, and Nova hears network-vif-plugged', async () => {
      const p = await guestPort('vm-1');
      assert.equal(p.status, 'DOWN');
      const b = await bind(p.id, 'compute-a');
      assert.equal(b.status, 'ACTIVE');
      assert.deepEqual(eventsFor(p.id), ['network-vif-plugged']);
      assert.equal(nova.events.find((e) => e.tag === p.id)?.server_uuid, 'vm-1');
    });

    test('bound to a host with an alive agent: DOWN until the agent reports the device up', async () => {
      agents.reportState(['compute-b']);
      const p = await guestPort('vm-2');
      assert.equal((await bind(p.id, 'compute-b')).status, 'DOWN');
      assert.deepEqual(eventsFor(p.id), []);
      await agents.devicesUp('compute-a', [p.id]);
      assert.equal(
        (await s.ok('GET', `/v2.0/ports/${p.id}`, 200)).port.status,
        'DOWN',
        'another host’s agent cannot',
      );
      await agents.devicesUp('compute-b', [p.id]);
      assert.equal((await s.ok('GET', `/v2.0/ports/${p.id}`, 200)).port.status, 'ACTIVE');
      assert.deepEqual(eventsFor(p.id), ['network-vif-plugged']);
      await agents.devicesUp('compute-b', [p.id]);
      assert.deepEqual(eventsFor(p.id), ['network-vif-plugged'], 'no second event without a change');
      await agents.devicesDown('compute-b', [p.id]);
      assert.equal((await s.ok('GET', `/v2.0/ports/${p.id}`, 200)).port.status, 'DOWN');
      assert.deepEqual(eventsFor(p.id), ['network-vif-plugged', 'network-vif-unplugged']);
    });

    test('GET /v2.0/agents: admin only; alive from the heartbeat, dead after agent_down_time', async () => {
      const list = (await s.ok('GET', '/v2.0/agents', 200, ADMIN)).agents as Json[];
      const a = list.find((x) => x.host === 'compute-b');
      assert.ok(a, JSON.stringify(list));
      assert.equal(a.agent_type, 'Linux bridge agent');
      assert.equal(a.binary, 'neutron-linuxbridge-agent');
      assert.equal(a.alive, true);
      assert.match(a.heartbeat_timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.equal((await s.ok('GET', `/v2.0/agents/${a.id}`, 200, ADMIN)).agent.host, 'compute-b');
      await s.fails('GET', '/v2.0/agents', 403, 'PolicyNotAuthorized', ALICE);
      await s.fails('GET', '/v2.0/agents/nope', 404, 'AgentNotFound', ADMIN);
      clock.advance(76_000);
      assert.equal((await s.ok('GET', `/v2.0/agents/${a.id}`, 200, ADMIN)).agent.alive, false);
      const p = await guestPort('vm-3');
      assert.equal((await bind(p.id, 'compute-b')).status, 'ACTIVE', 'a dead agent’s host: nothing waits');
    });
  });
}
