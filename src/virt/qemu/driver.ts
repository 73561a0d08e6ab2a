// The QEMU virt driver (upstream's libvirt driver with virt_type qemu|kvm, without libvirt): each
// guest is a daemonized qemu-system-x86_64 process controlled over QMP, its files in
// `<instances_path>/<uuid>/`. Guests outlive nova-compute: init() re-attaches to the ones running
// (pid file + QMP socket) and leaves stopped ones stopped. Power state is read from the process and
// QMP, never remembered: SHUTDOWN = no process (suspended = no process + saved memory state).
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../common/log.ts';
import type { NovaConf } from '../../config/index.ts';
import { ensureBridge, plugIntoBridge } from '../../dataplane/ip-command.ts';
import type { ImageClient } from '../../image-client/client.ts';
import type { ImageMeta } from '../../scheduler/types.ts';
import type {
  ConsoleEndpoint,
  Diagnostics,
  DriverCapabilities,
  DriverInstance,
  InstanceInfo,
  LiveMigrationProgress,
  MigrateData,
  MoveTarget,
  NodeResources,
  PowerStateValue,
  SnapshotTarget,
  SpawnOptions,
  VirtDriver,
} from '../driver.ts';
import { DriverNotSupported, PowerState } from '../driver.ts';
import { InstanceExists, InstanceInvalidState, InstanceNotFound, InstanceNotReady } from '../errors.ts';
import { uptimeLine } from '../fake/host.ts';
import { type Accel, chooseAccel } from './accel.ts';
import { qemuCommandLine } from './command-line.ts';
import { readConsoleLog, rotateConsoleLog } from './console-log.ts';
import { guestDiagnostics } from './diagnostics.ts';
import { copyDiskStandalone, createRootDisk, removeInstanceDir } from './disks.ts';
import { type Guest, guestPaths, loadRecord, recordedGuests, saveRecord } from './guest-record.ts';
import { allocateSerialPort, bootFilesOf, prepareGuest, type SetupDeps } from './guest-setup.ts';
import { qemuNodeResources } from './host.ts';
import { ImageCache, type ImageSource } from './image-cache.ts';
import { restoreMemory, saveMemory, waitMigration } from './migration.ts';
import { QemuMoves } from './moves.ts';
import { OperationQueue } from './op-queue.ts';
import { powerName, STATUS_TO_POWER } from './power-state.ts';
import { findQemu, killQemu, launchQemu, qemuVersion, runningPid, waitExit } from './process.ts';
import { QmpClient } from './qmp.ts';

const { NOSTATE, RUNNING, PAUSED, SHUTDOWN, SUSPENDED } = PowerState;

export interface QemuDriverOptions {
  readonly host: string;
  readonly conf: NovaConf;
  readonly log: Logger;
  /** The image service as this compute reaches it. */
  readonly images?: () => Promise<ImageClient>;
  /** The QEMU binary (default: found on the system). */
  readonly qemu?: string;
  /** Instances directory (default [DEFAULT] instances_path); several computes of one machine need their own. */
  readonly instancesPath?: string;
}

export class QemuDriver implements VirtDriver {
  readonly name = 'qemu';
  readonly capabilities: DriverCapabilities = Object.freeze({
    supports_rescue: true,
    supports_set_admin_password: false,
    supports_trigger_crash_dump: true,
    supports_live_migration: true,
    supports_vnc_console: true,
    supports_serial_console: true,
  });

  readonly #opts: QemuDriverOptions;
  readonly #log: Logger;
  readonly #qemu: string;
  readonly instancesPath: string;
  readonly #cache: ImageCache;
  readonly #guests = new Map<string, Guest>();
  /** Per-instance operation queues: one operation on a guest at a time. */
  readonly #ops = new OperationQueue();
  /** A soft reboot waiting for its guest to power off, by uuid (a hard reboot or destroy cuts it short). */
  readonly #softWaits = new Map<string, AbortController>();
  readonly #moves: QemuMoves;
  #host: string;
  #accel: Accel = 'tcg';
  #version = 0;
  #rotation: NodeJS.Timeout | null = null;

