// Networking in the install-guide topology: seed 003's daemons plus the network service as its own
// process (`nova-ts network serve`, telling Nova through [nova]) and, beside the QEMU nova-compute,
// that host's data plane agent (`nova-ts network agent`), reporting over rabbit://. The agent shows
// alive in GET /v2.0/agents; a guest booted on a network is held until the agent wires its port
// (network-vif-plugged crosses three processes), then takes its address by DHCP. Needs root,
// QEMU, MariaDB and RabbitMQ; traffic stays on the test's bridge and the DHCP namespace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sgTableFor } from '../../../src/dataplane/plugins.ts';
import { removeSecurityGroups } from '../../../src/dataplane/security-groups.ts';
import { type Seed003, startSeed003, tinyGuestAndFlavor } from '../seed003.ts';
import { qemuArgsOf, qemuSkip } from './support.ts';

const mysql = process.env.NOVA_TS_TEST_MYSQL_URL;
const rabbit = process.env.NOVA_TS_TEST_RABBIT_URL;
const skip =
  qemuSkip ||
  (!mysql || !rabbit ? 'needs MariaDB and RabbitMQ' : false) ||
  (process.getuid?.() !== 0 ? 'needs root (bridges and namespaces)' : false);
const H = { 'x-auth-token': 'admin:admin', 'content-type': 'application/json' };
const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

describe('a network agent beside a separate QEMU nova-compute (seed 003)', { skip, timeout: 600_000 }, () => {
  let s: Seed003;
  let netId = '';
  let id = '';
  const req = async (url: string, method = 'GET', body?: unknown, mv = '2.37') => {
    const res = await fetch(url, {
      method,
      headers: { ...H, 'openstack-api-version': `compute ${mv}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: loose response bodies
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as any };
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> => {
    for (const end = Date.now() + ms; ; await sleep(250)) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`never: ${what}`);
    }
  };

  before(async () => {
    s = await startSeed003(mysql ?? '', rabbit ?? '', 1, {
      computeDriver: 'libvirt.LibvirtDriver',
      network: true,
      common: ['[libvirt]', 'virt_type = qemu', '[DEFAULT]', 'vif_plugging_timeout = 60'],
    });
  });
  after(async () => {
    if (id) await req(`${s.api}/v2.1/servers/${id}`, 'DELETE').catch(() => {});
    if (netId) {
      for (let i = 0; i < 100 && (await req(`${s.api}/v2.1/servers/${id}`)).status !== 404; i++)
        await sleep(200);
      await req(`${s.network}/v2.0/networks/${netId}`, 'DELETE').catch(() => {});
      // The agent takes the network's DHCP namespace and bridge away once nothing uses it here.
      for (let i = 0; i < 60 && namespaces().includes(`qdhcp-${netId}`); i++) await sleep(250);
    }
    await s?.teardown();
    if (s) await removeSecurityGroups(undefined, sgTableFor(join(s.dir, 'dataplane'))).catch(() => {});
    if (netId) assert.doesNotMatch(namespaces(), new RegExp(`qdhcp-${netId}`), 'the DHCP namespace is gone');
  });

  test('the agent reports over rabbit://; a guest waits for its wired port, then takes its address by DHCP', async () => {
    const agents = await until(
      'the agent in GET /v2.0/agents',
      async () => {
        const r = await req(`${s.network}/v2.0/agents`);
        return r.body.agents?.find((a: { host: string; alive: boolean }) => a.host === 'compute1' && a.alive);
      },
      30_000,
    );
    assert.equal(agents.agent_type, 'Linux bridge agent');

    const net = await req(`${s.network}/v2.0/networks`, 'POST', { network: { name: 'mp-net' } });
    assert.equal(net.status, 201, JSON.stringify(net.body));
    netId = net.body.network.id;
    const sub = await req(`${s.network}/v2.0/subnets`, 'POST', {
      subnet: { network_id: netId, cidr: '10.81.0.0/24', ip_version: 4 },
    });
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    const imageId = await tinyGuestAndFlavor(s);
    const r = await req(`${s.api}/v2.1/servers`, 'POST', {
      server: { name: 'mp-net-vm', imageRef: imageId, flavorRef: 'qn', networks: [{ uuid: netId }] },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    id = r.body.server.id;
    const server = await until('ACTIVE', async () => {
      const v = (await req(`${s.api}/v2.1/servers/${id}`)).body.server;
      if (v.status === 'ERROR') throw new Error(`ERROR: ${JSON.stringify(v.fault)}`);
      return v.status === 'ACTIVE' ? v : undefined;
    });
    assert.ok(qemuArgsOf(id).includes('-S'), 'the guest was held for network-vif-plugged');
    const port = (await req(`${s.network}/v2.0/ports?device_id=${id}`)).body.ports[0];
    assert.equal(port.status, 'ACTIVE');
    assert.equal(port['binding:host_id'], 'compute1');
    const addr = server.addresses['mp-net'][0].addr as string;
    const out = await until(
      'the DHCP lease on the console',
      async () => {
        const c = await req(`${s.api}/v2.1/servers/${id}/action`, 'POST', { 'os-getConsoleOutput': {} });
        const text = String(c.body.output ?? '');
        return /eth0 \d+\.\d+\.\d+\.\d+\/24|no DHCP/.test(text) ? text : undefined;
      },
      120_000,
    );
    assert.match(out, new RegExp(`eth0 ${addr.replace(/\./g, '\\.')}/24`), 'the lease is the port address');
  });
});
