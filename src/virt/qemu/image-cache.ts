// The per-host cache of image-service images (upstream's <instances_path>/_base). Each image is
// downloaded once, verified against its hash while it streams to a temporary file, checked with
// qemu-img (its format must be what the image service says, with no backing or data file), then
// turned into a qcow2 base (disk images) or kept raw (kernels, ramdisks) and renamed into place.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../../common/log.ts';
import { Fault, Invalid } from '../../faults/fault.ts';
import type { Download, ImageInfo } from '../../image-client/client.ts';
import { ImageHashMismatch } from '../../image-client/errors.ts';
import { expectedHash } from '../../image-client/verify.ts';
import { QemuImgError, qemuImgConvert, qemuImgInfo } from './qemu-img.ts';

/** What the cache needs of the image client (src/image-client/client.ts ImageClient). */
export interface ImageSource {
  show(id: string): Promise<ImageInfo>;
  download(id: string): Promise<Download>;
}

export interface CachedImage {
  readonly path: string;
  /** The cached file's format: qcow2 for disk images, raw for kernels and ramdisks. */
  readonly format: 'qcow2' | 'raw';
  readonly virtualSize: number;
  readonly image: ImageInfo;
}

/** The image cannot be used (upstream ImageUnacceptable, "Image X is unacceptable: reason"). */
export class ImageUnacceptable extends Invalid {
  readonly imageId: string;
  constructor(imageId: string, reason: string) {
    super(`Image ${imageId} is unacceptable: ${reason}`, 'nova.image_unacceptable');
    this.imageId = imageId;
  }
}

/** The cache's filesystem filled up while an image was fetched or converted. */
export class ImageCacheDiskFull extends Fault {
  constructor(imageId: string, dir: string) {
    super(
      `No space left on the device of ${dir} to cache image ${imageId}.`,
      507,
      'nova.image_cache_disk_full',
    );
  }
}

/** Glance disk_format → the format qemu-img must detect in the data. */
const DISK_FORMATS: Readonly<Record<string, string>> = Object.freeze({
  qcow2: 'qcow2',
  raw: 'raw',
  ami: 'raw',
  iso: 'raw',
  vmdk: 'vmdk',
  vdi: 'vdi',
  vhd: 'vpc',
  vhdx: 'vhdx',
  aki: 'raw',
  ari: 'raw',
});
const KEPT_RAW = new Set(['aki', 'ari']);
const SUFFIXES = ['.qcow2', '.aki', '.ari'];
const TMP_PREFIX = '.tmp-';

const isNoSpace = (err: unknown) =>
  (err as NodeJS.ErrnoException)?.code === 'ENOSPC' || (err instanceof QemuImgError && err.noSpace);

export class ImageCache {
  readonly #dir: string;
  readonly #log: Logger | undefined;
  readonly #inFlight = new Map<string, Promise<CachedImage>>();

  constructor(opts: { dir: string; log?: Logger }) {
    this.#dir = opts.dir;
    this.#log = opts.log;
  }

  get dir(): string {
    return this.#dir;
  }

  /** The cached image, downloading and converting it on first use; concurrent callers share one fetch. */
  fetch(images: ImageSource, imageId: string): Promise<CachedImage> {
    if (!/^[A-Za-z0-9._-]+$/.test(imageId) || imageId.startsWith('.'))
      return Promise.reject(new ImageUnacceptable(imageId, 'the image id is not a valid file name.'));
    let p = this.#inFlight.get(imageId);
    if (!p) {
      p = this.#fetch(images, imageId).finally(() => this.#inFlight.delete(imageId));
      this.#inFlight.set(imageId, p);
    }
    return p;
  }