  constructor(opts: QemuDriverOptions) {
    this.#opts = opts;
    this.#log = opts.log;
    this.#host = opts.host;
    const qemu = opts.qemu ?? findQemu();
    if (qemu === undefined)
      throw new Error('QEMU is not installed (Debian packages qemu-system-x86 and qemu-utils).');
    this.#qemu = qemu;
    const d = opts.conf.DEFAULT;
    this.instancesPath = opts.instancesPath ?? d.instances_path;
    this.#cache = new ImageCache({
      dir: join(this.instancesPath, opts.conf.image_cache.subdirectory_name),
      log: opts.log,
    });
    this.#moves = new QemuMoves(this);
  }

  get host(): string {
    return this.#host;
  }
  get accel(): Accel {
    return this.#accel;
  }
  get log(): Logger {
    return this.#log;
  }
  get conf(): NovaConf {
    return this.#opts.conf;
  }

  /** What guest-setup needs (image cache and image service). */
  get setup(): SetupDeps {
    return { conf: this.#opts.conf, cache: this.#cache, images: () => this.#imageSource() };
  }

  async #imageSource(): Promise<ImageSource> {
    if (!this.#opts.images)
      throw new Error(`nova-compute on ${this.#host} has no image service configured ([glance]).`);
    return this.#opts.images();
  }

  // ---- host ----------------------------------------------------------------------------------

  async init(host: string): Promise<void> {
    this.#host = host;
    await mkdir(this.instancesPath, { recursive: true });
    const choice = await chooseAccel(this.#qemu, this.#opts.conf.libvirt.virt_type, {
      log: this.#log,
      cacheDir: this.instancesPath,
    });
    this.#accel = choice.accel;
    this.#version = await qemuVersion(this.#qemu);
    this.#log.info({ accel: choice.accel, qemu: this.#qemu }, choice.reason);
    for (const uuid of await recordedGuests(this.instancesPath)) {
      const paths = guestPaths(this.instancesPath, uuid);
      const record = loadRecord(paths);
      if (record === undefined) continue;
      const g: Guest = { record, paths, qmp: null };
      this.#guests.set(uuid, g);
      await this.#attach(g);
    }
    this.#rotation = setInterval(() => void this.#rotateConsoles(), 10_000);
    this.#rotation.unref();
  }

  async close(): Promise<void> {
    if (this.#rotation) clearInterval(this.#rotation);
    for (const g of this.#guests.values()) g.qmp?.close();
  }

  nodeNames(): readonly string[] {
    return [this.#host];
  }

  async availableResource(nodename: string): Promise<NodeResources> {
    const records = [...this.#guests.values()].map((g) => g.record);
    return qemuNodeResources(nodename, this.#opts.conf, this.instancesPath, this.#version, this.#accel, [
      ...records,
      ...this.#moves.keptRecords(),
    ]);
  }

  async listInstanceUuids(): Promise<readonly string[]> {
    return [...this.#guests.keys()];
  }

  async hostUptime(): Promise<string> {
    const now = new Date();
    return uptimeLine(now, new Date(now.getTime() - os.uptime() * 1000));
  }

  // ---- guests --------------------------------------------------------------------------------

  guest(instance: Pick<DriverInstance, 'uuid'>): Guest {
    const g = this.#guests.get(instance.uuid);
    if (g === undefined) throw new InstanceNotFound(instance.uuid);
    return g;
  }

  hasGuest(uuid: string): boolean {
    return this.#guests.has(uuid);
  }

  adopt(g: Guest): void {
    this.#guests.set(g.record.uuid, g);
  }

  forget(uuid: string): void {
    this.#guests.delete(uuid);
  }

  async state(g: Guest): Promise<PowerStateValue> {
    if (runningPid(g.paths, g.record.uuid) === undefined) {
      g.qmp = null;
      return existsSync(g.paths.savedState) ? SUSPENDED : SHUTDOWN;
    }
    const qmp = await this.#attach(g);
    if (qmp === null) return NOSTATE;
    try {
      const s = await qmp.execute<{ status: string }>('query-status');
      return STATUS_TO_POWER[s.status] ?? NOSTATE;
    } catch {
      return runningPid(g.paths, g.record.uuid) === undefined ? SHUTDOWN : NOSTATE;
    }
  }

  async getInfo(instance: DriverInstance): Promise<InstanceInfo> {
    return { state: await this.state(this.guest(instance)) };
  }

  async spawn(instance: DriverInstance, opts: SpawnOptions): Promise<void> {
    if (this.#guests.has(instance.uuid)) throw new InstanceExists(instance.name);
    const paths = guestPaths(this.instancesPath, instance.uuid);
    const record = await prepareGuest(this.setup, instance, paths, opts, await this.serialPort());
    await saveRecord(paths, record);
    const g: Guest = { record, paths, qmp: null };
    this.#guests.set(instance.uuid, g);
    // Ports the network service has not wired yet: the guest starts with its vCPUs stopped and
    // runs once network-vif-plugged came for each (its first DHCP request then gets an answer).
    const unwired = instance.network_info.filter((v) => v.bridge && v.active === false).map((v) => v.id);
    const wait = unwired.length > 0 ? opts.prepareVifPlugged?.(unwired) : undefined;
    const qmp = await this.start(g, undefined, wait !== undefined);
    if (wait) {
      await wait();
      await qmp.execute('cont');
    }
  }

  async destroy(instance: DriverInstance, destroyDisks: boolean): Promise<void> {
    this.#softWaits.get(instance.uuid)?.abort();
    return this.#ops.run(instance.uuid, async () => {
      const g = this.#guests.get(instance.uuid);
      const paths = g?.paths ?? guestPaths(this.instancesPath, instance.uuid);
      g?.qmp?.close();
      await killQemu(paths, instance.uuid);
      await rm(paths.savedState, { force: true });
      this.#guests.delete(instance.uuid);
      if (destroyDisks) await removeInstanceDir(paths.dir);
      else await rm(paths.record, { force: true });
    });
  }

  async powerOff(instance: DriverInstance, timeoutSec: number): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = this.guest(instance);
      await rm(g.paths.savedState, { force: true });
      await this.stopGuest(g, timeoutSec);
    });
  }

  async powerOn(instance: DriverInstance): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = this.guest(instance);
      const s = await this.state(g);
      if (s === RUNNING) return;
      if (s === PAUSED) {
        await this.qmpOf(g).execute('cont');
        return;
      }
      if (s === SUSPENDED) return this.#restore(g);
      if (s !== SHUTDOWN) await killQemu(g.paths, g.record.uuid);
      await this.start(g);
    });
  }

  /** SOFT: ACPI power button, then start again ([libvirt] wait_soft_reboot_seconds, else hard). HARD: a new QEMU. */
  async reboot(instance: DriverInstance, type: 'SOFT' | 'HARD'): Promise<void> {
    if (type === 'HARD') this.#softWaits.get(instance.uuid)?.abort();
    return this.#ops.run(instance.uuid, async () => {
      const g = this.guest(instance);
      const s = await this.state(g);
      if (type === 'SOFT' && s === RUNNING) {
        const pid = runningPid(g.paths, g.record.uuid);
        const waitSec = this.#opts.conf.libvirt.wait_soft_reboot_seconds;
        const cut = new AbortController();
        this.#softWaits.set(g.record.uuid, cut);
        try {
          if (
            pid !== undefined &&
            !(await this.#powerButton(g, pid, waitSec, cut.signal)) &&
            !cut.signal.aborted
          )
            this.#log.warn({ instance: g.record.uuid }, 'guest ignored the soft reboot; rebooting hard');
        } finally {
          this.#softWaits.delete(g.record.uuid);
        }
      }
      g.qmp?.close();
      await killQemu(g.paths, g.record.uuid);
      await rm(g.paths.savedState, { force: true });
      await this.start(g);
    });
  }

  async pause(instance: DriverInstance): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = await this.#inState(instance, [RUNNING], 'pause');
      await this.qmpOf(g).execute('stop');
    });
  }

  async unpause(instance: DriverInstance): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = await this.#inState(instance, [PAUSED], 'unpause');
      await this.qmpOf(g).execute('cont');
    });
  }

  /** Managed save: the guest's memory goes to a file (QMP migrate to exec), then QEMU quits. */
  async suspend(instance: DriverInstance): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = await this.#inState(instance, [RUNNING, PAUSED], 'suspend');
      await saveMemory(this.qmpOf(g), g.paths.savedState);
      await this.quitGuest(g, 10_000);
    });
  }

  async resume(instance: DriverInstance): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = await this.#inState(instance, [SUSPENDED], 'resume');
      await this.#restore(g);
    });
  }

  async rescue(
    instance: DriverInstance,
    rescueImage: ImageMeta,
    _adminPassword: string | null,
  ): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = this.guest(instance);
      if (g.record.rescue !== null)
        throw new InstanceInvalidState(g.record.uuid, 'vm_state', 'rescued', 'rescue');
      const imageId = rescueImage.id ?? instance.image_ref;
      if (!imageId) throw new Error(`No rescue image for instance ${instance.uuid}.`);
      const src = await this.#imageSource();
      const base = await this.#cache.fetch(src, imageId);
      const rescueDir = join(g.paths.dir, 'rescue');
      await rm(rescueDir, { recursive: true, force: true });
      const disk = await createRootDisk(rescueDir, base, 0);
      const boot = await bootFilesOf(this.setup, rescueImage.id ? rescueImage : instance.image);
      g.qmp?.close();
      await killQemu(g.paths, g.record.uuid);
      await rm(g.paths.savedState, { force: true });
      g.record = { ...g.record, rescue: { disk, boot } };
      await saveRecord(g.paths, g.record);
      await this.start(g);
    });
  }

  async unrescue(instance: DriverInstance): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = this.guest(instance);
      if (g.record.rescue === null)
        throw new InstanceInvalidState(g.record.uuid, 'vm_state', 'not rescued', 'unrescue');
      g.qmp?.close();
      await killQemu(g.paths, g.record.uuid);
      g.record = { ...g.record, rescue: null };
      await saveRecord(g.paths, g.record);
      await rm(join(g.paths.dir, 'rescue'), { recursive: true, force: true });
      await this.start(g);
    });
  }

  /** A consistent copy of the root disk: the guest is paused (QEMU flushes) while it is copied. */
  async snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = this.guest(instance);
      const dir = this.#opts.conf.libvirt.snapshots_directory;
      await mkdir(dir, { recursive: true });
      const out = join(dir, `${g.record.uuid}-${Date.now()}.qcow2`);
      const wasRunning = (await this.state(g)) === RUNNING;
      try {
        if (wasRunning) await this.qmpOf(g).execute('stop');
        try {
          await copyDiskStandalone(g.record.disks.root, out, { forceShare: true });
        } finally {
          if (wasRunning) await this.qmpOf(g).execute('cont');
        }
        await target.upload(createReadStream(out), 'qcow2');
      } finally {
        await rm(out, { force: true });
      }
    });
  }

  // ---- moves (moves.ts) ------------------------------------------------------------------------

  migrateDiskAndPowerOff(instance: DriverInstance, target: MoveTarget): Promise<MigrateData> {
    return this.#moves.migrateDiskAndPowerOff(instance, target);
  }
  finishMigration(i: DriverInstance, t: MoveTarget, powerOn: boolean, diskInfo?: MigrateData): Promise<void> {
    return this.#moves.finishMigration(i, t, powerOn, diskInfo);
  }
  confirmMigration(instance: DriverInstance, _target: MoveTarget): Promise<void> {
    return this.#moves.confirmMigration(instance);
  }
  finishRevertMigration(instance: DriverInstance, _target: MoveTarget, powerOn: boolean): Promise<void> {
    return this.#moves.finishRevertMigration(instance, powerOn);
  }
  liveMigrate(
    instance: DriverInstance,
    destHost: string,
    onProgress: (p: LiveMigrationProgress) => void,
    signal: AbortSignal,
    migrateData?: MigrateData,
  ): Promise<void> {
    return this.#moves.liveMigrate(instance, destHost, onProgress, signal, migrateData);
  }
  preLiveMigration(instance: DriverInstance): Promise<MigrateData> {
    return this.#moves.preLiveMigration(instance);
  }
  postLiveMigrationAtDestination(instance: DriverInstance): Promise<void> {
    return this.#moves.postLiveMigrationAtDestination(instance);
  }
  liveMigrationForceComplete(instance: DriverInstance): Promise<void> {
    return this.#moves.forceComplete(instance);
  }

  // ---- consoles and the rest -----------------------------------------------------------------

  async getConsoleOutput(instance: DriverInstance): Promise<string> {
    return readConsoleLog(this.guest(instance).paths.console);
  }

  async getVncConsole(instance: DriverInstance): Promise<ConsoleEndpoint> {
    const g = this.guest(instance);
    if ((await this.state(g)) === SHUTDOWN) throw new InstanceNotReady(g.record.uuid);
    const vnc = await this.qmpOf(g).execute<{ enabled: boolean; host?: string; service?: string }>(
      'query-vnc',
    );
    if (!vnc.enabled || !vnc.service) throw new DriverNotSupported('get_vnc_console', 'VNC is disabled.');
    return { host: vnc.host ?? '127.0.0.1', port: Number(vnc.service), internal_access_path: null };
  }

  async getSerialConsole(instance: DriverInstance): Promise<ConsoleEndpoint> {
    const g = this.guest(instance);
    if ((await this.state(g)) === SHUTDOWN) throw new InstanceNotReady(g.record.uuid);
    return { host: this.serialListen, port: g.record.serialPort, internal_access_path: null };
  }

  /** No guest agent in QEMU alone: upstream's "not supported" (the API answers 409/501). */
  async setAdminPassword(_instance: DriverInstance, _password: string): Promise<void> {
    throw new DriverNotSupported('set_admin_password', 'set_admin_password is not supported by this driver.');
  }

  /** An NMI to the guest (its kernel panics or dumps, as configured inside it). */
  async triggerCrashDump(instance: DriverInstance): Promise<void> {
    return this.#ops.run(instance.uuid, async () => {
      const g = await this.#inState(instance, [RUNNING], 'trigger crash dump');
      await this.qmpOf(g).execute('inject-nmi');
    });
  }

  async getDiagnostics(instance: DriverInstance): Promise<Diagnostics> {
    const g = this.guest(instance);
    return guestDiagnostics(g.record, runningPid(g.paths, g.record.uuid), await this.state(g), this.#accel);
  }

  // ---- internals shared with moves.ts ----------------------------------------------------------

  get serialListen(): string {
    return this.#opts.conf.serial_console.proxyclient_address || '127.0.0.1';
  }

  async serialPort(): Promise<number> {
    const taken = new Set([...this.#guests.values()].map((g) => g.record.serialPort));
    return allocateSerialPort(this.serialListen, this.#opts.conf.serial_console.port_range, taken);
  }

  /** Starts the guest's QEMU from its record. */
  async start(g: Guest, incoming?: string, paused = false): Promise<QmpClient> {
    const c = this.#opts.conf;
    const args = qemuCommandLine(g.record, g.paths, {
      accel: this.#accel,
      vncListen: c.vnc.enabled ? c.vnc.server_listen : null,
      serialListen: this.serialListen,
      rescue: g.record.rescue !== null,
      ...(incoming !== undefined ? { incoming } : {}),
      paused,
    });
    for (const v of g.record.vifs) if (v.tap && v.bridge) await ensureBridge(v.bridge);
    g.qmp = await launchQemu(this.#qemu, args, g.paths);
    for (const v of g.record.vifs) if (v.tap && v.bridge) await plugIntoBridge(v.tap, v.bridge);
    return g.qmp;
  }

  /** ACPI power button; after timeoutSec (or at once with 0) QEMU is made to quit. */
  async stopGuest(g: Guest, timeoutSec: number): Promise<void> {
    const pid = runningPid(g.paths, g.record.uuid);
    if (pid === undefined) return;
    const qmp = await this.#attach(g);
    if (timeoutSec > 0 && qmp !== null) {
      const status = await qmp.execute<{ status: string }>('query-status').catch(() => ({ status: '' }));
      if (status.status === 'running') {
        if (await this.#powerButton(g, pid, timeoutSec)) {
          await killQemu(g.paths, g.record.uuid);
          g.qmp = null;
          return;
        }
        this.#log.warn(
          { instance: g.record.uuid },
          `guest did not power off within ${timeoutSec} s; stopping it`,
        );
      }
    }
    await this.quitGuest(g, 5000);
  }

  /** QMP quit, a wait for the process (up to waitMs), then whatever is left is killed and cleaned. */
  async quitGuest(g: Guest, waitMs: number): Promise<void> {
    const pid = runningPid(g.paths, g.record.uuid);
    await g.qmp?.execute('quit').catch(() => {});
    if (pid !== undefined) await waitExit(pid, waitMs);
    g.qmp?.close();
    g.qmp = null;
    await killQemu(g.paths, g.record.uuid);
  }

  /**
   * Presses the ACPI power button, again every [DEFAULT] shutdown_retry_interval seconds (a guest
   * early in its boot may miss it), until QEMU exits or timeoutSec pass. True when it exited.
   */
  async #powerButton(g: Guest, pid: number, timeoutSec: number, signal?: AbortSignal): Promise<boolean> {
    const retry = Math.max(1, this.#opts.conf.compute.shutdown_retry_interval) * 1000;
    const until = Date.now() + timeoutSec * 1000;
    while (Date.now() < until && !signal?.aborted) {
      await g.qmp?.execute('system_powerdown').catch(() => {});
      if (await waitExit(pid, Math.min(retry, until - Date.now()), signal)) return true;
    }
    return waitExit(pid, 0);
  }

  /** Polls query-migrate until completed (migration.ts). */
  waitMigration(
    qmp: QmpClient,
    timeoutMs: number,
    onStatus?: (s: Record<string, unknown>) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    return waitMigration(qmp, timeoutMs, onStatus, signal);
  }

  qmpOf(g: Guest): QmpClient {
    if (g.qmp === null || g.qmp.closed)
      throw new InstanceInvalidState(g.record.uuid, 'power_state', 'shutdown', 'control');
    return g.qmp;
  }

  async #restore(g: Guest): Promise<void> {
    await restoreMemory(await this.start(g, 'defer'), g.paths.savedState);
  }

  async #inState(
    instance: DriverInstance,
    allowed: readonly PowerStateValue[],
    method: string,
  ): Promise<Guest> {
    const g = this.guest(instance);
    const s = await this.state(g);
    if (!allowed.includes(s))
      throw new InstanceInvalidState(g.record.uuid, 'power_state', powerName(s), method);
    return g;
  }

  /** Connects QMP to the guest's running QEMU (once); null when it does not run. */
  async #attach(g: Guest): Promise<QmpClient | null> {
    if (g.qmp !== null && !g.qmp.closed) return g.qmp;
    g.qmp = null;
    if (runningPid(g.paths, g.record.uuid) === undefined) return null;
    try {
      g.qmp = await QmpClient.connect(g.paths.qmp);
    } catch (err) {
      this.#log.warn({ err, instance: g.record.uuid }, 'cannot reach the guest over QMP');
    }
    return g.qmp;
  }

  async #rotateConsoles(): Promise<void> {
    for (const g of this.#guests.values()) await rotateConsoleLog(g.paths.console).catch(() => {});
  }
}
