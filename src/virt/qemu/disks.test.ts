import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  copyDiskStandalone,
  createEphemeralDisk,
  createRootDisk,
  createSwapDisk,
  FlavorDiskSmallerThanImage,
  freeDiskGb,
  growDisk,
  ResizeError,
  removeInstanceDir,
} from './disks.ts';
import type { CachedImage } from './image-cache.ts';
import {
  QemuImgError,
  qemuImgConvert,
  qemuImgCreate,
  qemuImgInfo,
  qemuImgRebase,
  runQemuImg,
} from './qemu-img.ts';
import { imageInfo, skipWithoutQemuImg, tempDir } from './storage-test-support.ts';

const GiB = 1024 ** 3;
const skip = await skipWithoutQemuImg();
if (skip) console.log(`# skipping disk tests: ${skip}`);

/** A qcow2 base of `size` bytes whose first block says `hello base`. */
async function base(dir: string, size = 64 * 1024 * 1024): Promise<CachedImage> {
  const raw = join(dir, 'b.raw');
  await writeFile(raw, Buffer.concat([Buffer.from('hello base'), Buffer.alloc(size - 10)]));
  const path = join(dir, 'b.qcow2');
  await qemuImgConvert(raw, path, { inFormat: 'raw', outFormat: 'qcow2' });
  return { path, format: 'qcow2', virtualSize: size, image: imageInfo('b', Buffer.alloc(0)) };
}

async function rawContent(dir: string, path: string, bytes: number): Promise<string> {
  const out = join(dir, `out-${Math.random()}.raw`);
  await runQemuImg(['dd', '-O', 'raw', 'bs=512', 'count=1', `if=${path}`, `of=${out}`]);
  return (await readFile(out)).subarray(0, bytes).toString();
}

describe('qemu-img wrapper', { skip }, () => {
  it('info, create, rebase; errors carry stderr on one line', async (t) => {
    const dir = await tempDir(t);
    const b = await base(dir);
    const info = await qemuImgInfo(b.path);
    assert.deepEqual([info.format, info.virtualSize, info.backingFile], ['qcow2', b.virtualSize, null]);
    assert.ok(info.actualSize > 0);
    const top = join(dir, 'top.qcow2');
    await qemuImgCreate(top, { format: 'qcow2', backing: { path: b.path, format: 'qcow2' } });
    assert.equal((await qemuImgInfo(top)).backingFile, b.path);
    await qemuImgRebase(top, '', 'qcow2'); // flatten
    assert.equal((await qemuImgInfo(top)).backingFile, null);
    assert.equal(await rawContent(dir, top, 10), 'hello base');
    await assert.rejects(qemuImgInfo(join(dir, 'missing')), (err: Error) => {
      assert.ok(err instanceof QemuImgError);
      assert.match(err.message, /^qemu-img info failed: .*No such file or directory$/);
      assert.ok(!err.message.includes('\n'));
      assert.match(err.stderr, /No such file/);
      return true;
    });
  });
});