  async #fetch(images: ImageSource, imageId: string): Promise<CachedImage> {
    const hit = await this.#lookup(images, imageId);
    if (hit) return hit;
    await mkdir(this.#dir, { recursive: true });
    const dl = await images.download(imageId);
    const image = dl.image;
    const fmt = image.disk_format ?? '';
    const expected = DISK_FORMATS[fmt];
    if (!expected) {
      dl.stream.destroy();
      throw new ImageUnacceptable(imageId, `disk_format ${fmt || '(none)'} is not supported by this driver.`);
    }
    const tmp = join(this.#dir, `${TMP_PREFIX}${imageId}-${randomBytes(4).toString('hex')}`);
    const tmpOut = `${tmp}.qcow2`;
    let placed = false;
    let sidecar: string | undefined;
    try {
      await this.#download(dl, tmp);
      const info = await qemuImgInfo(tmp, { limited: true });
      checkFormat(image, info.format, expected, info.backingFile, info.dataFile);
      const raw = KEPT_RAW.has(fmt);
      const final = join(this.#dir, `${imageId}${raw ? `.${fmt}` : '.qcow2'}`);
      sidecar = `${final}.json`;
      if (!raw && info.format !== 'qcow2')
        await qemuImgConvert(tmp, tmpOut, { inFormat: info.format, outFormat: 'qcow2' });
      // the image record first, so a data file in place always has one
      await writeFile(sidecar, JSON.stringify(image));
      await rename(raw || info.format === 'qcow2' ? tmp : tmpOut, final);
      placed = true;
      this.#log?.info({ imageId, path: final, disk_format: fmt }, 'image cached');
      return this.#entry(final, image, raw);
    } catch (err) {
      if (isNoSpace(err)) throw new ImageCacheDiskFull(imageId, this.#dir);
      if (err instanceof ImageHashMismatch) throw new ImageUnacceptable(imageId, err.message);
      if (err instanceof QemuImgError && err.stderr !== '')
        throw new ImageUnacceptable(
          imageId,
          `qemu-img cannot read it (${err.stderr.trim() || err.message}).`,
        );
      throw err;
    } finally {
      await rm(tmp, { force: true });
      await rm(tmpOut, { force: true });
      if (sidecar && !placed) await rm(sidecar, { force: true });
    }
  }

  /** An already cached image, with its stored image record (or a fresh one when that is missing). */
  async #lookup(images: ImageSource, imageId: string): Promise<CachedImage | undefined> {
    for (const suffix of SUFFIXES) {
      const path = join(this.#dir, `${imageId}${suffix}`);
      try {
        await stat(path);
      } catch {
        continue;
      }
      let image: ImageInfo;
      try {
        image = JSON.parse(await readFile(`${path}.json`, 'utf8')) as ImageInfo;
      } catch {
        image = await images.show(imageId);
        await writeFile(`${path}.json`, JSON.stringify(image));
      }
      const now = new Date();
      await utimes(path, now, now).catch(() => {});
      return this.#entry(path, image, suffix !== '.qcow2');
    }
    return undefined;
  }

  async #entry(path: string, image: ImageInfo, raw: boolean): Promise<CachedImage> {
    const virtualSize = raw
      ? (await stat(path)).size
      : (await qemuImgInfo(path, { format: 'qcow2', forceShare: true })).virtualSize;
    return Object.freeze({ path, format: raw ? 'raw' : 'qcow2', virtualSize, image });
  }

  /** Streams the download to `tmp`, hashing as it goes. */
  async #download(dl: Download, tmp: string): Promise<void> {
    const want = expectedHash(dl.image);
    const hash = want ? createHash(want.algo) : undefined;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash?.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(dl.stream, tap, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
    if (want && hash) {
      const actual = hash.digest('hex');
      if (actual !== want.value) throw new ImageHashMismatch(dl.image.id, want.algo, want.value, actual);
    }
  }

  /**
   * Removes cached files no instance uses (`inUse` holds image ids or cached paths) whose last use is
   * older than `minAgeSeconds`, and stale temporary files; in-use files get their time refreshed.
   * Returns the removed paths.
   */
  async prune(inUse: ReadonlySet<string>, minAgeSeconds: number, now = Date.now()): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch {
      return [];
    }
    const present = new Set(names);
    const removed: string[] = [];
    for (const name of names) {
      const path = join(this.#dir, name);
      const suffix = SUFFIXES.find((s) => name.endsWith(s));
      const tmp = name.startsWith(TMP_PREFIX) || (name.endsWith('.json') && !present.has(name.slice(0, -5)));
      if (!suffix && !tmp) continue;
      const id = suffix ? name.slice(0, -suffix.length) : '';
      if (!tmp && (inUse.has(id) || inUse.has(path))) {
        const t = new Date(now);
        await utimes(path, t, t).catch(() => {});
        continue;
      }
      if (!tmp && this.#inFlight.has(id)) continue;
      let age: number;
      try {
        age = (now - (await stat(path)).mtimeMs) / 1000;
      } catch {
        continue;
      }
      if (age < (tmp ? Math.max(minAgeSeconds, 3600) : minAgeSeconds)) continue;
      await rm(path, { force: true });
      await rm(`${path}.json`, { force: true });
      removed.push(path);
      this.#log?.info({ path, ageSeconds: Math.round(age) }, 'removed unused cached image');
    }
    return removed;
  }
}

function checkFormat(
  image: ImageInfo,
  actual: string,
  expected: string,
  backing: string | null,
  dataFile: string | null,
): void {
  if (actual !== expected)
    throw new ImageUnacceptable(
      image.id,
      `its disk_format is ${image.disk_format} but its data is ${actual === 'raw' ? 'not in that format' : `in ${actual} format`}.`,
    );
  if (backing) throw new ImageUnacceptable(image.id, 'it has a backing file.');
  if (dataFile) throw new ImageUnacceptable(image.id, 'it has an external data file.');
}
