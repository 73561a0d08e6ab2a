// Real guests on a real (Linux-bridge) network: the guest takes its port's address by DHCP from
// the network's dnsmasq, its hostname from the metadata service at 169.254.169.254, and two guests
// on one network reach each other (a user_data script pings). Everything the data plane made goes
// with it. Needs root (bridges, namespaces) and QEMU; traffic stays on the test's bridge and the
// namespaces the data plane makes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type MoveCloud, startMoveCloud } from '../moves/cloud.ts';
import { qemuArgsOf, qemuSkip, waitConsole } from './support.ts';

const skip = qemuSkip || (process.getuid?.() !== 0 ? 'needs root (bridges and namespaces)' : false);

const links = () => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

/** Runs a command in the test's external-host namespace. */
const inExt = (...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', EXT_NS, ...args], { encoding: 'utf8' });
const EXT_NS = `novats-ext-${process.pid}`;

describe('QEMU guests on a network: DHCP, metadata, guest to guest', { skip, timeout: 1_200_000 }, () => {
  let c: MoveCloud;
  let netId = '';
  const ids: string[] = [];
  before(async () => {
    c = await startMoveCloud({ qemuHosts: 1 });
    const n = await c.network('POST', '/networks', { network: { name: 'tenant-net' } });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    netId = n.body.network.id;
    const s = await c.network('POST', '/subnets', {
      subnet: { network_id: netId, cidr: '10.77.0.0/24', ip_version: 4, name: 'tenant-subnet' },
    });
    assert.equal(s.status, 201, JSON.stringify(s.body));
  });
  after(async () => {
    for (const id of ids) await c?.api('DELETE', `/servers/${id}`).catch(() => {});
    for (const id of ids)
      for (let i = 0; i < 100 && (await c.api('GET', `/servers/${id}`)).status !== 404; i++) await sleep(200);
    await c?.stop();
    try {
      execFileSync('ip', ['netns', 'del', EXT_NS]);
    } catch {}
    assert.doesNotMatch(namespaces(), new RegExp(`qdhcp-${netId}`), 'the DHCP namespace is gone');
    assert.doesNotMatch(links(), new RegExp(`brq${netId.slice(0, 11)}`), 'the bridge is gone');
  });

  const boot = async (name: string, extra: Record<string, unknown> = {}) => {
    const image = (await c.image('GET', '/v2/images?name=nova-ts-tiny')).body.images[0].id;
    const r = await c.api('POST', '/servers', {
      server: { name, flavorRef: '42', imageRef: image, networks: [{ uuid: netId }], ...extra },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    ids.push(r.body.server.id);
    const s = await c.waitFor(r.body.server.id, (x) => x.status === 'ACTIVE', 'ACTIVE', 180_000);
    const addr = s.addresses['tenant-net']?.[0]?.addr as string;
    assert.match(addr ?? '', /^10\.77\.0\.\d+$/);
    return { id: s.id as string, addr };
  };

  test('a guest takes its port address by DHCP and its hostname from the metadata service', async () => {
    const a = await boot('net-a');
    assert.match(links(), new RegExp(`brq${netId.slice(0, 11)}`), 'the network bridge exists');
    for (let i = 0; i < 50 && !namespaces().includes(`qdhcp-${netId}`); i++) await sleep(200);
    assert.match(namespaces(), new RegExp(`qdhcp-${netId}`));
    const out = await waitConsole(c, a.id, /hostname net-a|no metadata service/, 0, 240_000);
    assert.match(
      out,
      new RegExp(`eth0 ${a.addr.replace(/\./g, '\\.')}/24`),
      `the DHCP lease is the port address:\n${out
        .split('\n')
        .filter((l) => l.includes('tiny guest'))
        .join('\n')}`,
    );
    assert.match(out, /metadata: .*"uuid"/);
    assert.match(out, /hostname net-a/);
  });

  test('network-vif-plugged: the guest is held (-S) until the agent wires its port; stop → DOWN, start → ACTIVE', async () => {
    const agents = await c.network('GET', '/agents');
    assert.equal(agents.status, 200, JSON.stringify(agents.body));
    const agent = agents.body.agents.find(
      (a: { binary: string }) => a.binary === 'neutron-linuxbridge-agent',
    );
    assert.ok(agent?.alive, `an alive Linux bridge agent: ${JSON.stringify(agents.body)}`);
    const id = ids[0];
    assert.ok(qemuArgsOf(id).includes('-S'), 'spawned with its vCPUs stopped, to wait for the event');
    const portStatus = async () => {
      const r = await c.network('GET', `/ports?device_id=${id}`);
      return r.body.ports[0]?.status as string;
    };
    assert.equal(await portStatus(), 'ACTIVE', 'the agent reported the device up');
    const s = (await c.api('GET', `/servers/${id}`)).body.server;
    assert.equal(s['OS-EXT-STS:power_state'], 1, 'and the guest runs');
    const waitStatus = async (want: string) => {
      for (let i = 0; i < 100 && (await portStatus()) !== want; i++) await sleep(200);
      assert.equal(await portStatus(), want);
    };
    assert.equal((await c.api('POST', `/servers/${id}/action`, { 'os-stop': null })).status, 202);
    await c.waitFor(id, (x) => x.status === 'SHUTOFF', 'SHUTOFF', 120_000);
    await waitStatus('DOWN');
    assert.equal((await c.api('POST', `/servers/${id}/action`, { 'os-start': null })).status, 202);
    await c.waitFor(id, (x) => x.status === 'ACTIVE', 'ACTIVE', 120_000);
    await waitStatus('ACTIVE');
    // A rebuild's new tap takes over the wired port under the same name: no event comes, none is
    // waited for (the cache still says the port was not wired at build).
    const image = (await c.image('GET', '/v2/images?name=nova-ts-tiny')).body.images[0].id;
    assert.equal(
      (await c.api('POST', `/servers/${id}/action`, { rebuild: { imageRef: image } })).status,
      202,
    );
    await c.waitFor(
      id,
      (x) => x.status === 'ACTIVE' && x['OS-EXT-STS:task_state'] === null,
      'rebuilt',
      60_000,
    );
    await waitStatus('ACTIVE');
  });

  test('two guests on one network: the second pings the first', async () => {
    const first = (await c.api('GET', `/servers/${ids[0]}`)).body.server.addresses['tenant-net'][0].addr;
    const script = `#!/bin/sh\nif ping -c 3 -W 2 ${first} >/dev/null; then echo PING-OK; else echo PING-FAIL; fi\n`;
    const b = await boot('net-b', { user_data: Buffer.from(script).toString('base64') });
    const out = await waitConsole(c, b.id, /user_data: PING-(OK|FAIL)/, 0, 240_000);
    assert.match(out, /user_data: PING-OK/);
  });

  test('a security group without an ICMP rule blocks ping; the default group lets members in', async () => {
    const sg = await c.network('POST', '/security-groups', { security_group: { name: 'no-icmp' } });
    assert.equal(sg.status, 201, JSON.stringify(sg.body));
    const quiet = await boot('net-c', { security_groups: [{ name: 'no-icmp' }] });
    const first = (await c.api('GET', `/servers/${ids[0]}`)).body.server.addresses['tenant-net'][0].addr;
    const script = [
      '#!/bin/sh',
      `ping -c 2 -W 2 ${first} >/dev/null && echo A-OK || echo A-FAIL`,
      `ping -c 2 -W 2 ${quiet.addr} >/dev/null && echo C-OK || echo C-FAIL`,
      '',
    ].join('\n');
    const d = await boot('net-d', { user_data: Buffer.from(script).toString('base64') });
    const out = await waitConsole(c, d.id, /user_data: C-(OK|FAIL)/, 0, 240_000);
    assert.match(out, /user_data: A-OK/, 'same default group: allowed');
    assert.match(out, /user_data: C-FAIL/, 'no ICMP rule: blocked');
  });

  test('a floating IP on a router reaches the guest from a host on the external network', async () => {
    const ext = await c.network('POST', '/networks', {
      network: { name: 'public', 'router:external': true },
    });
    assert.equal(ext.status, 201, JSON.stringify(ext.body));
    const extId = ext.body.network.id;
    const sub = await c.network('POST', '/subnets', {
      subnet: {
        network_id: extId,
        cidr: '203.0.113.0/24',
        ip_version: 4,
        gateway_ip: '203.0.113.1',
        enable_dhcp: false,
        allocation_pools: [{ start: '203.0.113.10', end: '203.0.113.99' }],
      },
    });
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    const tenantSubnet = (await c.network('GET', `/subnets?network_id=${netId}`)).body.subnets[0].id;
    const r = await c.network('POST', '/routers', {
      router: { name: 'r1', external_gateway_info: { network_id: extId } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const routerId = r.body.router.id;
    assert.equal(
      (await c.network('PUT', `/routers/${routerId}/add_router_interface`, { subnet_id: tenantSubnet }))
        .status,
      200,
    );
    // ICMP from anywhere into the default group (the first guest's).
    const groups = (await c.network('GET', '/security-groups?name=default')).body.security_groups;
    for (const g of groups)
      await c.network('POST', '/security-group-rules', {
        security_group_rule: { security_group_id: g.id, direction: 'ingress', protocol: 'icmp' },
      });
    const port = (await c.network('GET', `/ports?device_id=${ids[0]}`)).body.ports[0];
    const fip = await c.network('POST', '/floatingips', {
      floatingip: { floating_network_id: extId, port_id: port.id },
    });
    assert.equal(fip.status, 201, JSON.stringify(fip.body));
    const floating = fip.body.floatingip.floating_ip_address;
    // The "external host": a namespace of this test on the external network's bridge.
    const bridge = `brq${extId.slice(0, 11)}`;
    for (let i = 0; i < 50 && !links().includes(bridge); i++) await sleep(200);
    execFileSync('ip', ['netns', 'add', EXT_NS]);
    execFileSync('ip', ['link', 'add', 'vext-test', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', EXT_NS]);
    execFileSync('ip', ['link', 'set', 'vext-test', 'master', bridge, 'up']);
    inExt('ip', 'addr', 'add', '203.0.113.1/24', 'dev', 'eth0');
    inExt('ip', 'link', 'set', 'eth0', 'up');
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      try {
        inExt('busybox', 'ping', '-c', '1', '-W', '2', floating);
        ok = true;
      } catch {
        await sleep(500);
      }
    }
    assert.ok(ok, `the external host pings the floating IP ${floating}`);
    assert.equal(
      (await c.network('PUT', `/floatingips/${fip.body.floatingip.id}`, { floatingip: { port_id: null } }))
        .status,
      200,
    );
    await sleep(3000);
    assert.throws(
      () => inExt('busybox', 'ping', '-c', '1', '-W', '2', floating),
      'unreachable once disassociated',
    );
    execFileSync('ip', ['link', 'del', 'vext-test']);
    await c.network('PUT', `/routers/${routerId}/remove_router_interface`, { subnet_id: tenantSubnet });
    await c.network('DELETE', `/floatingips/${fip.body.floatingip.id}`);
    await c.network('DELETE', `/routers/${routerId}`);
  });
});
