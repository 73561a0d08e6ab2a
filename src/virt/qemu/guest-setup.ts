// Turning an instance into a guest on this host: its images from the image cache (the root disk's
// base, and for AMI-style images the kernel and ramdisk its kernel_id/ramdisk_id name), its disks in
// the instance directory (root overlay, ephemeral, swap, config drive) and the record QEMU is started
// from. Anything that fails removes what was made.
import net from 'node:net';
import { join } from 'node:path';
import type { NovaConf } from '../../config/index.ts';
import { tapName } from '../../dataplane/names.ts';
import type { ImageMeta } from '../../scheduler/types.ts';
import type { DriverInstance, SpawnOptions } from '../driver.ts';
import { buildConfigDrive } from './config-drive.ts';
import {
  createEphemeralDisk,
  createRootDisk,
  createSwapDisk,
  DiskNames,
  removeInstanceDir,
} from './disks.ts';
import type { BootFiles, GuestPaths, GuestRecord, GuestVif } from './guest-record.ts';
import type { ImageCache, ImageSource } from './image-cache.ts';

export interface SetupDeps {
  readonly conf: NovaConf;
  readonly cache: ImageCache;
  /** The image service (throws a clear error when this compute has none). */
  readonly images: () => Promise<ImageSource>;
}

/** Kernel and ramdisk of an AMI-style image (kernel_id/ramdisk_id), fetched into the cache. */
export async function bootFilesOf(d: SetupDeps, image: ImageMeta): Promise<BootFiles> {
  const p = image.properties;
  if (!p.kernel_id) return { kernel: null, ramdisk: null, cmdline: null };
  const src = await d.images();
  const kernel = await d.cache.fetch(src, p.kernel_id);
  const ramdisk = p.ramdisk_id ? await d.cache.fetch(src, p.ramdisk_id) : null;
  return {
    kernel: kernel.path,
    ramdisk: ramdisk?.path ?? null,
    cmdline: p.os_command_line ?? 'console=ttyS0',
  };
}

/** The image ids a guest of `image` stands on. */
export function imageIdsOf(imageRef: string | null, image: ImageMeta): string[] {
  const p = image.properties;
  return [imageRef, p.kernel_id, p.ramdisk_id].filter((x): x is string => typeof x === 'string' && x !== '');
}

function configDriveWanted(conf: NovaConf, i: DriverInstance): boolean {
  return i.config_drive || conf.DEFAULT.force_config_drive;
}

/** Makes the guest's disks and returns its record (not yet saved, not started). */
export async function prepareGuest(
  d: SetupDeps,
  i: DriverInstance,
  paths: GuestPaths,
  opts: SpawnOptions,
  serialPort: number,
): Promise<GuestRecord> {
  if (!i.image_ref)
    throw new Error(`Instance ${i.uuid} has no image to boot from (volumes are not supported).`);
  try {
    const src = await d.images();
    const base = await d.cache.fetch(src, i.image_ref);
    const boot = await bootFilesOf(d, i.image);
    const root = await createRootDisk(paths.dir, base, i.flavor.root_gb);
    const ephemeral = await createEphemeralDisk(paths.dir, i.flavor.ephemeral_gb);
    const swap = await createSwapDisk(paths.dir, i.flavor.swap);
    let config: string | null = null;
    if (configDriveWanted(d.conf, i)) {
      config = join(paths.dir, DiskNames.config);
      await buildConfigDrive(
        config,
        {
          uuid: i.uuid,
          name: i.display_name,
          hostname: i.hostname,
          availability_zone: i.availability_zone,
          project_id: i.project_id,
          public_keys: i.key_data ? { '0': i.key_data } : {},
          metadata: i.metadata,
          user_data: i.user_data,
          admin_pass: opts.adminPassword ?? null,
          files: opts.injectedFiles ?? [],
        },
        { mkisofsCmd: d.conf.DEFAULT.mkisofs_cmd },
      );
    }
    return {
      uuid: i.uuid,
      name: i.name,
      memoryMb: i.flavor.memory_mb,
      vcpus: i.flavor.vcpus,
      rootGb: i.flavor.root_gb,
      ephemeralGb: i.flavor.ephemeral_gb,
      swapMb: i.flavor.swap,
      disks: { root, ephemeral, swap, config },
      boot,
      rescue: null,
      serialPort,
      vifs: guestVifs(i),
      images: imageIdsOf(i.image_ref, i.image),
    };
  } catch (err) {
    await removeInstanceDir(paths.dir).catch(() => {});
    throw err;
  }
}

/**
 * The guest's NICs: a tap per port that has a bridge to plug into (Linux-bridge binding); ports
 * without one (unbound, or a network service without a data plane) give the guest no NIC.
 */
export function guestVifs(i: DriverInstance): GuestVif[] {
  return i.network_info
    .filter((v) => v.id !== '' && v.address !== '')
    .map((v) => ({
      id: v.id,
      mac: v.address,
      tap: v.bridge ? tapName(v.id) : null,
      bridge: v.bridge ?? null,
    }));
}

/** `[serial_console] port_range` ("10000:20000") → [low, high]. */
export function portRange(spec: string): [number, number] {
  const m = /^(\d+):(\d+)$/.exec(spec.trim());
  const lo = m ? Number(m[1]) : 10000;
  const hi = m ? Number(m[2]) : 20000;
  return lo <= hi ? [lo, hi] : [hi, lo];
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A free TCP port for a serial console in the configured range, not among `taken`. */
export async function allocateSerialPort(
  host: string,
  range: string,
  taken: ReadonlySet<number>,
): Promise<number> {
  const [lo, hi] = portRange(range);
  const span = hi - lo + 1;
  const start = Math.floor(Math.random() * span);
  for (let k = 0; k < Math.min(span, 200); k++) {
    const port = lo + ((start + k) % span);
    if (!taken.has(port) && (await portFree(host, port))) return port;
  }
  throw new Error(`No free serial console port in [serial_console] port_range ${range}.`);
}
