// Test helpers for the QEMU storage modules: temporary directories, small images made with the real
// qemu-img, and an in-memory image source that counts its downloads.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Download, ImageInfo } from '../../image-client/client.ts';
import { ImageNotFound } from '../../image-client/errors.ts';
import type { ImageSource } from './image-cache.ts';
import { qemuImgAvailable, qemuImgConvert } from './qemu-img.ts';

/** The skip reason when qemu-img is missing, else false. */
export async function skipWithoutQemuImg(): Promise<string | false> {
  return (await qemuImgAvailable()) ? false : 'qemu-img is not installed (Debian package qemu-utils)';
}

export async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nova-ts-qemu-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A raw disk of `size` bytes with a recognisable pattern, and the same disk as qcow2. */
export async function makeDiskBytes(
  dir: string,
  size = 2 * 1024 * 1024,
): Promise<{ raw: Buffer; qcow2: Buffer }> {
  const raw = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) raw.write(`block ${i / 4096}`, i);
  const rawPath = join(dir, 'src.raw');
  const qPath = join(dir, 'src.qcow2');
  await writeFile(rawPath, raw);
  await qemuImgConvert(rawPath, qPath, { inFormat: 'raw', outFormat: 'qcow2' });
  const qcow2 = await readFile(qPath);
  await rm(rawPath);
  await rm(qPath);
  return { raw, qcow2 };
}

export function imageInfo(id: string, data: Buffer, over: Partial<ImageInfo> = {}): ImageInfo {
  return {
    id,
    name: id,
    status: 'active',
    visibility: 'public',
    size: data.length,
    virtual_size: null,
    checksum: createHash('md5').update(data).digest('hex'),
    os_hash_algo: 'sha512',
    os_hash_value: createHash('sha512').update(data).digest('hex'),
    min_disk: 0,
    min_ram: 0,
    owner: null,
    protected: false,
    disk_format: 'qcow2',
    container_format: 'bare',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    tags: [],
    properties: {},
    ...over,
  };
}

/** Images held in memory; `downloads` counts download() calls per image. */
export class MemoryImages implements ImageSource {
  readonly images = new Map<string, { info: ImageInfo; data: Buffer }>();
  readonly downloads = new Map<string, number>();
  shows = 0;

  add(info: ImageInfo, data: Buffer): this {
    this.images.set(info.id, { info, data });
    return this;
  }

  async show(id: string): Promise<ImageInfo> {
    this.shows++;
    const i = this.images.get(id);
    if (!i) throw new ImageNotFound(id);
    return i.info;
  }

  async download(id: string): Promise<Download> {
    const i = this.images.get(id);
    if (!i) throw new ImageNotFound(id);
    this.downloads.set(id, (this.downloads.get(id) ?? 0) + 1);
    // in small chunks, asynchronously, so concurrent callers really overlap
    const chunks: Buffer[] = [];
    for (let o = 0; o < i.data.length; o += 64 * 1024) chunks.push(i.data.subarray(o, o + 64 * 1024));
    return { stream: Readable.from(chunks), size: i.data.length, image: i.info };
  }
}
