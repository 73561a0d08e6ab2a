// Glance's filesystem store: one file per image under filesystem_store_datadir, named by image id.
// Uploads stream into a temporary file in the same directory while md5 (checksum) and sha512
// (os_hash_value) are computed, then are renamed into place: a reader never sees half an image,
// and a cut-off upload leaves nothing behind. Nothing is held in memory beyond a stream chunk.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { badRequest, tooLarge } from '../faults.ts';
import { gcNudger } from './gc-nudge.ts';

export interface StoredData {
  readonly size: number;
  /** md5 hex digest (Glance's `checksum`). */
  readonly checksum: string;
  /** sha512 hex digest (`os_hash_value`). */
  readonly hash: string;
}

export interface PutOptions {
  /** Largest accepted size ([image] image_size_cap): more is a 413. */
  readonly sizeCap: number;
  /** The size the client announced (x-openstack-image-size): a different size is a 400. */
  readonly expectedSize?: number;
}

export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

export interface FileStore {
  readonly dir: string;
  put(id: string, data: Readable, opts: PutOptions): Promise<StoredData>;
  /** A stream of the image's bytes (or a range of them). */
  open(id: string, range?: ByteRange): ReadStream;
  /** The stored size, or undefined when the image has no data file. */
  sizeOf(id: string): Promise<number | undefined>;
  remove(id: string): Promise<void>;
}

const PART = '.part';
/** Buffering between socket, hashes and disk: large enough to batch writes, small enough for RSS. */
const CHUNK = 256 * 1024;

/** Counts and hashes what passes through; fails once more than `cap` bytes went by. */
class HashingCounter extends Transform {
  readonly md5 = createHash('md5');
  readonly sha512 = createHash('sha512');
  bytes = 0;
  readonly #cap: number;
  readonly #nudge = gcNudger();
  constructor(cap: number) {
    super({ highWaterMark: CHUNK });
    this.#cap = cap;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.#cap) {
      done(tooLarge(`The incoming image is too large: exceeds the limit of ${this.#cap} bytes`));
      return;
    }
    this.md5.update(chunk);
    this.sha512.update(chunk);
    this.#nudge(chunk.length);
    done(null, chunk);
  }
}

/** Opens the store, creating its directory and removing temporary files a crash left behind. */
export async function openFileStore(dir: string): Promise<FileStore> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) if (name.endsWith(PART)) await rm(join(dir, name), { force: true });
  const pathOf = (id: string) => join(dir, id);

  return Object.freeze({
    dir,
    async put(id: string, data: Readable, opts: PutOptions): Promise<StoredData> {
      const tmp = join(dir, `.${id}.${randomBytes(6).toString('hex')}${PART}`);
      const counter = new HashingCounter(opts.sizeCap);
      try {
        await pipeline(data, counter, createWriteStream(tmp, { flags: 'wx', highWaterMark: CHUNK }));
        if (opts.expectedSize !== undefined && counter.bytes !== opts.expectedSize)
          throw badRequest(
            `Uploaded data size ${counter.bytes} does not match the expected size ${opts.expectedSize}`,
          );
        await rename(tmp, pathOf(id));
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return Object.freeze({
        size: counter.bytes,
        checksum: counter.md5.digest('hex'),
        hash: counter.sha512.digest('hex'),
      });
    },
    open(id: string, range?: ByteRange): ReadStream {
      const stream = createReadStream(pathOf(id), {
        highWaterMark: CHUNK,
        ...(range ? { start: range.start, end: range.end } : {}),
      });
      const nudge = gcNudger();
      stream.on('data', (chunk) => nudge(chunk.length));
      return stream;
    },
    async sizeOf(id: string): Promise<number | undefined> {
      try {
        return (await stat(pathOf(id))).size;
      } catch {
        return undefined;
      }
    },
    async remove(id: string): Promise<void> {
      await rm(pathOf(id), { force: true });
    },
  });
}
