import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ImageCache, ImageCacheDiskFull, ImageUnacceptable } from './image-cache.ts';
import { qemuImgCreate, qemuImgInfo, runQemuImg } from './qemu-img.ts';
import {
  imageInfo,
  MemoryImages,
  makeDiskBytes,
  skipWithoutQemuImg,
  tempDir,
} from './storage-test-support.ts';

const run = promisify(execFile);
const skip = await skipWithoutQemuImg();
if (skip) console.log(`# skipping image cache tests: ${skip}`);

describe('ImageCache', { skip }, () => {
  let bytes: { raw: Buffer; qcow2: Buffer };
  before(async () => {
    bytes = await makeDiskBytes(await tempDir({ after }));
  });

  it('downloads a qcow2 image once; a later fetch hits the cache', async (t) => {
    const dir = await tempDir(t);
    const src = new MemoryImages().add(imageInfo('img1', bytes.qcow2), bytes.qcow2);
    const cache = new ImageCache({ dir });
    const a = await cache.fetch(src, 'img1');
    assert.equal(a.path, join(dir, 'img1.qcow2'));
    assert.equal(a.format, 'qcow2');
    assert.equal(a.virtualSize, bytes.raw.length);
    assert.equal(a.image.id, 'img1');
    const b = await new ImageCache({ dir }).fetch(src, 'img1'); // even from a new cache object
    assert.deepEqual(b, a);
    assert.equal(src.downloads.get('img1'), 1);
    assert.equal(src.shows, 0);
    assert.deepEqual((await readdir(dir)).sort(), ['img1.qcow2', 'img1.qcow2.json']);
  });

  it('converts a raw (and an ami) image to a qcow2 base with the same content', async (t) => {
    const dir = await tempDir(t);
    const src = new MemoryImages()
      .add(imageInfo('r', bytes.raw, { disk_format: 'raw' }), bytes.raw)
      .add(imageInfo('a', bytes.raw, { disk_format: 'ami', container_format: 'ami' }), bytes.raw);
    const cache = new ImageCache({ dir });
    for (const id of ['r', 'a']) {
      const c = await cache.fetch(src, id);
      assert.equal(c.path, join(dir, `${id}.qcow2`));
      const info = await qemuImgInfo(c.path);
      assert.equal(info.format, 'qcow2');
      assert.equal(info.virtualSize, bytes.raw.length);
      const back = join(dir, `${id}.back`);
      await runQemuImg([
        'dd',
        '-O',
        'raw',
        'bs=65536',
        `count=${bytes.raw.length / 65536}`,
        `if=${c.path}`,
        `of=${back}`,
      ]);
      assert.ok((await readFile(back)).equals(bytes.raw));
    }
  });

  it('concurrent fetches of one image share a single download', async (t) => {
    const dir = await tempDir(t);
    const src = new MemoryImages().add(imageInfo('img', bytes.raw, { disk_format: 'raw' }), bytes.raw);
    const cache = new ImageCache({ dir });
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => cache.fetch(src, 'img')));
    assert.equal(src.downloads.get('img'), 1);
    for (const c of all) assert.equal(c.path, all[0].path);
  });

  it('keeps kernels and ramdisks (aki/ari) raw', async (t) => {
    const dir = await tempDir(t);
    const kernel = randomBytes(300_000);
    const ramdisk = Buffer.from('070701 not really a cpio but raw bytes');
    const src = new MemoryImages()
      .add(imageInfo('k', kernel, { disk_format: 'aki', container_format: 'aki' }), kernel)
      .add(imageInfo('rd', ramdisk, { disk_format: 'ari', container_format: 'ari' }), ramdisk);
    const cache = new ImageCache({ dir });
    const k = await cache.fetch(src, 'k');
    assert.deepEqual([k.path, k.format, k.virtualSize], [join(dir, 'k.aki'), 'raw', kernel.length]);
    assert.deepEqual(await readFile(k.path), kernel);
    const r = await cache.fetch(src, 'rd');
    assert.deepEqual([r.path, r.format], [join(dir, 'rd.ari'), 'raw']);
    assert.equal((await cache.fetch(src, 'k')).path, k.path);
    assert.equal(src.downloads.get('k'), 1);
  });

  it('a hash mismatch is ImageUnacceptable and leaves no file', async (t) => {
    const dir = await tempDir(t);
    const info = imageInfo('bad', bytes.qcow2, { os_hash_value: 'ab'.repeat(64) });
    const src = new MemoryImages().add(info, bytes.qcow2);
    const cache = new ImageCache({ dir });
    await assert.rejects(cache.fetch(src, 'bad'), (err: Error) => {
      assert.ok(err instanceof ImageUnacceptable);
      assert.equal(err.name, 'ImageUnacceptable');
      assert.match(err.message, /^Image bad is unacceptable: .*sha512/);
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
    // md5 checksum when the image has no os_hash_*
    src.add(
      imageInfo('md5', bytes.raw, { os_hash_algo: null, os_hash_value: null, checksum: '0'.repeat(32) }),
      bytes.raw,
    );
    await assert.rejects(cache.fetch(src, 'md5'), /Image md5 is unacceptable: .*md5/);
    assert.deepEqual(await readdir(dir), []);
  });

  it('junk claiming qcow2, a qcow2 claiming raw or a backing file is ImageUnacceptable', async (t) => {
    const dir = await tempDir(t);
    const junk = randomBytes(100_000);
    const src = new MemoryImages()
      .add(imageInfo('junk', junk), junk)
      .add(imageInfo('liar', bytes.qcow2, { disk_format: 'raw' }), bytes.qcow2)
      .add(imageInfo('vhd', junk, { disk_format: 'vhd' }), junk)
      .add(imageInfo('docker', junk, { disk_format: 'docker' }), junk);
    const cache = new ImageCache({ dir });
    await assert.rejects(
      cache.fetch(src, 'junk'),
      /Image junk is unacceptable: its disk_format is qcow2 but/,
    );
    await assert.rejects(cache.fetch(src, 'liar'), /Image liar is unacceptable: .*in qcow2 format/);
    await assert.rejects(cache.fetch(src, 'vhd'), ImageUnacceptable);
    await assert.rejects(cache.fetch(src, 'docker'), /disk_format docker is not supported/);
    // a qcow2 whose header points at a host file
    const sub = await tempDir(t);
    await qemuImgCreate(join(sub, 'evil.qcow2'), {
      format: 'qcow2',
      backing: { path: '/etc/hostname', format: 'raw' },
      sizeBytes: 1024 * 1024,
    });
    const evil = await readFile(join(sub, 'evil.qcow2'));
    src.add(imageInfo('evil', evil), evil);
    await assert.rejects(cache.fetch(src, 'evil'), /Image evil is unacceptable: it has a backing file/);
    assert.deepEqual(await readdir(dir), []);
  });

  it('prune removes unused old files and keeps used or recent ones', async (t) => {
    const dir = await tempDir(t);
    const src = new MemoryImages()
      .add(imageInfo('used', bytes.qcow2), bytes.qcow2)
      .add(imageInfo('old', bytes.qcow2), bytes.qcow2)
      .add(imageInfo('new', bytes.qcow2), bytes.qcow2);
    const cache = new ImageCache({ dir });
    for (const id of ['used', 'old', 'new']) await cache.fetch(src, id);
    const longAgo = new Date(Date.now() - 10 * 86400_000);
    for (const id of ['used', 'old']) await utimes(join(dir, `${id}.qcow2`), longAgo, longAgo);
    await writeFile(join(dir, '.tmp-x-1234'), 'partial');
    await utimes(join(dir, '.tmp-x-1234'), longAgo, longAgo);
    await writeFile(join(dir, 'ghost.qcow2.json'), '{}'); // an image record without its data
    await utimes(join(dir, 'ghost.qcow2.json'), longAgo, longAgo);
    await writeFile(join(dir, 'unrelated.txt'), 'keep');
    const removed = await cache.prune(new Set(['used']), 86400);
    assert.deepEqual(removed.sort(), [
      join(dir, '.tmp-x-1234'),
      join(dir, 'ghost.qcow2.json'),
      join(dir, 'old.qcow2'),
    ]);
    assert.deepEqual((await readdir(dir)).sort(), [
      'new.qcow2',
      'new.qcow2.json',
      'unrelated.txt',
      'used.qcow2',
      'used.qcow2.json',
    ]);
    assert.ok((await stat(join(dir, 'used.qcow2'))).mtimeMs > Date.now() - 60_000, 'in-use file touched');
    // gone from the cache: the next fetch downloads again
    await cache.fetch(src, 'old');
    assert.equal(src.downloads.get('old'), 2);
  });

  it('a full disk is a clear error and leaves no partial file', async (t) => {
    const mnt = await mkdtemp(join(tmpdir(), 'nova-ts-full-'));
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
    } catch {
      await rm(mnt, { recursive: true });
      t.skip('needs root to mount a small tmpfs');
      return;
    }
    t.after(async () => {
      await run('umount', [mnt]);
      await rm(mnt, { recursive: true });
    });
    const big = randomBytes(4 * 1024 * 1024); // the download itself does not fit
    const mid = randomBytes(2 * 1024 * 1024); // the download fits, its qcow2 copy does not
    const src = new MemoryImages()
      .add(imageInfo('big', big, { disk_format: 'raw' }), big)
      .add(imageInfo('mid', mid, { disk_format: 'raw' }), mid);
    const cache = new ImageCache({ dir: mnt });
    for (const id of ['big', 'mid']) {
      await assert.rejects(cache.fetch(src, id), (err: Error) => {
        assert.ok(err instanceof ImageCacheDiskFull, String(err));
        assert.match(err.message, new RegExp(`^No space left on the device of .* to cache image ${id}\\.$`));
        return true;
      });
      assert.deepEqual(await readdir(mnt), []);
    }
  });

  it('a bad image id is refused before any download', async (t) => {
    const cache = new ImageCache({ dir: await tempDir(t) });
    await assert.rejects(cache.fetch(new MemoryImages(), '../etc'), ImageUnacceptable);
  });
});
