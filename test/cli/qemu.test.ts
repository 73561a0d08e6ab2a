// A new user's first real guest, through the real clients against a started all-in-one that runs
// the QEMU driver (its default when QEMU is installed): `openstack server create --wait` boots the
// tiny guest, `console log show` shows its banner, console URLs for noVNC and serial, a snapshot
// that boots, delete --wait. Skips (one line) without the Debian clients or QEMU.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { qemuPidOf, qemuSkip } from '../functional/qemu/support.ts';
import { type CliCloud, haveClients, startCliCloud } from './cloud.ts';

const skip = !haveClients() ? 'needs python3-openstackclient and python3-novaclient' : qemuSkip;

const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

async function eventually(what: string, probe: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('openstack CLI against the all-in-one with real QEMU guests', { skip, timeout: 600_000 }, () => {
  let c: CliCloud;
  before(async () => {
    c = await startCliCloud();
  });
  after(() => c?.stop());
  /** `openstack server create --wait` of the tiny guest (m1.nano). */
  const tinyServer = (name: string, ...extra: string[]) =>
    c.osJson<Record<string, string>>(
      'server',
      'create',
      '--flavor',
      'm1.nano',
      '--image',
      'nova-ts-tiny',
      ...extra,
      '--wait',
      name,
    );

  test('server create --wait boots a guest whose banner shows in console log show', async () => {
    const hv = c.osJson<{ 'Hypervisor Type': string }[]>('hypervisor', 'list', '--long');
    assert.equal(hv[0]?.['Hypervisor Type'], 'QEMU');
    const s = tinyServer('real-vm');
    assert.equal(s.status, 'ACTIVE');
    assert.ok(qemuPidOf(s.id) !== undefined, 'a qemu-system process runs it');
    await eventually('the banner', () =>
      /nova-ts tiny guest .* booted/.test(c.os('console', 'log', 'show', 'real-vm')),
    );
    assert.match(c.os('console', 'log', 'show', '--lines', '1', 'real-vm'), /nova-ts tiny guest/);
    assert.match(
      c.os('console', 'url', 'show', '--novnc', 'real-vm', '-f', 'value', '-c', 'url'),
      /^http:\/\/127\.0\.0\.1:\d+\/vnc_auto\.html\?path=%3Ftoken%3D[0-9a-f-]{36}$/m,
    );
    assert.match(
      c.os('console', 'url', 'show', '--serial', 'real-vm', '-f', 'value', '-c', 'url'),
      /^ws:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f-]{36}$/m,
    );
  });

  test('network agent list shows the data plane agent; a guest on a network gets an ACTIVE port', {
    skip: process.getuid?.() !== 0 ? 'needs root (the data plane agent makes bridges)' : false,
  }, async () => {
    const agents = c.osJson<Record<string, unknown>[]>('network', 'agent', 'list');
    const lb = agents.find((a) => a['Agent Type'] === 'Linux bridge agent');
    assert.ok(lb, JSON.stringify(agents));
    assert.equal(lb.Alive, true);
    assert.equal(lb.Binary, 'neutron-linuxbridge-agent');
    const netId = c.os('network', 'create', 'cli-real-net', '-f', 'value', '-c', 'id').trim();
    c.os('subnet', 'create', '--network', 'cli-real-net', '--subnet-range', '10.78.0.0/24', 'cli-real-sub');
    const s = tinyServer('net-vm', '--network', 'cli-real-net');
    assert.equal(s.status, 'ACTIVE');
    const ports = c.osJson<Record<string, string>[]>('port', 'list', '--server', 'net-vm');
    assert.equal(ports.length, 1);
    assert.equal(ports[0].Status, 'ACTIVE', 'the agent wired it (network-vif-plugged) before the guest ran');
    c.os('server', 'delete', '--wait', 'net-vm');
    c.os('subnet', 'delete', 'cli-real-sub');
    c.os('network', 'delete', 'cli-real-net');
    await eventually(
      'the data plane leaves the network',
      () => !namespaces().includes(`qdhcp-${netId}`),
      15_000,
    );
  });

  test('stop ends the process, start brings a new one; image create snapshots; delete --wait', async () => {
    const id = c.os('server', 'show', 'real-vm', '-f', 'value', '-c', 'id').trim();
    const pid = qemuPidOf(id);
    c.os('server', 'stop', 'real-vm');
    await eventually(
      'SHUTOFF',
      () => c.os('server', 'show', 'real-vm', '-f', 'value', '-c', 'status').trim() === 'SHUTOFF',
    );
    assert.equal(qemuPidOf(id), undefined);
    c.os('server', 'start', 'real-vm');
    await eventually(
      'ACTIVE',
      () => c.os('server', 'show', 'real-vm', '-f', 'value', '-c', 'status').trim() === 'ACTIVE',
    );
    assert.notEqual(qemuPidOf(id), pid);
    const img = c.osJson<Record<string, string>>(
      'server',
      'image',
      'create',
      '--wait',
      '--name',
      'real-snap',
      'real-vm',
    );
    assert.equal(c.os('image', 'show', img.id, '-f', 'value', '-c', 'disk_format').trim(), 'qcow2');
    c.os('server', 'delete', '--wait', 'real-vm');
    assert.doesNotMatch(c.os('server', 'list', '-f', 'value', '-c', 'Name'), /real-vm/);
    assert.equal(qemuPidOf(id), undefined, 'no qemu left');
  });
});
