// What the QEMU driver keeps per guest, in the instance's directory (`<instances_path>/<uuid>/`,
// upstream's layout): the files QEMU is started with and `guest.json`, the record a restarted
// nova-compute reads to re-attach to a running guest (its QMP socket) or restart a stopped one
// with the same disks. Writes are atomic (temp file + rename) so a kill -9 never leaves half a record.
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { QmpClient } from './qmp.ts';

export interface BootFiles {
  readonly kernel: string | null;
  readonly ramdisk: string | null;
  /** Kernel command line (os_command_line, else console=ttyS0). */
  readonly cmdline: string | null;
}

export interface GuestVif {
  readonly id: string;
  readonly mac: string;
  /** Host tap device QEMU makes for the NIC (tap<port id[:11]>); null: no NIC. */
  readonly tap: string | null;
  /** The network's Linux bridge the tap is plugged into (the port binding's bridge_name). */
  readonly bridge?: string | null;
}

export interface GuestRecord {
  readonly uuid: string;
  /** instance-%08x */
  readonly name: string;
  readonly memoryMb: number;
  readonly vcpus: number;
  /** Flavor disk sizes, kept to size disks on resize. */
  readonly rootGb: number;
  readonly ephemeralGb: number;
  readonly swapMb: number;
  readonly disks: {
    readonly root: string;
    readonly ephemeral: string | null;
    readonly swap: string | null;
    readonly config: string | null;
  };
  readonly boot: BootFiles;
  /** While rescued: the rescue disk and boot files; the root disk is attached second. */
  readonly rescue: { readonly disk: string; readonly boot: BootFiles } | null;
  /** TCP port of the serial console (chardev socket, server). */
  readonly serialPort: number;
  readonly vifs: readonly GuestVif[];
  /** Base image ids the disks stand on (image cache pruning). */
  readonly images: readonly string[];
}

/** A guest a driver knows: its record and, while its QEMU runs, the QMP connection. */
export interface Guest {
  record: GuestRecord;
  readonly paths: GuestPaths;
  qmp: QmpClient | null;
}

export interface GuestPaths {
  readonly dir: string;
  readonly record: string;
  readonly qmp: string;
  readonly pid: string;
  readonly console: string;
  /** Memory saved by suspend (managed save); present ⇔ suspended. */
  readonly savedState: string;
}

export function guestPaths(instancesPath: string, uuid: string): GuestPaths {
  const dir = join(instancesPath, uuid);
  return {
    dir,
    record: join(dir, 'guest.json'),
    qmp: join(dir, 'qmp.sock'),
    pid: join(dir, 'qemu.pid'),
    console: join(dir, 'console.log'),
    savedState: join(dir, 'managed-save.state'),
  };
}

export async function saveRecord(paths: GuestPaths, r: GuestRecord): Promise<void> {
  const tmp = `${paths.record}.tmp`;
  await writeFile(tmp, `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, paths.record);
}

export function loadRecord(paths: GuestPaths): GuestRecord | undefined {
  if (!existsSync(paths.record)) return undefined;
  try {
    return JSON.parse(readFileSync(paths.record, 'utf8')) as GuestRecord;
  } catch {
    return undefined;
  }
}

const UUID_DIR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Instance uuids with a guest record under instancesPath. */
export async function recordedGuests(instancesPath: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(instancesPath);
  } catch {
    return [];
  }
  return names.filter((n) => UUID_DIR.test(n) && existsSync(join(instancesPath, n, 'guest.json')));
}
