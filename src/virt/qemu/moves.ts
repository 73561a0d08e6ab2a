// Moving QEMU guests. Resize and cold migration: the source powers the guest off and keeps its
// directory aside as `<uuid>_resize` (for a revert) and hands its path over as disk_info; the
// destination copies the disks into its own instance directory, rebases the root disk on its own
// cached base image, grows it to the new flavor and starts the guest. Live migration: the
// destination prepares the same disks and a QEMU waiting on `-incoming tcp:…`; the source runs a QMP
// block migration (memory and the disks' top layer) while the guest keeps running, reports
// progress, and only once QEMU says completed does the source copy go away. A cancelled or failed
// migration leaves the guest running on the source.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { linkExists } from '../../dataplane/ip-command.ts';
import { twinTapName } from '../../dataplane/names.ts';
import type { DriverInstance, LiveMigrationProgress, MigrateData, MoveTarget } from '../driver.ts';
import { PowerState } from '../driver.ts';
import {
  InstanceExists,
  InstanceInvalidState,
  LiveMigrationAborted,
  UnableToMigrateToSelf,
} from '../errors.ts';
import { appendConsoleNote } from './console-log.ts';
import { createSwapDisk, DiskNames, growDisk, removeInstanceDir } from './disks.ts';
import type { QemuDriver } from './driver.ts';
import { type Guest, type GuestRecord, guestPaths, loadRecord, saveRecord } from './guest-record.ts';
import { bootFilesOf, prepareGuest } from './guest-setup.ts';
import { killQemu } from './process.ts';
import { qemuImgRebase } from './qemu-img.ts';

const GiB = 1024 ** 3;

/** The record with every file under `from` moved under `to`. */
function relocate(r: GuestRecord, from: string, to: string): GuestRecord {
  const mv = (p: string | null) => (p?.startsWith(`${from}/`) ? to + p.slice(from.length) : p);
  return {
    ...r,
    disks: {
      root: mv(r.disks.root) as string,
      ephemeral: mv(r.disks.ephemeral),
      swap: mv(r.disks.swap),
      config: mv(r.disks.config),
    },
    rescue: null,
  };
}

