// Per-instance disks in the instance directory, upstream's layout: <instances_path>/<uuid>/disk
// (qcow2 overlay on the cached base image), disk.local (ephemeral), disk.swap, disk.config and
// console.log.
import { execFile } from 'node:child_process';
import { access, constants, mkdir, rename, rm, statfs } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Fault, Invalid } from '../../faults/fault.ts';
import type { CachedImage } from './image-cache.ts';
import { qemuImgConvert, qemuImgCreate, qemuImgInfo, qemuImgResize } from './qemu-img.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** Upstream's file names inside an instance directory. */
export const DiskNames = Object.freeze({
  root: 'disk',
  ephemeral: 'disk.local',
  swap: 'disk.swap',
  config: 'disk.config',
  console: 'console.log',
});

/** The flavor's root disk cannot hold the image (upstream FlavorDiskSmallerThanImage, 400). */
export class FlavorDiskSmallerThanImage extends Invalid {
  readonly flavorSize: number;
  readonly imageSize: number;
  constructor(flavorSize: number, imageSize: number) {
    super(
      `Flavor's disk is too small for requested image. Flavor disk is ${flavorSize} bytes, image is ${imageSize} bytes.`,
      'nova.flavor_disk_smaller_than_image',
    );
    this.flavorSize = flavorSize;
    this.imageSize = imageSize;
  }
}

/** A disk cannot be resized as asked (upstream ResizeError). */
export class ResizeError extends Fault {
  constructor(reason: string) {
    super(`Resize error: ${reason}`, 400, 'nova.resize_error');
  }
}

/**
 * The root disk: a qcow2 overlay on the base image, sized max(root_gb GiB, image virtual size);
 * root_gb 0 means the image's own size.
 */
export async function createRootDisk(
  instanceDir: string,
  base: CachedImage,
  rootGb: number,
): Promise<string> {
  const flavorBytes = rootGb * GiB;
  if (rootGb > 0 && base.virtualSize > flavorBytes)
    throw new FlavorDiskSmallerThanImage(flavorBytes, base.virtualSize);
  await mkdir(instanceDir, { recursive: true });
  const path = join(instanceDir, DiskNames.root);
  await qemuImgCreate(path, {
    format: 'qcow2',
    sizeBytes: Math.max(flavorBytes, base.virtualSize),
    backing: { path: base.path, format: base.format },
  });
  return path;
}

/**
 * disk.local: a qcow2 of `gb` GiB, or null when the flavor has no ephemeral disk. Blank unless
 * `fsType` (upstream's default_ephemeral_format: ext4, ext3, ext2, vfat…) is given; then it holds
 * that filesystem labelled `label` (upstream: ephemeral0), made with mkfs on a sparse raw file.
 */
export async function createEphemeralDisk(
  instanceDir: string,
  gb: number,
  opts: { fsType?: string | null; label?: string } = {},
): Promise<string | null> {
  if (gb <= 0) return null;
  await mkdir(instanceDir, { recursive: true });
  const path = join(instanceDir, DiskNames.ephemeral);
  if (!opts.fsType) {
    await qemuImgCreate(path, { format: 'qcow2', sizeBytes: gb * GiB });
    return path;
  }
  const raw = `${path}.raw.part`;
  try {
    await qemuImgCreate(raw, { format: 'raw', sizeBytes: gb * GiB });
    await mkfs(opts.fsType, opts.label ?? 'ephemeral0', raw);
    await qemuImgConvert(raw, path, { inFormat: 'raw', outFormat: 'qcow2' });
  } finally {
    await rm(raw, { force: true });
  }
  return path;
}

const SBIN = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

async function findTool(name: string): Promise<string | null> {
  for (const d of SBIN) {
    try {
      await access(join(d, name), constants.X_OK);
      return join(d, name);
    } catch {}
  }
  return null;
}

function run(file: string, args: readonly string[]): Promise<void> {
  return new Promise((ok, fail) =>
    execFile(file, args, { timeout: 120_000 }, (err, _out, stderr) =>
      err
        ? fail(new Fault(`${file} failed: ${String(stderr).replace(/\s+/g, ' ').trim() || err.message}`))
        : ok(),
    ),
  );
}

