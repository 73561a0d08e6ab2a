// Builds the tiny guest from host packages: the kernel of linux-image-cloud-amd64 (or any given
// vmlinuz), a busybox initramfs (busybox-static's /bin/busybox plus the few kernel modules a
// QEMU guest needs: virtio, ATA CD-ROM, ISO 9660/VFAT for the config drive, ACPI button and evdev
// for the power button) and a small raw disk for the AMI-style machine image.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, open, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { StartupError } from '../../faults/fault.ts';
import { buildCpioGz, type CpioEntry } from './cpio.ts';
import { initScript, UDHCPC_SCRIPT } from './init-script.ts';

/** Modules loaded at boot (with their dependencies, from modules.dep), when the kernel has them. */
export const GUEST_MODULES = [
  'virtio_pci',
  'virtio_net',
  'virtio_blk',
  'virtio_scsi',
  'virtio_console',
  'ata_piix',
  'ata_generic',
  'sr_mod',
  'sd_mod',
  'isofs',
  'vfat',
  'nls_cp437',
  'nls_iso8859_1',
  'button',
  'evdev',
];

export interface TinyBuildOptions {
  readonly outputDir: string;
  /** A vmlinuz; default: the newest /boot/vmlinuz-*-cloud-amd64 (else any /boot/vmlinuz-*). */
  readonly kernel?: string;
  /** A static busybox; default /bin/busybox (Debian busybox-static). */
  readonly busybox?: string;
  /** The kernel's modules; default /lib/modules/<version from the vmlinuz name>. */
  readonly modulesDir?: string;
  /** Printed in the guest's banner. */
  readonly version: string;
  readonly bootDir?: string;
}

export interface TinyArtifacts {
  readonly kernel: string;
  readonly initrd: string;
  readonly disk: string;
  readonly kernelVersion: string | undefined;
  readonly version: string;
  readonly modules: readonly string[];
}

export function findKernel(bootDir = '/boot'): string | undefined {
  if (!existsSync(bootDir)) return undefined;
  const all = readdirSync(bootDir)
    .filter((f) => f.startsWith('vmlinuz-'))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const cloud = all.filter((f) => f.endsWith('-cloud-amd64'));
  const pick = (cloud.length > 0 ? cloud : all).at(-1);
  return pick ? join(bootDir, pick) : undefined;
}

/** True for an ELF executable without a program interpreter (statically linked). */
export function isStaticElf(buf: Buffer): boolean {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2) return false;
  const phoff = Number(buf.readBigUInt64LE(0x20));
  const phentsize = buf.readUInt16LE(0x36);
  const phnum = buf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) if (buf.readUInt32LE(phoff + i * phentsize) === 3) return false;
  return true;
}

/** modules.dep → load order (dependencies first) of the wanted modules present; paths relative. */
export function moduleLoadOrder(modulesDep: string, wanted: readonly string[]): string[] {
  const deps = new Map<string, string[]>();
  const byName = new Map<string, string>();
  for (const line of modulesDep.split('\n')) {
    const [path, rest] = line.split(':');
    if (!path || rest === undefined) continue;
    deps.set(path, rest.trim() ? rest.trim().split(/\s+/) : []);
    byName.set(
      basename(path)
        .replace(/\.ko(\.[a-z]+)?$/, '')
        .replace(/-/g, '_'),
      path,
    );
  }
  const order: string[] = [];
  const visit = (path: string) => {
    if (order.includes(path)) return;
    for (const d of deps.get(path) ?? []) visit(d);
    order.push(path);
  };
  for (const name of wanted) {
    const path = byName.get(name);
    if (path) visit(path);
  }
  return order;
}

function moduleEntries(modulesDir: string | undefined): { entries: CpioEntry[]; names: string[] } {
  if (!modulesDir || !existsSync(join(modulesDir, 'modules.dep'))) return { entries: [], names: [] };
  const order = moduleLoadOrder(readFileSync(join(modulesDir, 'modules.dep'), 'utf8'), GUEST_MODULES);
  const names = order.map((p) => basename(p));
  const entries: CpioEntry[] = order.map((p) => ({
    kind: 'file',
    path: `lib/modules/${basename(p)}`,
    data: readFileSync(join(modulesDir, p)),
  }));
  return { entries, names };
}

export function initramfsEntries(
  busybox: Buffer,
  modules: ReturnType<typeof moduleEntries>,
  version: string,
) {
  const dirs = [
    'bin',
    'sbin',
    'usr',
    'usr/bin',
    'usr/sbin',
    'etc',
    'proc',
    'sys',
    'dev',
    'tmp',
    'mnt',
    'run',
  ];
  const entries: CpioEntry[] = [
    ...[...dirs, 'lib', 'lib/modules'].map((path): CpioEntry => ({ kind: 'dir', path })),
    { kind: 'char', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
    { kind: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    { kind: 'file', path: 'init', data: Buffer.from(initScript(version)), mode: 0o755 },
    { kind: 'file', path: 'etc/udhcpc.script', data: Buffer.from(UDHCPC_SCRIPT), mode: 0o755 },
    { kind: 'file', path: 'etc/modules', data: Buffer.from(`${modules.names.join('\n')}\n`) },
    { kind: 'file', path: 'etc/nova-ts-tiny-version', data: Buffer.from(`${version}\n`) },
    ...modules.entries,
  ];
  return entries;
}

export async function buildTinyImage(opts: TinyBuildOptions): Promise<TinyArtifacts> {
  const kernel = opts.kernel ?? findKernel(opts.bootDir);
  if (!kernel || !existsSync(kernel))
    throw new StartupError(
      `No kernel${kernel ? ` at ${kernel}` : ' in /boot'}: install the Debian package linux-image-cloud-amd64 or pass --kernel PATH.`,
    );
  const busyboxPath = opts.busybox ?? '/bin/busybox';
  const busybox = existsSync(busyboxPath) ? readFileSync(busyboxPath) : undefined;
  if (!busybox || !isStaticElf(busybox))
    throw new StartupError(
      `${busyboxPath} is not a static busybox: install the Debian package busybox-static.`,
    );
  const kernelVersion = /^vmlinuz-(.+)$/.exec(basename(kernel))?.[1];
  const modulesDir = opts.modulesDir ?? (kernelVersion ? `/lib/modules/${kernelVersion}` : undefined);
  const modules = moduleEntries(modulesDir);
  await mkdir(opts.outputDir, { recursive: true });
  const out = {
    kernel: join(opts.outputDir, 'tiny-vmlinuz'),
    initrd: join(opts.outputDir, 'tiny-initrd.gz'),
    disk: join(opts.outputDir, 'tiny-disk.raw'),
  };
  await copyFile(kernel, out.kernel);
  await writeFile(out.initrd, buildCpioGz(initramfsEntries(busybox, modules, opts.version)));
  const disk = await open(out.disk, 'w');
  await disk.truncate(1024 * 1024);
  await disk.close();
  return Object.freeze({
    ...out,
    kernelVersion,
    version: opts.version,
    modules: Object.freeze(modules.names),
  });
}
