// A gzip-compressed cpio archive in the kernel's initramfs format ("newc", magic 070701), built in
// memory: no cpio binary, and device nodes need no root.
import { gzipSync } from 'node:zlib';

export type CpioEntry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly kind: 'file'; readonly path: string; readonly data: Buffer; readonly mode?: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | {
      readonly kind: 'char';
      readonly path: string;
      readonly major: number;
      readonly minor: number;
      readonly mode?: number;
    };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);

function record(
  ino: number,
  name: string,
  mode: number,
  data: Buffer,
  rdev: [number, number] = [0, 0],
): Buffer {
  const nameBuf = Buffer.from(`${name}\0`);
  const fields = [
    ino,
    mode,
    0,
    0,
    mode & S_IFDIR ? 2 : 1,
    0,
    data.length,
    0,
    0,
    rdev[0],
    rdev[1],
    nameBuf.length,
    0,
  ];
  const header = Buffer.from(`070701${fields.map(hex8).join('')}`);
  return Buffer.concat([header, nameBuf, pad4(header.length + nameBuf.length), data, pad4(data.length)]);
}

function entryRecord(e: CpioEntry, ino: number): Buffer {
  switch (e.kind) {
    case 'dir':
      return record(ino, e.path, S_IFDIR | (e.mode ?? 0o755), Buffer.alloc(0));
    case 'file':
      return record(ino, e.path, S_IFREG | (e.mode ?? 0o644), e.data);
    case 'symlink':
      return record(ino, e.path, S_IFLNK | 0o777, Buffer.from(e.target));
    case 'char':
      return record(ino, e.path, S_IFCHR | (e.mode ?? 0o600), Buffer.alloc(0), [e.major, e.minor]);
  }
}

/** The archive of `entries` (paths relative, without a leading slash), gzip-compressed. */
export function buildCpioGz(entries: readonly CpioEntry[]): Buffer {
  const parts = entries.map((e, i) => entryRecord(e, i + 1));
  parts.push(record(0, 'TRAILER!!!', 0, Buffer.alloc(0)));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}
