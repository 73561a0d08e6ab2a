import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { buildTinyImage, findKernel, isStaticElf, moduleLoadOrder } from './build.ts';
import { buildCpioGz } from './cpio.ts';
import { BANNER_PREFIX, bannerLine } from './init-script.ts';

test('cpio: newc records, 4-byte aligned, with a trailer', () => {
  const raw = gunzipSync(
    buildCpioGz([
      { kind: 'dir', path: 'bin' },
      { kind: 'file', path: 'bin/x', data: Buffer.from('hello'), mode: 0o755 },
      { kind: 'char', path: 'dev/console', major: 5, minor: 1 },
    ]),
  );
  assert.equal(raw.subarray(0, 6).toString(), '070701');
  assert.equal(raw.length % 4, 0);
  assert.ok(raw.includes(Buffer.from('TRAILER!!!\0')));
  const fileHeader = raw.indexOf(Buffer.from('bin/x\0')) - 110;
  assert.equal(
    raw.subarray(fileHeader + 14, fileHeader + 22).toString(),
    (0o100755).toString(16).padStart(8, '0'),
  );
  if (existsSync('/usr/bin/cpio')) {
    const listing = execFileSync('cpio', ['-t'], {
      input: raw,
      stdio: ['pipe', 'pipe', 'ignore'],
    }).toString();
    assert.deepEqual(listing.trim().split('\n'), ['bin', 'bin/x', 'dev/console']);
  }
});

test('module load order puts dependencies first and skips absent modules', () => {
  const dep = [
    'kernel/virtio_pci.ko: kernel/virtio.ko kernel/virtio_ring.ko',
    'kernel/virtio.ko: kernel/virtio_ring.ko',
    'kernel/virtio_ring.ko:',
    'kernel/nls_iso8859-1.ko:',
  ].join('\n');
  assert.deepEqual(moduleLoadOrder(dep, ['virtio_pci', 'nls_iso8859_1', 'nothere']), [
    'kernel/virtio_ring.ko',
    'kernel/virtio.ko',
    'kernel/virtio_pci.ko',
    'kernel/nls_iso8859-1.ko',
  ]);
});

test('a dynamically linked busybox is refused', () => {
  if (existsSync('/bin/busybox')) assert.equal(isStaticElf(readFileSync('/bin/busybox')), true);
  assert.equal(isStaticElf(readFileSync(process.execPath)), false);
});

const kernel = findKernel();
const qemu = ['/usr/bin/qemu-system-x86_64', '/usr/local/bin/qemu-system-x86_64'].find(existsSync);
const canBoot = kernel !== undefined && qemu !== undefined && existsSync('/bin/busybox');

describe('the tiny guest boots under plain QEMU (TCG)', {
  skip: canBoot ? false : 'needs qemu-system-x86, linux-image-cloud-amd64, busybox-static',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-tiny-'));
  let proc: ChildProcess | undefined;
  let serial = '';
  after(() => {
    if (proc && proc.exitCode === null && proc.pid) process.kill(proc.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const waitFor = async (re: RegExp, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) if (re.test(serial)) return;
    assert.fail(
      `not seen on the serial console within ${ms} ms: ${re}\n--- serial ---\n${serial.slice(-3000)}`,
    );
  };

  test('banner, DHCP, uptime, then a clean power-off on the ACPI power button', {
    timeout: 240_000,
  }, async () => {
    const a = await buildTinyImage({ outputDir: dir, version: 'test' });
    const monitor = join(dir, 'monitor.sock');
    proc = spawn(
      qemu as string,
      [
        ...['-accel', 'tcg', '-m', '256', '-display', 'none', '-no-reboot', '-serial', 'stdio'],
        ...['-monitor', `unix:${monitor},server,nowait`],
        ...['-kernel', a.kernel, '-initrd', a.initrd, '-append', 'console=ttyS0 panic=-1'],
        ...['-nic', 'user,model=virtio-net-pci,restrict=on'],
        ...['-drive', `file=${a.disk},format=raw,if=virtio`],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout?.on('data', (b: Buffer) => {
      serial += b.toString();
    });
    proc.stderr?.on('data', (b: Buffer) => {
      serial += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => proc?.on('exit', (code) => resolve(code)));
    await waitFor(new RegExp(bannerLine('test')), 120_000);
    await waitFor(new RegExp(`${BANNER_PREFIX}: eth0 10\\.0\\.2\\.15`), 60_000);
    await waitFor(new RegExp(`${BANNER_PREFIX}: uptime [0-9.]+s`), 60_000);
    const sock = connect(monitor);
    await new Promise((resolve) => sock.once('connect', resolve));
    sock.write('system_powerdown\n');
    await waitFor(/power button pressed, powering off/, 60_000);
    const code = await Promise.race([exited, sleep(60_000, 'timeout', { ref: false })]);
    sock.destroy();
    assert.equal(code, 0);
    assert.match(serial, /reboot: Power down/);
  });
});

describe('ensureDefaultImage', () => {
  test('registers the tiny guest (or a placeholder without the packages) once', async () => {
    const { testDialects } = await import('../../db/test-dialects.ts');
    const { testImageService } = await import('../test-support.ts');
    const { ImageClient } = await import('../../image-client/client.ts');
    const { silentLogger } = await import('../../common/log.ts');
    const { ensureDefaultImage } = await import('./default-image.ts');
    const d = testDialects()[1];
    const svc = await testImageService(await d.open(['image']));
    try {
      const url = await svc.app.listen({ host: '127.0.0.1', port: 0 });
      const client = new ImageClient({ endpoints: [url], token: 'admin:admin' });
      const opts = { client, outputDir: join(svc.dir, 'tiny'), version: 't', log: silentLogger() };
      const first = await ensureDefaultImage(opts);
      assert.equal(first.kind, canBoot ? 'tiny' : 'placeholder');
      assert.equal(first.image.status, 'active');
      if (first.kind === 'tiny') {
        assert.equal(first.image.disk_format, 'ami');
        const kernel = await client.show(first.image.properties.kernel_id);
        const ramdisk = await client.show(first.image.properties.ramdisk_id);
        assert.equal(kernel.disk_format, 'aki');
        assert.equal(ramdisk.disk_format, 'ari');
      }
      const second = await ensureDefaultImage(opts);
      assert.equal(second.kind, 'existing');
      assert.equal(second.image.id, first.image.id);
      const placeholder = await ensureDefaultImage({
        ...opts,
        name: 'other',
        outputDir: join(svc.dir, 'x'),
        kernel: join(svc.dir, 'no-such-vmlinuz'),
      });
      assert.equal(placeholder.kind, 'placeholder');
      assert.match(placeholder.reason ?? '', /linux-image-cloud-amd64/);
      assert.equal(placeholder.image.size, 1024 * 1024);
    } finally {
      await svc.close();
      await d.cleanup();
    }
  });
});