const MKFS_PACKAGES: Readonly<Record<string, string>> = {
  ext2: 'e2fsprogs',
  ext3: 'e2fsprogs',
  ext4: 'e2fsprogs',
  vfat: 'dosfstools',
  xfs: 'xfsprogs',
  btrfs: 'btrfs-progs',
  ntfs: 'ntfs-3g',
};

/** Makes a filesystem of `fsType` on a file (mkfs.<type> from e2fsprogs or dosfstools). */
async function mkfs(fsType: string, label: string, path: string): Promise<void> {
  if (!/^[a-z0-9]+$/.test(fsType)) throw new Fault(`Unknown ephemeral filesystem type ${fsType}.`);
  const tool = await findTool(`mkfs.${fsType}`);
  if (!tool)
    throw new Fault(
      `Cannot format the ephemeral disk as ${fsType}: mkfs.${fsType} is not installed` +
        (MKFS_PACKAGES[fsType] ? ` (Debian package ${MKFS_PACKAGES[fsType]}).` : '.'),
    );
  const args = /^ext/.test(fsType)
    ? ['-F', '-q', '-L', label, path]
    : fsType === 'vfat'
      ? ['-n', label.slice(0, 11), path]
      : ['-L', label, path];
  await run(tool, args);
}

/** disk.swap: a sparse raw file of `mb` MiB, formatted with mkswap when util-linux has it. */
export async function createSwapDisk(instanceDir: string, mb: number): Promise<string | null> {
  if (mb <= 0) return null;
  await mkdir(instanceDir, { recursive: true });
  const path = join(instanceDir, DiskNames.swap);
  await qemuImgCreate(path, { format: 'raw', sizeBytes: mb * MiB });
  const mkswap = await findTool('mkswap');
  if (mkswap) await run(mkswap, ['-q', path]);
  return path;
}

/** Grows a disk to `newSizeBytes`; the same size does nothing; a smaller one is refused. */
export async function growDisk(path: string, newSizeBytes: number): Promise<void> {
  const info = await qemuImgInfo(path);
  if (newSizeBytes < info.virtualSize)
    throw new ResizeError(
      `Resize to a smaller disk is not supported (${path} is ${info.virtualSize} bytes, asked for ${newSizeBytes}).`,
    );
  if (newSizeBytes === info.virtualSize) return;
  await qemuImgResize(path, newSizeBytes, info.format);
}

/**
 * Flattens `src` (an overlay, or any image) into a standalone qcow2 at `dst`, written under a
 * temporary name and renamed. `forceShare` (-U) reads a disk a running (paused) guest holds open.
 */
export async function copyDiskStandalone(
  src: string,
  dst: string,
  opts: { forceShare?: boolean; compress?: boolean } = {},
): Promise<void> {
  const info = await qemuImgInfo(src, { forceShare: opts.forceShare });
  const tmp = `${dst}.part`;
  try {
    await qemuImgConvert(src, tmp, {
      inFormat: info.format,
      outFormat: 'qcow2',
      forceShare: opts.forceShare,
      compress: opts.compress,
    });
    await rename(tmp, dst);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Removes an instance directory and everything in it; a missing one is fine. */
export async function removeInstanceDir(instanceDir: string): Promise<void> {
  const abs = resolve(instanceDir);
  if (abs === dirname(abs)) throw new Fault(`Refusing to remove ${abs}.`);
  await rm(abs, { recursive: true, force: true });
}

/** Free space (for unprivileged users) on the filesystem holding `path`, in whole GiB. */
export async function freeDiskGb(path: string): Promise<number> {
  let p = resolve(path);
  for (;;) {
    try {
      const s = await statfs(p);
      return Math.floor((s.bavail * s.bsize) / GiB);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || p === dirname(p)) throw err;
      p = dirname(p); // not created yet: the filesystem it will be on
    }
  }
}
