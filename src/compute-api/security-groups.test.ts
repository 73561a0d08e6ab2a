import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkClient } from '../network-client/client.ts';
import * as SG from './security-groups.ts';

const G1 = '11111111-1111-4111-8111-111111111111';
const G2 = '22222222-2222-4222-8222-222222222222';

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

/** A client whose network service answers from `routes` ("METHOD /path" → [status, body]). */
function fakeClient(routes: Record<string, [number, unknown]>, calls: Call[] = []) {
  const fetchStub = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname.replace(/^\/v2\.0/, '');
    const method = String(init.method);
    calls.push({ method, path, ...(init.body ? { body: JSON.parse(String(init.body)) } : {}) });
    const [status, body] = routes[`${method} ${path}`] ?? [
      404,
      { NeutronError: { type: 'NotFound', message: 'no' } },
    ];
    return new Response(status === 204 ? null : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  return new NetworkClient({ endpoint: 'http://net.test:9696', token: 't', fetch: fetchStub });
}

const group = (id: string, name: string, rules: unknown[] = []) => ({
  id,
  name,
  description: `${name} group`,
  project_id: 'p1',
  security_group_rules: rules,
});

describe('security group proxy (Nova view of Neutron groups)', () => {
  it('shows ingress rules only, bare protocols with their full port range, remote groups by name', async () => {
    const rules = [
      { id: 'e', security_group_id: G1, direction: 'egress', ethertype: 'IPv4', protocol: null },
      {
        id: 'r1',
        security_group_id: G1,
        direction: 'ingress',
        protocol: 'tcp',
        remote_ip_prefix: '10.0.0.0/8',
      },
      {
        id: 'r2',
        security_group_id: G1,
        direction: 'ingress',
        protocol: 'icmp',
        port_range_min: null,
        port_range_max: null,
        remote_group_id: G2,
      },
    ];
    const client = fakeClient({
      [`GET /security-groups/${G1}`]: [200, { security_group: group(G1, 'web', rules) }],
      [`GET /security-groups/${G2}`]: [200, { security_group: group(G2, 'db') }],
    });
    const g = await SG.showGroup(client, G1);
    assert.deepEqual(g.rules, [
      {
        id: 'r1',
        parent_group_id: G1,
        ip_protocol: 'tcp',
        from_port: 1,
        to_port: 65535,
        ip_range: { cidr: '10.0.0.0/8' },
        group: {},
      },
      {
        id: 'r2',
        parent_group_id: G1,
        ip_protocol: 'icmp',
        from_port: -1,
        to_port: -1,
        ip_range: {},
        group: { name: 'db', tenant_id: 'p1' },
      },
    ]);
    assert.equal(g.tenant_id, 'p1');
  });

  it('maps Neutron errors as Nova: 404 not found, 409 on delete (in use, default) → 400', async () => {
    const client = fakeClient({
      [`DELETE /security-groups/${G1}`]: [
        409,
        { NeutronError: { type: 'SecurityGroupInUse', message: 'in use' } },
      ],
    });
    await assert.rejects(SG.showGroup(client, G2), {
      status: 404,
      message: `Security group ${G2} not found.`,
    });
    await assert.rejects(SG.deleteGroup(client, G1), { status: 400 });
    await assert.rejects(SG.deleteGroup(client, G2), { status: 404 });
  });

  it('checks name and description (1..255 once stripped)', async () => {
    const client = fakeClient({});
    await assert.rejects(SG.createGroup(client, '', 'd'), { status: 400 });
    await assert.rejects(SG.createGroup(client, '  ', 'd'), { status: 400 });
    await assert.rejects(SG.createGroup(client, 'n', 'x'.repeat(256)), { status: 400 });
    await assert.rejects(SG.createGroup(client, 'n', undefined), { status: 400 });
  });

  it('validates rules as Nova before Neutron sees them', () => {
    const bad = [
      { ip_protocol: 'abc', from_port: 22, to_port: 22 },
      { ip_protocol: 'tcp', from_port: '#$%', to_port: 22 },
      { ip_protocol: 'tcp', from_port: 22, to_port: 65536 },
      { ip_protocol: 'tcp', from_port: 23, to_port: 22 },
      { ip_protocol: 'icmp', from_port: 256, to_port: 0 },
      { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr: '10.0.0.300/8' },
      { ip_protocol: 'tcp', from_port: 22 },
      { ip_protocol: 'tcp', from_port: 22, to_port: 22, group_id: 'not-a-uuid' },
    ];
    for (const b of bad) assert.throws(() => SG.ingressRule(b), { status: 400 }, JSON.stringify(b));
    assert.deepEqual(SG.ingressRule({ ip_protocol: 'ICMP', from_port: -1, to_port: -1 }), {
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'icmp',
      port_range_min: null,
      port_range_max: null,
      remote_ip_prefix: '0.0.0.0/0',
    });
    assert.equal(SG.ingressRule({ ip_protocol: 'tcp', group_id: G2 }).remote_group_id, G2);
  });

  it('creates a rule in an existing parent (404 unknown, 400 non-uuid, duplicate 409 → 400)', async () => {
    const calls: Call[] = [];
    const client = fakeClient(
      {
        [`GET /security-groups/${G1}`]: [200, { security_group: group(G1, 'web') }],
        'POST /security-group-rules': [
          409,
          {
            NeutronError: { type: 'SecurityGroupRuleExists', message: 'Security group rule already exists.' },
          },
        ],
      },
      calls,
    );
    const input = { parent_group_id: G1, ip_protocol: 'tcp', from_port: 22, to_port: 22 };
    await assert.rejects(SG.createRule(client, input), { status: 400 });
    await assert.rejects(SG.createRule(client, { ...input, parent_group_id: G2 }), { status: 404 });
    await assert.rejects(SG.createRule(client, { ...input, parent_group_id: 'x' }), { status: 400 });
    const post = calls.find((c) => c.method === 'POST');
    assert.deepEqual(post?.body, {
      security_group_rule: {
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: 'tcp',
        port_range_min: 22,
        port_range_max: 22,
        remote_ip_prefix: '0.0.0.0/0',
        security_group_id: G1,
      },
    });
  });

  it('adds a group to the server’s ports and removes it (404 unknown group, 400 not attached)', async () => {
    const calls: Call[] = [];
    const client = fakeClient(
      {
        'GET /security-groups': [200, { security_groups: [group(G1, 'default'), group(G2, 'web')] }],
        'GET /ports': [200, { ports: [{ id: 'p', device_id: 'srv', security_groups: [G1] }] }],
        'PUT /ports/p': [200, { port: {} }],
      },
      calls,
    );
    await SG.addToServer(client, 'p1', 'srv', 'web');
    assert.deepEqual(calls.find((c) => c.method === 'PUT')?.body, { port: { security_groups: [G1, G2] } });
    await assert.rejects(SG.addToServer(client, 'p1', 'srv', 'nope'), { status: 404 });
    await assert.rejects(SG.removeFromServer(client, 'p1', 'srv', 'web'), { status: 400 });
    await SG.removeFromServer(client, 'p1', 'srv', 'default');
    assert.deepEqual(calls.filter((c) => c.method === 'PUT').at(-1)?.body, { port: { security_groups: [] } });
  });
});
