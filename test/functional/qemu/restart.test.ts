// kill -9 of the cloud while guests run: QEMU guests are their own daemons, so they keep running;
// the restarted compute re-attaches to them over their QMP sockets, power states stay right, and
// nothing is rebooted — then it manages them as before.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { issueToken } from '../../../src/all-in-one/first-start.ts';
import { type DaemonProcess, startDaemon } from '../daemon-process.ts';
import { allInOnePortsConf } from '../free-ports.ts';
import { killGuestsUnder } from '../moves/cloud.ts';
import { lastUptime, qemuPidOf, qemuSkip, waitGone } from './support.ts';

describe('QEMU guests survive kill -9 of nova-compute', { skip: qemuSkip, timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-qemu-k9-'));
  const state = join(dir, 'state');
  let aio: DaemonProcess | undefined;
  after(async () => {
    await aio?.stop('SIGKILL');
    killGuestsUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    aio = startDaemon('nova-ts', [
      'all-in-one',
      '--state-path',
      state,
      '--config-file',
      join(dir, 'ports.conf'),
      '--compute-driver',
      'qemu',
    ]);
    await aio.waitFor(/^nova-ts ready$/m, 120_000);
  };

  test('running and stopped guests keep their state across kill -9 and restart', async () => {
    const ports = await allInOnePortsConf('k9');
    writeFileSync(join(dir, 'ports.conf'), ports);
    const computePort = /osapi_compute_listen_port = (\d+)/.exec(ports)?.[1];
    const identityPort = /\[identity\]\nport = (\d+)/.exec(ports)?.[1];
    await start();
    const openrc = readFileSync(join(state, 'openrc'), 'utf8');
    const pw = /OS_PASSWORD='([^']*)'/.exec(openrc)?.[1] ?? '';
    const token = () => issueToken(`http://127.0.0.1:${identityPort}`, 'admin', pw, 'admin');
    let tok = await token();
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`http://127.0.0.1:${computePort}/v2.1${path}`, {
        method,
        headers: {
          'x-auth-token': tok,
          'content-type': 'application/json',
          'openstack-api-version': 'compute 2.90',
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      // biome-ignore lint/suspicious/noExplicitAny: test JSON
      return { status: r.status, body: (text ? JSON.parse(text) : null) as any };
    };
    const waitFor = async (id: string, ok: (s: Record<string, unknown>) => boolean, ms = 60_000) => {
      const end = Date.now() + ms;
      for (;;) {
        const s = (await api('GET', `/servers/${id}`)).body?.server;
        if (s && ok(s)) return s;
        if (Date.now() > end) throw new Error(`server ${id}: ${JSON.stringify(s)}`);
        await sleep(200);
      }
    };
    const consoleText = async (id: string) =>
      String((await api('POST', `/servers/${id}/action`, { 'os-getConsoleOutput': {} })).body?.output ?? '');
    const boot = async (name: string) => {
      const r = await api('POST', '/servers', {
        server: { name, flavorRef: '42', imageRef: await imageId(), networks: 'none' },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      await waitFor(r.body.server.id, (s) => s.status === 'ACTIVE');
      return r.body.server.id as string;
    };
    const imageId = async () => {
      const imagePort = /\[image\]\nport = (\d+)/.exec(ports)?.[1];
      const r = await fetch(`http://127.0.0.1:${imagePort}/v2/images?name=nova-ts-tiny`, {
        headers: { 'x-auth-token': tok },
      });
      return ((await r.json()) as { images: { id: string }[] }).images[0]?.id;
    };

    const running = await boot('keeps-running');
    const stopped = await boot('stays-stopped');
    assert.equal((await api('POST', `/servers/${stopped}/action`, { 'os-stop': null })).status, 202);
    await waitFor(stopped, (s) => s.status === 'SHUTOFF', 90_000);
    for (let i = 0; i < 100 && lastUptime(await consoleText(running)) < 0; i++) await sleep(200);
    const pid = qemuPidOf(running) as number;
    assert.ok(pid > 0);

    assert.equal(await aio?.stop('SIGKILL'), 'SIGKILL');
    await sleep(1000);
    assert.equal(qemuPidOf(running), pid, 'the guest runs on without its compute');
    assert.equal(qemuPidOf(stopped), undefined);

    await start();
    tok = await token();
    const s1 = await waitFor(running, (s) => s.status === 'ACTIVE');
    assert.equal(s1['OS-EXT-STS:power_state'], 1);
    assert.equal(qemuPidOf(running), pid, 'the same QEMU process: not rebooted');
    const s2 = await waitFor(stopped, (s) => s.status === 'SHUTOFF');
    assert.equal(s2['OS-EXT-STS:power_state'], 4);
    const before = await consoleText(running);
    await sleep(6000);
    const afterText = await consoleText(running);
    assert.ok(lastUptime(afterText) > lastUptime(before), 'the guest is still counting');
    assert.doesNotMatch(afterText.slice(before.length), /booted/, 'no second boot');

    // Still managed: it stops and deletes as usual.
    assert.equal((await api('POST', `/servers/${running}/action`, { 'os-stop': null })).status, 202);
    await waitFor(running, (s) => s.status === 'SHUTOFF', 90_000);
    assert.ok(await waitGone(pid));
    for (const id of [running, stopped]) assert.equal((await api('DELETE', `/servers/${id}`)).status, 204);
    for (const id of [running, stopped])
      for (let i = 0; i < 100 && (await api('GET', `/servers/${id}`)).status !== 404; i++) await sleep(200);
  });
});
