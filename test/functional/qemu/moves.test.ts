// Moving real guests between two QEMU computes of one machine (own host names, instance
// directories, VNC and serial ports): live migration keeps the guest running (its uptime counter
// goes on), an aborted one leaves it on the source; resize grows the disk and memory, revert and
// confirm restore or drop the original. Placement follows every step.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { qemuImgInfo } from '../../../src/virt/qemu/qemu-img.ts';
import { type MoveCloud, startMoveCloud } from '../moves/cloud.ts';
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

describe('QEMU driver: moves between two compute hosts', { skip: qemuSkip, timeout: 600_000 }, () => {
  let c: MoveCloud;
  let id = '';
  const server = async () => (await c.api('GET', `/servers/${id}`)).body.server;
  const hostOf = async () => (await server())['OS-EXT-SRV-ATTR:host'] as string;
  const other = (h: string) => (h === 'mv-1' ? 'mv-2' : 'mv-1');
  const live = (body: Record<string, unknown>) =>
    c.action(id, { 'os-migrateLive': { block_migration: 'auto', ...body } }, '2.30');
  const lastMigration = async () => {
    const r = await c.api('GET', `/os-migrations?instance_uuid=${id}`, undefined, '2.59');
    return r.body.migrations.sort((a: { id: number }, b: { id: number }) => b.id - a.id)[0];
  };
  /** The server's in-progress migration once it runs (or the last one seen, for a fast one). */
  const runningMigration = async () => {
    let m: { id: number; status: string } | undefined;
    for (let i = 0; i < 100; i++) {
      m = (await c.api('GET', `/servers/${id}/migrations`, undefined, '2.24')).body.migrations?.[0];
      if (m?.status === 'running') break;
      await sleep(50);
    }
    return m;
  };
  const settled = () => c.waitFor(id, (s) => s['OS-EXT-STS:task_state'] === null, 'no task', 120_000);

  before(async () => {
    c = await startMoveCloud({ qemuHosts: 2, conf: '[DEFAULT]\nallow_resize_to_same_host = false\n' });
    const s = await c.boot('mover', { flavorRef: '42' });
    id = s.id;
    await waitConsole(c, id, /uptime/);
  });
  after(async () => {
    await c?.stop();
  });

  test('live migration: the guest keeps running on the other host, placement follows', async () => {
    const src = await hostOf();
    const dest = other(src);
    const pid = qemuPidOf(id) as number;
    const upBefore = lastUptime(await consoleOutput(c, id));
    assert.equal((await live({ host: dest })).status, 202);
    const s = await c.waitFor(
      id,
      (x) => x['OS-EXT-SRV-ATTR:host'] === dest && x['OS-EXT-STS:task_state'] === null,
      'moved',
      120_000,
    );
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s['OS-EXT-STS:power_state'], 1);
    assert.ok(await waitGone(pid), 'the source qemu is gone');
    const args = qemuArgsOf(id).join(' ');
    assert.match(args, new RegExp(`/instances/${dest}/${id}/`), 'the guest runs from the destination');
    const mark = (await consoleOutput(c, id)).length;
    const out = await waitConsole(c, id, /uptime/, mark, 30_000);
    assert.doesNotMatch(out.slice(mark), BANNER, 'not rebooted');
    assert.ok(lastUptime(out) > upBefore, 'the uptime counter goes on');
    const m = await lastMigration();
    assert.equal(m.status, 'completed');
    const alloc = await c.allocations(id);
    assert.deepEqual(Object.keys(alloc), [await c.providerOf(dest)]);
    assert.deepEqual(await c.allocations(m.uuid), {});
    assert.equal(existsSync(join(c.statePath, 'instances', src, id)), false, 'source files gone');
  });

  test('live migration aborted: the guest stays running on the source', async () => {
    const src = await hostOf();
    const pid = qemuPidOf(id);
    // Slow the transfer so there is time to abort.
    assert.equal((await live({ host: other(src) })).status, 202);
    const m = await runningMigration();
    if (m?.status === 'running') {
      const r = await c.api('DELETE', `/servers/${id}/migrations/${m.id}`, undefined, '2.24');
      assert.ok(r.status === 202 || r.status === 400, `abort: ${r.status}`);
    }
    await settled();
    const s = await server();
    assert.equal(s.status, 'ACTIVE');
    const last = await lastMigration();
    if (last.status === 'cancelled') {
      assert.equal(s['OS-EXT-SRV-ATTR:host'], src, 'still on the source');
      assert.equal(qemuPidOf(id), pid, 'the same process runs it');
    } else assert.equal(last.status, 'completed', 'finished before the abort reached it');
    const mark = (await consoleOutput(c, id)).length;
    await waitConsole(c, id, /uptime/, mark, 30_000);
  });

  test('live migration forced to complete: the source pauses, the destination runs the guest on', async () => {
    const src = await hostOf();
    const dest = other(src);
    assert.equal((await live({ host: dest })).status, 202);
    const m = await runningMigration();
    if (m?.status === 'running') {
      const r = await c.api(
        'POST',
        `/servers/${id}/migrations/${m.id}/action`,
        { force_complete: null },
        '2.22',
      );
      assert.ok(r.status === 202 || r.status === 400, `force complete: ${r.status}`);
    }
    const s = await c.waitFor(
      id,
      (x) => x['OS-EXT-SRV-ATTR:host'] === dest && x['OS-EXT-STS:task_state'] === null,
      'moved',
      120_000,
    );
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s['OS-EXT-STS:power_state'], 1, 'running (resumed on the destination)');
    const mark = (await consoleOutput(c, id)).length;
    await waitConsole(c, id, /uptime/, mark, 30_000);
  });

  test('resize to a bigger flavor: new host, grown disk and memory; revert brings the original back', async () => {
    const src = await hostOf();
    assert.equal((await c.action(id, { resize: { flavorRef: '1' } })).status, 202);
    let s = await c.waitFor(id, (x) => x.status === 'VERIFY_RESIZE', 'VERIFY_RESIZE', 120_000);
    const dest = s['OS-EXT-SRV-ATTR:host'];
    assert.notEqual(dest, src);
    const args = qemuArgsOf(id);
    assert.equal(args[args.indexOf('-m') + 1], '512', 'memory of m1.tiny');
    await waitConsole(c, id, BANNER);
    assert.ok(
      existsSync(join(c.statePath, 'instances', src, `${id}_resize`)),
      'the original kept for a revert',
    );
    assert.equal((await c.action(id, { revertResize: null })).status, 202);
    s = await c.waitFor(
      id,
      (x) => x.status === 'ACTIVE' && x['OS-EXT-STS:task_state'] === null,
      'reverted',
      120_000,
    );
    assert.equal(s['OS-EXT-SRV-ATTR:host'], src);
    const back = qemuArgsOf(id);
    assert.equal(back[back.indexOf('-m') + 1], '128');
    assert.equal(existsSync(join(c.statePath, 'instances', dest, id)), false, 'the destination copy is gone');
    assert.deepEqual(Object.keys(await c.allocations(id)), [await c.providerOf(src)]);
  });

  test('resize confirmed: the root disk is the new flavor size and the source copy goes', async () => {
    const src = await hostOf();
    assert.equal((await c.action(id, { resize: { flavorRef: '2' } })).status, 202);
    const s = await c.waitFor(id, (x) => x.status === 'VERIFY_RESIZE', 'VERIFY_RESIZE', 120_000);
    const dest = s['OS-EXT-SRV-ATTR:host'];
    const disk = join(c.statePath, 'instances', dest, id, 'disk');
    assert.equal((await qemuImgInfo(disk, { forceShare: true })).virtualSize, 20 * 1024 ** 3);
    assert.equal((await c.action(id, { confirmResize: null })).status, 204);
    await c.waitFor(
      id,
      (x) => x.status === 'ACTIVE' && x['OS-EXT-STS:task_state'] === null,
      'confirmed',
      60_000,
    );
    for (let i = 0; i < 50 && existsSync(join(c.statePath, 'instances', src, `${id}_resize`)); i++)
      await sleep(100);
    assert.equal(existsSync(join(c.statePath, 'instances', src, `${id}_resize`)), false);
    await waitConsole(c, id, BANNER);
  });
});
