// The QEMU driver end to end (all-in-one in process, one QEMU compute, the tiny guest): each server
// action changes the real qemu-system process as named, and nothing is left behind on delete.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type MoveCloud, startMoveCloud } from '../moves/cloud.ts';
import { CANVAS_COLOURS } from '../qemu-console.ts';
import {
  consoleOutput,
  lastUptime,
  qemuArgsOf,
  qemuPidOf,
  qemuSkip,
  waitConsole,
  waitGone,
} from './support.ts';

const BANNER = /nova-ts tiny guest .* booted/;
const CHROMIUM = '/usr/bin/chromium';

describe('QEMU driver: a real guest through its lifecycle', { skip: qemuSkip, timeout: 600_000 }, () => {
  let c: MoveCloud;
  let id = '';
  const status = (want: string, ms = 60_000) => c.waitFor(id, (s) => s.status === want, want, ms);

  before(async () => {
    c = await startMoveCloud({ qemuHosts: 1 });
  });
  after(async () => {
    await c?.stop();
  });

  test('boot: a qemu-system process with the flavor, its banner on the serial console', async () => {
    const s = await c.boot('vm1', { flavorRef: '42' });
    id = s.id;
    assert.equal(s['OS-EXT-STS:power_state'], 1);
    const args = qemuArgsOf(id);
    assert.ok(args.length > 0, 'a qemu-system process runs the server');
    assert.equal(args[args.indexOf('-m') + 1], '128', 'memory of m1.nano');
    assert.match(args.join(' '), /accel=(tcg|kvm)/);
    const out = await waitConsole(c, id, BANNER);
    assert.match(out, /Linux version/);
    // length: the last N lines only
    const tail = await c.action(id, { 'os-getConsoleOutput': { length: 2 } });
    assert.equal(tail.status, 200);
    assert.equal(tail.body.output.trimEnd().split('\n').length, 2);
    const hv = await c.api('GET', '/os-hypervisors/detail', undefined, '2.53');
    assert.equal(hv.body.hypervisors[0].hypervisor_type, 'QEMU');
  });

  test('stop ends the process (ACPI power off); start runs a new one', async () => {
    const pid = qemuPidOf(id) as number;
    const before = (await consoleOutput(c, id)).length;
    assert.equal((await c.action(id, { 'os-stop': null })).status, 202);
    const s = await status('SHUTOFF');
    assert.equal(s['OS-EXT-STS:power_state'], 4);
    assert.ok(await waitGone(pid), 'the qemu process is gone');
    assert.equal(qemuPidOf(id), undefined);
    assert.match((await consoleOutput(c, id)).slice(before), /power button pressed|reboot: Power down/);
    assert.equal((await c.action(id, { 'os-start': null })).status, 202);
    await status('ACTIVE');
    const pid2 = qemuPidOf(id);
    assert.ok(pid2 !== undefined && pid2 !== pid, 'a new qemu process');
    await waitConsole(c, id, BANNER, before);
  });

  test('hard reboot replaces the process; soft reboot powers the guest down and up', async () => {
    for (const type of ['HARD', 'SOFT']) {
      const pid = qemuPidOf(id);
      const mark = (await consoleOutput(c, id)).length;
      assert.equal((await c.action(id, { reboot: { type } })).status, 202);
      await c.waitFor(id, (s) => s.status === 'ACTIVE' && s['OS-EXT-STS:task_state'] === null, 'rebooted');
      const pid2 = qemuPidOf(id);
      assert.ok(pid2 !== undefined && pid2 !== pid, `${type} reboot: a new qemu process`);
      await waitConsole(c, id, BANNER, mark);
    }
  });

  test('pause stops the vCPUs in the same process; unpause lets them run', async () => {
    const pid = qemuPidOf(id);
    await waitConsole(c, id, /uptime/);
    assert.equal((await c.action(id, { pause: null })).status, 202);
    const s = await status('PAUSED');
    assert.equal(s['OS-EXT-STS:power_state'], 3);
    const frozen = (await consoleOutput(c, id)).length;
    await sleep(6000);
    assert.equal((await consoleOutput(c, id)).length, frozen, 'a paused guest prints nothing');
    assert.equal(qemuPidOf(id), pid);
    assert.equal((await c.action(id, { unpause: null })).status, 202);
    await status('ACTIVE');
    await waitConsole(c, id, /uptime/, frozen, 20_000);
  });

  test('suspend saves the memory to a file and ends the process; resume carries on where it was', async () => {
    await waitConsole(c, id, /uptime/);
    const pid = qemuPidOf(id) as number;
    assert.equal((await c.action(id, { suspend: null })).status, 202);
    const s = await status('SUSPENDED');
    assert.equal(s['OS-EXT-STS:power_state'], 7);
    assert.ok(await waitGone(pid));
    const upBefore = lastUptime(await consoleOutput(c, id));
    const mark = (await consoleOutput(c, id)).length;
    assert.equal((await c.action(id, { resume: null })).status, 202);
    await status('ACTIVE');
    const out = await waitConsole(c, id, /uptime/, mark, 30_000);
    assert.doesNotMatch(out.slice(mark), BANNER, 'resumed, not rebooted');
    assert.ok(lastUptime(out) > upBefore, 'the guest uptime counter goes on');
  });

  test('rescue boots the rescue disk with the original disk attached; unrescue boots the original', async () => {
    assert.equal((await c.action(id, { rescue: {} })).status, 200);
    await status('RESCUE');
    const args = qemuArgsOf(id).join(' ');
    assert.match(args, /rescue\/disk.*id=rescue/);
    assert.match(args, /\/disk,format=qcow2.*id=disk0/);
    assert.equal((await c.action(id, { unrescue: null })).status, 202);
    await status('ACTIVE');
    assert.doesNotMatch(qemuArgsOf(id).join(' '), /id=rescue/);
  });

  test('trigger crash dump sends an NMI to the guest', async () => {
    const mark = (await consoleOutput(c, id)).length;
    const r = await c.action(id, { trigger_crash_dump: null }, '2.17');
    assert.equal(r.status, 202);
    await waitConsole(c, id, /NMI/, mark, 20_000);
  });

  test('noVNC console: Chromium opens the URL the API hands out and shows the guest screen', {
    skip: existsSync(CHROMIUM) ? false : `needs Debian chromium (${CHROMIUM})`,
  }, async () => {
    const r = await c.api('POST', `/servers/${id}/remote-consoles`, {
      remote_console: { protocol: 'vnc', type: 'novnc' },
    });
    assert.equal(r.status, 200);
    const url: string = r.body.remote_console.url;
    assert.match(url, /vnc_auto\.html\?path=%3Ftoken%3D/);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, bypassCSP: true });
      await page.goto(url);
      await page.waitForSelector('body[data-state=connected]', { timeout: 30_000 });
      const colours = await page.waitForFunction(CANVAS_COLOURS, undefined, {
        timeout: 30_000,
        polling: 250,
      });
      assert.ok(Number(await colours.jsonValue()) > 1, 'the canvas shows the guest screen');
      const shot = join(c.statePath, 'console.png');
      await page.screenshot({ path: shot });
      assert.ok(statSync(shot).size > 5000);
    } finally {
      await browser.close();
    }
  });

  test('serial console: the websocket URL the API hands out streams the guest serial port', async () => {
    const r = await c.api('POST', `/servers/${id}/remote-consoles`, {
      remote_console: { protocol: 'serial', type: 'serial' },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const url: string = r.body.remote_console.url;
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const ws = new WebSocket(url, ['binary']);
    ws.binaryType = 'arraybuffer';
    let got = '';
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no uptime line on the serial websocket: ${got}`)),
        20_000,
      );
      ws.onmessage = (e) => {
        got += typeof e.data === 'string' ? e.data : Buffer.from(e.data as ArrayBuffer).toString();
        if (/uptime [\d.]+s/.test(got)) {
          clearTimeout(timer);
          resolve();
        }
      };
      ws.onerror = () => reject(new Error('serial websocket refused'));
    });
    try {
      await seen;
    } finally {
      ws.close();
    }
  });

  test('createImage uploads a qcow2 copy of the disk that boots', async () => {
    const r = await c.action(id, { createImage: { name: 'snap1' } }, '2.45');
    assert.equal(r.status, 202);
    const imageId = r.body.image_id;
    let img: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) {
      img = (await c.image('GET', `/v2/images/${imageId}`)).body;
      if (img.status === 'active') break;
      await sleep(200);
    }
    assert.equal(img.status, 'active');
    assert.equal(img.disk_format, 'qcow2');
    assert.ok(img.kernel_id, 'the kernel of the AMI image is kept');
    await c.waitFor(id, (s) => s['OS-EXT-STS:task_state'] === null, 'snapshot done');
    const s2 = await c.api('POST', '/servers', {
      server: { name: 'from-snap', flavorRef: '42', imageRef: imageId, networks: 'none' },
    });
    assert.equal(s2.status, 202);
    const id2 = s2.body.server.id;
    await c.waitFor(id2, (s) => s.status === 'ACTIVE', 'ACTIVE', 60_000);
    await waitConsole(c, id2, BANNER);
    assert.equal((await c.api('DELETE', `/servers/${id2}`)).status, 204);
    for (let i = 0; i < 150 && (await c.api('GET', `/servers/${id2}`)).status !== 404; i++) await sleep(200);
  });

  test('config drive, ephemeral and swap disks: the guest reads its meta_data from the config-2 ISO', async () => {
    const f = await c.api('POST', '/flavors', {
      flavor: { name: 'with-disks', ram: 128, vcpus: 1, disk: 1, 'OS-FLV-EXT-DATA:ephemeral': 1, swap: 64 },
    });
    assert.equal(f.status, 200, JSON.stringify(f.body));
    const r = await c.api('POST', '/servers', {
      server: {
        name: 'cd1',
        flavorRef: f.body.flavor.id,
        imageRef: (await c.api('GET', `/servers/${id}`)).body.server.image.id,
        networks: 'none',
        config_drive: true,
        metadata: { role: 'config-drive-test' },
        user_data: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
      },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const cd = r.body.server.id;
    await c.waitFor(cd, (x) => x.status === 'ACTIVE', 'ACTIVE', 60_000);
    const args = qemuArgsOf(cd).join(' ');
    assert.match(args, /disk\.local,format=qcow2/);
    assert.match(args, /disk\.swap,format=raw/);
    assert.match(args, /disk\.config,format=raw,if=ide,media=cdrom/);
    const out = await waitConsole(c, cd, /meta_data: .*config-drive-test/);
    assert.match(out, /config drive \/dev\//);
    assert.match(out, new RegExp(`"uuid": ?"${cd}"`));
    assert.equal((await c.api('DELETE', `/servers/${cd}`)).status, 204);
    for (let i = 0; i < 150 && (await c.api('GET', `/servers/${cd}`)).status !== 404; i++) await sleep(200);
  });

  test('an image that is not a disk image: ERROR with a fault, no process, no files, no allocation', async () => {
    const img = await c.image('POST', '/v2/images', {
      name: 'junk',
      disk_format: 'qcow2',
      container_format: 'bare',
    });
    assert.equal(img.status, 201);
    const put = await fetch(`${c.urls.image}/v2/images/${img.body.id}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': c.token, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(64 * 1024, 'not a disk image '),
    });
    assert.equal(put.status, 204);
    const r = await c.api('POST', '/servers', {
      server: { name: 'junk', flavorRef: '42', imageRef: img.body.id, networks: 'none' },
    });
    assert.equal(r.status, 202);
    const bad = r.body.server.id;
    const s = await c.waitFor(bad, (x) => x.status === 'ERROR', 'ERROR', 60_000);
    assert.match(s.fault.message, /unacceptable/i);
    assert.equal(qemuPidOf(bad), undefined);
    assert.equal(existsSync(join(c.statePath, 'instances', bad)), false);
    assert.deepEqual(await c.allocations(bad), {});
    assert.equal((await c.api('DELETE', `/servers/${bad}`)).status, 204);
  });

  test('delete: the process, its sockets and files go, and the allocations', async () => {
    const pid = qemuPidOf(id) as number;
    assert.equal((await c.api('DELETE', `/servers/${id}`)).status, 204);
    for (let i = 0; i < 150 && (await c.api('GET', `/servers/${id}`)).status !== 404; i++) await sleep(200);
    assert.equal((await c.api('GET', `/servers/${id}`)).status, 404);
    assert.ok(await waitGone(pid));
    assert.deepEqual(await c.allocations(id), {});
    assert.equal(qemuPidOf(id), undefined);
    assert.equal(existsSync(join(c.statePath, 'instances', id)), false, 'the instance directory is gone');
    assert.deepEqual(
      readdirSync(join(c.statePath, 'instances')).filter((n) => /^[0-9a-f-]{36}/.test(n)),
      [],
      'no guest files left',
    );
  });
});
