// Hash verification of downloaded image data, as Nova does after a Glance download: the image's
// os_hash_algo/os_hash_value when it has them, else its md5 `checksum`.
import { createHash, getHashes, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ImageHashMismatch } from './errors.ts';

export interface ExpectedHash {
  readonly algo: string;
  readonly value: string;
}

/** What to verify a download of `image` against, or undefined when the image has no hash. */
export function expectedHash(image: {
  readonly os_hash_algo?: string | null;
  readonly os_hash_value?: string | null;
  readonly checksum?: string | null;
}): ExpectedHash | undefined {
  if (image.os_hash_algo && image.os_hash_value && getHashes().includes(image.os_hash_algo))
    return { algo: image.os_hash_algo, value: image.os_hash_value.toLowerCase() };
  if (image.checksum) return { algo: 'md5', value: image.checksum.toLowerCase() };
  return undefined;
}

/** Passes bytes through; fails at the end when their hash differs from `expected`. */
export class VerifyingStream extends Transform {
  readonly #hash: Hash;
  readonly #expected: ExpectedHash;
  readonly #imageId: string;
  constructor(imageId: string, expected: ExpectedHash) {
    super();
    this.#imageId = imageId;
    this.#expected = expected;
    this.#hash = createHash(expected.algo);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#hash.update(chunk);
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    const actual = this.#hash.digest('hex');
    if (actual === this.#expected.value) done();
    else done(new ImageHashMismatch(this.#imageId, this.#expected.algo, this.#expected.value, actual));
  }
}
