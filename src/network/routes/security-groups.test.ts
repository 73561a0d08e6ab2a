import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import {
  ADMIN,
  ALICE,
  BOB,
  type Json,
  type TestNetworkService,
  testNetworkService,
} from '../test-support.ts';

for (const d of testDialects()) {
  describe(`network API security groups on ${d.name}`, () => {
    let s: TestNetworkService;
    before(async () => {
      s = await testNetworkService(await d.open(['network']));
    });
    after(async () => {
      await s.close();
      await d.cleanup();
    });
    const rule = (body: Json, headers = ALICE) =>
      s.req('POST', '/v2.0/security-group-rules', headers, { security_group_rule: body });

    test('the default group: made on first use, once, with the default rules', async () => {
      const [a, b] = await Promise.all([
        s.ok('GET', '/v2.0/security-groups', 200),
        s.ok('GET', '/v2.0/security-groups', 200),
      ]);
      assert.equal(a.security_groups.length, 1);
      assert.equal(b.security_groups[0].id, a.security_groups[0].id);
      const g = a.security_groups[0];
      assert.equal(g.name, 'default');
      const rules = g.security_group_rules.map(
        (r: Json) => `${r.direction} ${r.ethertype} ${r.remote_group_id === g.id ? 'self' : 'any'}`,
      );
      assert.deepEqual(rules.sort(), [
        'egress IPv4 any',
        'egress IPv6 any',
        'ingress IPv4 self',
        'ingress IPv6 self',
      ]);
      await s.fails('DELETE', `/v2.0/security-groups/${g.id}`, 409, 'SecurityGroupCannotRemoveDefault');
      await s.fails('POST', '/v2.0/security-groups', 409, 'SecurityGroupDefaultAlreadyExists', ALICE, {
        security_group: { name: 'default' },
      });
    });

    test('create a group: egress rules only; rules: icmp, tcp range; duplicates and nonsense refused', async () => {
      const { security_group: g } = await s.ok('POST', '/v2.0/security-groups', 201, ALICE, {
        security_group: { name: 'web', description: 'w' },
      });
      assert.deepEqual(
        g.security_group_rules.map((r: Json) => r.direction),
        ['egress', 'egress'],
      );
      const icmp = await rule({
        security_group_id: g.id,
        direction: 'ingress',
        protocol: 'icmp',
        remote_ip_prefix: '0.0.0.0/0',
      });
      assert.equal(icmp.statusCode, 201, icmp.body);
      assert.equal(icmp.json().security_group_rule.protocol, 'icmp');
      assert.equal(icmp.json().security_group_rule.ethertype, 'IPv4');
      const dup = await rule({
        security_group_id: g.id,
        direction: 'ingress',
        protocol: 'icmp',
        remote_ip_prefix: '0.0.0.0/0',
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().NeutronError.type, 'SecurityGroupRuleExists');
      const tcp = await rule({
        security_group_id: g.id,
        direction: 'ingress',
        protocol: 'tcp',
        port_range_min: 80,
        port_range_max: 443,
      });
      assert.equal(tcp.statusCode, 201, tcp.body);
      const bad = async (body: Json, type: string, status = 400) => {
        const r = await rule({ security_group_id: g.id, direction: 'ingress', ...body });
        assert.equal(r.statusCode, status, r.body);
        assert.equal(r.json().NeutronError.type, type, r.body);
      };
      await bad({ protocol: 'tcp', port_range_min: 90, port_range_max: 80 }, 'SecurityGroupInvalidPortRange');
      await bad({ port_range_min: 22, port_range_max: 22 }, 'SecurityGroupProtocolRequiredWithPorts');
      await bad({ protocol: 'bogus' }, 'SecurityGroupRuleInvalidProtocol');
      await bad({ protocol: 'icmp', port_range_max: 0 }, 'SecurityGroupMissingIcmpType');
      await bad({ protocol: 'icmp', port_range_min: 300 }, 'SecurityGroupInvalidIcmpValue');
      await bad({ ethertype: 'IPv4', remote_ip_prefix: '::/0' }, 'SecurityGroupRuleParameterConflict');
      await bad(
        { remote_ip_prefix: '10.0.0.0/8', remote_group_id: g.id },
        'SecurityGroupRemoteGroupAndRemoteIpPrefix',
      );
      await bad({ direction: 'sideways' }, 'HTTPBadRequest');
      const shown = await s.ok('GET', `/v2.0/security-groups/${g.id}`, 200);
      assert.equal(shown.security_group.security_group_rules.length, 4);
      await s.ok('DELETE', `/v2.0/security-group-rules/${tcp.json().security_group_rule.id}`, 204);
      await s.fails(
        'GET',
        `/v2.0/security-group-rules/${tcp.json().security_group_rule.id}`,
        404,
        'SecurityGroupRuleNotFound',
      );
    });

    test('ownership, in use, update, delete', async () => {
      const { security_group: g } = await s.ok('POST', '/v2.0/security-groups', 201, ALICE, {
        security_group: { name: 'x' },
      });
      await s.fails('GET', `/v2.0/security-groups/${g.id}`, 404, 'SecurityGroupNotFound', BOB);
      const r = await rule({ security_group_id: g.id, direction: 'ingress' }, BOB);
      assert.equal(r.statusCode, 404);
      const renamed = await s.ok('PUT', `/v2.0/security-groups/${g.id}`, 200, ALICE, {
        security_group: { name: 'y' },
      });
      assert.equal(renamed.security_group.name, 'y');
      const net = (await s.ok('POST', '/v2.0/networks', 201, ALICE, { network: {} })).network.id;
      const { port } = await s.ok('POST', '/v2.0/ports', 201, ALICE, {
        port: { network_id: net, security_groups: [g.id] },
      });
      assert.deepEqual(port.security_groups, [g.id]);
      await s.fails('DELETE', `/v2.0/security-groups/${g.id}`, 409, 'SecurityGroupInUse');
      await s.ok('PUT', `/v2.0/ports/${port.id}`, 200, ALICE, { port: { security_groups: [] } });
      await s.ok('DELETE', `/v2.0/security-groups/${g.id}`, 204);
      const all = await s.ok('GET', '/v2.0/security-groups', 200, ADMIN);
      assert.ok(
        all.security_groups.some((x: Json) => x.project_id === 'p1'),
        'the admin sees every project',
      );
    });
  });
}
