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
import { qemuSkip, waitConsole } from './support.ts';

const skip = qemuSkip || (process.getuid?.() !== 0 ? 'needs root (bridges and namespaces)' : false);

const links = () => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

describe('QEMU guests on a network: DHCP, metadata, guest to guest', { skip, timeout: 600_000 }, () => {
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
    const s = await c.waitFor(r.body.server.id, (x) => x.status === 'ACTIVE', 'ACTIVE', 90_000);
    const addr = s.addresses['tenant-net']?.[0]?.addr as string;
    assert.match(addr ?? '', /^10\.77\.0\.\d+$/);
    return { id: s.id as string, addr };
  };

  test('a guest takes its port address by DHCP and its hostname from the metadata service', async () => {
    const a = await boot('net-a');
    assert.match(links(), new RegExp(`brq${netId.slice(0, 11)}`), 'the network bridge exists');
    for (let i = 0; i < 50 && !namespaces().includes(`qdhcp-${netId}`); i++) await sleep(200);
    assert.match(namespaces(), new RegExp(`qdhcp-${netId}`));
    const out = await waitConsole(c, a.id, /hostname net-a|no metadata service/, 0, 90_000);
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

  test('two guests on one network: the second pings the first', async () => {
    const first = (await c.api('GET', `/servers/${ids[0]}`)).body.server.addresses['tenant-net'][0].addr;
    const script = `#!/bin/sh\nif ping -c 3 -W 2 ${first} >/dev/null; then echo PING-OK; else echo PING-FAIL; fi\n`;
    const b = await boot('net-b', { user_data: Buffer.from(script).toString('base64') });
    const out = await waitConsole(c, b.id, /user_data: PING-(OK|FAIL)/, 0, 120_000);
    assert.match(out, /user_data: PING-OK/);
  });
});