describe('instance disks', { skip }, () => {
  it('the root disk is a qcow2 overlay on the base, sized to root_gb (or the image when 0)', async (t) => {
    const dir = await tempDir(t);
    const b = await base(dir);
    const inst = join(dir, 'instances', 'uuid-1');
    const disk = await createRootDisk(inst, b, 1);
    assert.equal(disk, join(inst, 'disk'));
    const info = await qemuImgInfo(disk);
    assert.deepEqual([info.format, info.virtualSize, info.backingFile], ['qcow2', GiB, b.path]);
    assert.equal(await rawContent(dir, disk, 10), 'hello base');
    const zero = await createRootDisk(join(dir, 'instances', 'uuid-2'), b, 0);
    assert.equal((await qemuImgInfo(zero)).virtualSize, b.virtualSize);
  });

  it('refuses a flavor disk smaller than the image', async (t) => {
    const dir = await tempDir(t);
    const big = { ...(await base(dir)), virtualSize: 3 * GiB };
    await assert.rejects(createRootDisk(join(dir, 'i'), big, 2), (err: Error) => {
      assert.ok(err instanceof FlavorDiskSmallerThanImage);
      assert.equal(
        err.message,
        `Flavor's disk is too small for requested image. Flavor disk is ${2 * GiB} bytes, image is ${3 * GiB} bytes.`,
      );
      return true;
    });
  });

  it('ephemeral (qcow2) and swap (raw, mkswap) disks; none when the flavor has 0', async (t) => {
    const dir = await tempDir(t);
    assert.equal(await createEphemeralDisk(dir, 0), null);
    assert.equal(await createSwapDisk(dir, 0), null);
    const eph = await createEphemeralDisk(dir, 2);
    assert.equal(eph, join(dir, 'disk.local'));
    const ei = await qemuImgInfo(eph!);
    assert.deepEqual([ei.format, ei.virtualSize, ei.backingFile], ['qcow2', 2 * GiB, null]);
    const swap = await createSwapDisk(dir, 16);
    assert.equal(swap, join(dir, 'disk.swap'));
    assert.equal((await stat(swap!)).size, 16 * 1024 * 1024);
    assert.equal((await qemuImgInfo(swap!, { format: 'raw' })).format, 'raw');
    const head = await readFile(swap!);
    if (head.includes('SWAPSPACE2')) assert.equal(head.subarray(4086, 4096).toString(), 'SWAPSPACE2');
  });

  it('an ephemeral disk formatted as ext4 labelled ephemeral0 when asked', async (t) => {
    const dir = await tempDir(t);
    const eph = await createEphemeralDisk(dir, 1, { fsType: 'ext4' });
    assert.equal(eph, join(dir, 'disk.local'));
    const info = await qemuImgInfo(eph!);
    assert.deepEqual([info.format, info.virtualSize], ['qcow2', GiB]);
    assert.ok(info.actualSize < 64 * 1024 * 1024, 'stays sparse');
    const head = join(dir, 'head.raw');
    await runQemuImg(['dd', '-O', 'raw', 'bs=4096', 'count=1', `if=${eph}`, `of=${head}`]);
    const sb = (await readFile(head)).subarray(1024, 2048); // the ext superblock
    assert.equal(sb.readUInt16LE(0x38), 0xef53);
    assert.equal(sb.subarray(0x78, 0x78 + 10).toString(), 'ephemeral0');
    assert.deepEqual((await readdir(dir)).sort(), ['disk.local', 'head.raw']);
    await assert.rejects(
      createEphemeralDisk(dir, 1, { fsType: 'nosuchfs' }),
      /mkfs.nosuchfs is not installed/,
    );
  });

  it('grows a disk; the same size does nothing; shrinking is refused', async (t) => {
    const dir = await tempDir(t);
    const disk = await createRootDisk(join(dir, 'i'), await base(dir), 1);
    await growDisk(disk, 2 * GiB);
    assert.equal((await qemuImgInfo(disk)).virtualSize, 2 * GiB);
    await growDisk(disk, 2 * GiB);
    await assert.rejects(growDisk(disk, GiB), (err: Error) => {
      assert.ok(err instanceof ResizeError);
      assert.match(err.message, /Resize to a smaller disk is not supported/);
      return true;
    });
    assert.equal((await qemuImgInfo(disk)).virtualSize, 2 * GiB);
    assert.equal(await rawContent(dir, disk, 10), 'hello base');
  });

  it('copies an overlay into a standalone qcow2', async (t) => {
    const dir = await tempDir(t);
    const disk = await createRootDisk(join(dir, 'i'), await base(dir), 1);
    const snap = join(dir, 'snap.qcow2');
    await copyDiskStandalone(disk, snap, { forceShare: true });
    const info = await qemuImgInfo(snap);
    assert.deepEqual([info.format, info.virtualSize, info.backingFile], ['qcow2', GiB, null]);
    assert.equal(await rawContent(dir, snap, 10), 'hello base');
    await assert.rejects(copyDiskStandalone(join(dir, 'nope'), join(dir, 'x.qcow2')), QemuImgError);
    await assert.rejects(stat(join(dir, 'x.qcow2.part')), { code: 'ENOENT' });
  });

  it('removes an instance directory (a missing one too) and reports free space', async (t) => {
    const dir = await tempDir(t);
    const inst = join(dir, 'uuid');
    await createEphemeralDisk(inst, 1);
    await removeInstanceDir(inst);
    await assert.rejects(stat(inst), { code: 'ENOENT' });
    await removeInstanceDir(inst);
    await assert.rejects(removeInstanceDir('/'), /Refusing/);
    const free = await freeDiskGb(join(dir, 'not', 'yet'));
    assert.ok(Number.isInteger(free) && free >= 0);
  });
});