/** tapXXXXXXXXXXX ↔ tapXXXXXXXXXXXm (15 characters at most). */
function freeLoopbackPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ host, port: 0 }, () => {
      const a = srv.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export class QemuMoves {
  readonly #d: QemuDriver;
  /** Records kept on the source until confirm/revert, by uuid (their resources stay counted). */
  readonly #kept = new Map<string, GuestRecord>();
  /** Live migrations running from here: uuid → force-complete requested. */
  readonly #running = new Map<string, { forced: boolean; guest: Guest }>();

  constructor(d: QemuDriver) {
    this.#d = d;
  }

  keptRecords(): GuestRecord[] {
    return [...this.#kept.values()];
  }

  #resizeDir(uuid: string): string {
    return join(this.#d.instancesPath, `${uuid}_resize`);
  }

  // ---- resize / cold migration -------------------------------------------------------------

  async migrateDiskAndPowerOff(i: DriverInstance, _t: MoveTarget): Promise<MigrateData> {
    const g = this.#d.guest(i);
    await this.#d.stopGuest(g, this.#d.conf.DEFAULT.shutdown_timeout);
    const kept = this.#resizeDir(i.uuid);
    await rm(kept, { recursive: true, force: true });
    await rename(g.paths.dir, kept);
    const record = relocate(g.record, g.paths.dir, kept);
    await saveRecord(guestPaths(this.#d.instancesPath, `${i.uuid}_resize`), record);
    this.#kept.set(i.uuid, record);
    this.#d.forget(i.uuid);
    return { instance_dir: kept, source_host: this.#d.host };
  }

  async finishMigration(
    i: DriverInstance,
    t: MoveTarget,
    powerOn: boolean,
    diskInfo?: MigrateData,
  ): Promise<void> {
    if (this.#d.hasGuest(i.uuid)) throw new InstanceExists(i.name);
    const from = typeof diskInfo?.instance_dir === 'string' ? diskInfo.instance_dir : undefined;
    if (from === undefined || !existsSync(join(from, 'guest.json')))
      throw new Error(
        `The disks of instance ${i.uuid} on ${t.sourceHost} are not reachable from ${this.#d.host}: ` +
          'resize and cold migration need both computes on one machine or a shared instances_path.',
      );
    const old = JSON.parse(await readFile(join(from, 'guest.json'), 'utf8')) as GuestRecord;
    const paths = guestPaths(this.#d.instancesPath, i.uuid);
    await mkdir(paths.dir, { recursive: true });
    try {
      const f = t.newFlavor;
      const root = join(paths.dir, DiskNames.root);
      await copyFile(join(from, DiskNames.root), root);
      if (i.image_ref) {
        const base = await this.#d.setup.cache.fetch(await this.#d.setup.images(), i.image_ref);
        await qemuImgRebase(root, base.path, base.format, true);
      }
      if (f.root_gb > old.rootGb) await growDisk(root, f.root_gb * GiB);
      let ephemeral: string | null = null;
      if (old.disks.ephemeral !== null) {
        ephemeral = join(paths.dir, DiskNames.ephemeral);
        await copyFile(old.disks.ephemeral, ephemeral);
        if (f.ephemeral_gb > old.ephemeralGb) await growDisk(ephemeral, f.ephemeral_gb * GiB);
      }
      const swap = await createSwapDisk(paths.dir, f.swap);
      let config: string | null = null;
      if (old.disks.config !== null) {
        config = join(paths.dir, DiskNames.config);
        await copyFile(old.disks.config, config);
      }
      const record: GuestRecord = {
        ...old,
        memoryMb: f.memory_mb,
        vcpus: f.vcpus,
        rootGb: f.root_gb,
        ephemeralGb: f.ephemeral_gb,
        swapMb: f.swap,
        disks: { root, ephemeral, swap, config },
        boot: await bootFilesOf(this.#d.setup, i.image),
        rescue: null,
        serialPort: await this.#d.serialPort(),
      };
      await saveRecord(paths, record);
      const g: Guest = { record, paths, qmp: null };
      this.#d.adopt(g);
      await appendConsoleNote(paths.console, `nova-ts: disks of ${i.name} received from ${t.sourceHost}`);
      if (powerOn) await this.#d.start(g);
    } catch (err) {
      this.#d.forget(i.uuid);
      await killQemu(paths, i.uuid);
      await removeInstanceDir(paths.dir).catch(() => {});
      throw err;
    }
  }

  async confirmMigration(i: DriverInstance): Promise<void> {
    this.#kept.delete(i.uuid);
    await rm(this.#resizeDir(i.uuid), { recursive: true, force: true });
  }

  async finishRevertMigration(i: DriverInstance, powerOn: boolean): Promise<void> {
    const kept = this.#resizeDir(i.uuid);
    const paths = guestPaths(this.#d.instancesPath, i.uuid);
    if (!existsSync(kept)) {
      // Nothing kept (a restart lost it): the guest here is the one to run.
      if (powerOn && this.#d.hasGuest(i.uuid)) await this.#d.powerOn(i);
      return;
    }
    if (this.#d.hasGuest(i.uuid)) await this.#d.destroy(i, true);
    await killQemu(paths, i.uuid);
    await rm(paths.dir, { recursive: true, force: true });
    await rename(kept, paths.dir);
    const record0 = loadRecord(paths);
    if (record0 === undefined) throw new Error(`The kept guest record of ${i.uuid} is missing.`);
    const record = relocate(record0, kept, paths.dir);
    await saveRecord(paths, record);
    this.#kept.delete(i.uuid);
    const g: Guest = { record, paths, qmp: null };
    this.#d.adopt(g);
    if (powerOn) await this.#d.start(g);
  }

  // ---- live migration ------------------------------------------------------------------------

  /** Destination: same disks as the source, and a QEMU waiting for the incoming migration. */
  async preLiveMigration(i: DriverInstance): Promise<MigrateData> {
    if (this.#d.hasGuest(i.uuid)) throw new InstanceExists(i.name);
    const paths = guestPaths(this.#d.instancesPath, i.uuid);
    const addr = this.#d.conf.libvirt.live_migration_inbound_addr || '127.0.0.1';
    const prepared = await prepareGuest(this.#d.setup, i, paths, {}, await this.#d.serialPort());
    // Both QEMUs run on one machine during the migration: the destination's taps need other names.
    const vifs = [];
    for (const v of prepared.vifs)
      vifs.push(v.tap !== null && (await linkExists(v.tap)) ? { ...v, tap: twinTapName(v.tap) } : v);
    const record = { ...prepared, vifs };
    await saveRecord(paths, record);
    const g: Guest = { record, paths, qmp: null };
    this.#d.adopt(g);
    try {
      const port = await freeLoopbackPort(addr);
      const uri = `tcp:${addr}:${port}`;
      await this.#d.start(g, uri);
      return { migrate_uri: uri, dest_host: this.#d.host };
    } catch (err) {
      this.#d.forget(i.uuid);
      await killQemu(paths, i.uuid);
      await removeInstanceDir(paths.dir).catch(() => {});
      throw err;
    }
  }

  /** Source: block migration over QMP while the guest runs; the source copy goes once it completed. */
  async liveMigrate(
    i: DriverInstance,
    destHost: string,
    onProgress: (p: LiveMigrationProgress) => void,
    signal: AbortSignal,
    data?: MigrateData,
  ): Promise<void> {
    const g = this.#d.guest(i);
    if (destHost === this.#d.host) throw new UnableToMigrateToSelf(i.uuid, destHost);
    const state = await this.#d.state(g);
    if (state !== PowerState.RUNNING && state !== PowerState.PAUSED)
      throw new InstanceInvalidState(i.uuid, 'power_state', 'shutdown', 'live-migrate');
    const uri = typeof data?.migrate_uri === 'string' ? data.migrate_uri : undefined;
    if (uri === undefined) throw new Error(`The destination ${destHost} gave no migration address.`);
    const qmp = this.#d.qmpOf(g);
    const bw = this.#d.conf.libvirt.live_migration_bandwidth;
    if (bw > 0) await qmp.execute('migrate-set-parameters', { 'max-bandwidth': bw * 1024 * 1024 });
    this.#running.set(i.uuid, { forced: false, guest: g });
    try {
      await qmp.execute('migrate', { uri, blk: true, inc: true });
      await this.#d.waitMigration(qmp, 3_600_000, (s) => onProgress(progressOf(s)), signal);
    } catch (err) {
      await qmp.execute('migrate_cancel').catch(() => {});
      if ((await this.#d.state(g)) === PowerState.PAUSED && state === PowerState.RUNNING)
        await qmp.execute('cont').catch(() => {});
      if (signal.aborted) throw new LiveMigrationAborted(i.uuid, signal.reason);
      throw err;
    } finally {
      this.#running.delete(i.uuid);
    }
    // The guest runs on the destination now: the source QEMU (postmigrate) and its files go.
    await this.#d.quitGuest(g, 5000);
    this.#d.forget(i.uuid);
    await removeInstanceDir(g.paths.dir).catch(() => {});
  }

  /** Destination: the guest runs here; a guest paused only to force completion is resumed. */
  async postLiveMigrationAtDestination(i: DriverInstance): Promise<void> {
    const g = this.#d.guest(i);
    const s = await this.#d.state(g);
    if (s === PowerState.PAUSED && i.power_state !== PowerState.PAUSED)
      await this.#d.qmpOf(g).execute('cont');
    await appendConsoleNote(g.paths.console, `nova-ts: ${i.name} migrated live to ${this.#d.host}`).catch(
      () => {},
    );
  }

  /** Pauses the guest so the last dirty memory goes at once (no post-copy). */
  async forceComplete(i: DriverInstance): Promise<void> {
    const r = this.#running.get(i.uuid);
    if (r === undefined) return;
    r.forced = true;
    await this.#d.qmpOf(r.guest).execute('stop');
  }
}

function progressOf(s: Record<string, unknown>): LiveMigrationProgress {
  const ram = (s.ram ?? {}) as Record<string, number>;
  const disk = (s.disk ?? {}) as Record<string, number>;
  return {
    memory_total: ram.total ?? 0,
    memory_processed: ram.transferred ?? 0,
    memory_remaining: ram.remaining ?? 0,
    disk_total: disk.total ?? 0,
    disk_processed: disk.transferred ?? 0,
    disk_remaining: disk.remaining ?? 0,
  };
}
