// The fake virt driver (upstream's fake.FakeDriver): an in-memory hypervisor for tests and scale
// runs. Guests change power state as a real hypervisor's would, resources follow the guests, and
// guests move between FakeDrivers that share a FakeHypervisorNetwork. Tests can inject failures,
// crash guests behind nova's back, or add guests nova does not know. Every operation resolves
// after its configured delay (default: the next tick).
import { Readable } from 'node:stream';
import { setImmediate as nextTick, setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../common/clock.ts';
import { systemClock } from '../../common/clock.ts';
import type { ImageMeta } from '../../scheduler/types.ts';
import type {
  ConsoleEndpoint,
  Diagnostics,
  DriverCapabilities,
  DriverInstance,
  InstanceInfo,
  LiveMigrationProgress,
  MoveTarget,
  NodeResources,
  PowerStateValue,
  SnapshotTarget,
  SpawnOptions,
  VirtDriver,
} from '../driver.ts';
import { PowerState } from '../driver.ts';
import {
  InstanceExists,
  InstanceInvalidState,
  InstanceNotFound,
  LiveMigrationAborted,
  UnableToMigrateToSelf,
} from '../errors.ts';
import { FailureInjector, type FailurePredicate } from './failures.ts';
import { appendConsole, bootLines, diagnosticsOf, type FakeGuest, stateName, stopLines } from './guest.ts';
import { type FakeHostSpec, nodeResources, uptimeLine } from './host.ts';
import type { FakeHypervisorNetwork } from './network.ts';
import {
  DEFAULT_GUEST_FLAVOR,
  FAKE_OPERATIONS,
  type FakeDriverOptions,
  type FakeGuestSpec,
  type FakeGuestSummary,
  type FakeOperation,
  hostSpecOf,
} from './options.ts';

export {
  FAKE_OPERATIONS,
  type FakeDriverOptions,
  type FakeGuestSpec,
  type FakeGuestSummary,
  type FakeOperation,
} from './options.ts';

const VNC_BASE_PORT = 5900;
const SERIAL_BASE_PORT = 10000;
const LIVE_MIGRATION_STEPS = 3;
const MIB = 1024 * 1024;

const { RUNNING, PAUSED, SHUTDOWN, SUSPENDED } = PowerState;

export class FakeDriver implements VirtDriver {
  readonly name = 'fake';
  readonly capabilities: DriverCapabilities = Object.freeze({
    supports_rescue: true,
    supports_set_admin_password: true,
    supports_trigger_crash_dump: true,
    supports_live_migration: true,
    supports_vnc_console: true,
    supports_serial_console: true,
  });

  readonly #opts: FakeDriverOptions;
  readonly #spec: FakeHostSpec;
  readonly #clock: Clock;
  readonly #bootedAt: Date;
  readonly #network: FakeHypervisorNetwork | undefined;
  readonly #failures = new FailureInjector(FAKE_OPERATIONS);
  /** Guests defined on this host, by instance uuid. */
  readonly #guests = new Map<string, FakeGuest>();
  /** What a resize/migration keeps on the source until confirm or revert, by instance uuid. */
  readonly #resizeSources = new Map<string, FakeGuest>();
  /** Live migrations running from this host: uuid → aborted by force complete ("finish now"). */
  readonly #migrating = new Map<string, AbortController>();
  #host: string | null;
  #nodes: readonly string[];
  #portSeq = 0;

  constructor(opts: FakeDriverOptions = {}) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#bootedAt = opts.bootedAt ?? this.#clock.now();
    this.#network = opts.network;
    this.#host = opts.host ?? null;
    this.#nodes = Object.freeze([...(opts.nodes ?? (opts.host ? [opts.host] : []))]);
    this.#spec = hostSpecOf(opts);
    if (this.#host !== null) this.#network?.attach(this.#host, this);
  }

  /** The host this driver serves (null until it has one). */
  get host(): string | null {
    return this.#host;
  }

  // ---- test controls -------------------------------------------------------------------------

  /** The next call of `operation` throws `error` (or an InjectedFailure), once. Calls queue up. */
  failNext(operation: string, error?: Error): void {
    this.#failures.failNext(operation, error);
  }

  /** Every call of `operation` (for which `predicate` holds) throws until clearFailures(). */
  failAlways(operation: string, predicate?: FailurePredicate, error?: Error): void {
    this.#failures.failAlways(operation, predicate, error);
  }

  /** Forgets injected failures of one operation, or all of them. */
  clearFailures(operation?: string): void {
    this.#failures.clear(operation);
  }

  guests(): FakeGuestSummary[] {
    return [...this.#guests.values()].map((g) => ({
      uuid: g.uuid,
      name: g.name,
      state: g.state,
      node: g.node,
      rescued: g.rescued,
    }));
  }

  /** The guest stops behind nova's back (SHUTDOWN, or CRASHED when asked). */
  crashGuest(uuid: string, state: PowerStateValue = SHUTDOWN): void {
    const g = this.#guests.get(uuid);
    if (g === undefined) throw new InstanceNotFound(uuid);
    appendConsole(g, [
      '[ 4711.000000] Kernel panic - not syncing: Fatal exception',
      '---[ end Kernel panic ]---',
    ]);
    g.state = state;
    g.startedAt = null;
  }

  /** A guest the hypervisor has but nova does not know about. */
  addGuest(spec: FakeGuestSpec): void {
    if (this.#guests.has(spec.uuid)) throw new InstanceExists(spec.uuid);
    const g = this.#newGuest(
      {
        uuid: spec.uuid,
        name: spec.name ?? `instance-${spec.uuid.slice(0, 8)}`,
        hostname: spec.name ?? spec.uuid,
        flavor: spec.flavor ?? DEFAULT_GUEST_FLAVOR,
        config_drive: false,
        network_info: [],
      },
      this.#nodeFor(spec.node),
    );
    if ((spec.state ?? RUNNING) === RUNNING) this.#start(g, 'boot');
    else g.state = spec.state ?? RUNNING;
  }

  // ---- host ----------------------------------------------------------------------------------

  init(host: string): Promise<void> {
    return this.#op('init', undefined, () => {
      if (this.#host !== host) {
        if (this.#host !== null) this.#network?.detach(this.#host, this);
        this.#host = host;
        if (this.#opts.nodes === undefined) this.#nodes = Object.freeze([host]);
      }
      this.#network?.attach(host, this);
    });
  }

  /** Nothing runs in the background; guests (and the network registration) stay, like a hypervisor. */
  close(): Promise<void> {
    return this.#op('close', undefined, () => {});
  }

  nodeNames(): readonly string[] {
    return this.#nodes;
  }

  availableResource(nodename: string): Promise<NodeResources> {
    return this.#op('availableResource', undefined, () => {
      if (!this.#nodes.includes(nodename))
        throw new Error(
          `Node ${nodename} is not served by this fake driver (nodes: ${this.#nodes.join(', ') || 'none'}).`,
        );
      const onNode = [...this.#guests.values(), ...this.#resizeSources.values()].filter(
        (g) => g.node === nodename,
      );
      return nodeResources(nodename, this.#spec, onNode);
    });
  }

  listInstanceUuids(): Promise<readonly string[]> {
    return this.#op('listInstanceUuids', undefined, () => [...this.#guests.keys()]);
  }

  hostUptime(): Promise<string> {
    return this.#op('hostUptime', undefined, () => uptimeLine(this.#clock.now(), this.#bootedAt));
  }

  // ---- guest lifecycle -----------------------------------------------------------------------

  getInfo(instance: DriverInstance): Promise<InstanceInfo> {
    return this.#op('getInfo', instance, () => ({ state: this.#guest(instance).state }));
  }

  spawn(instance: DriverInstance, opts: SpawnOptions): Promise<void> {
    return this.#op('spawn', instance, () => {
      if (this.#guests.has(instance.uuid)) throw new InstanceExists(instance.name);
      const g = this.#newGuest(instance, this.#nodeFor(instance.node));
      g.adminPassword = opts.adminPassword ?? null;
      this.#start(g, 'boot');
    });
  }

  destroy(instance: DriverInstance, _destroyDisks: boolean): Promise<void> {
    return this.#op('destroy', instance, () => {
      const g = this.#guests.get(instance.uuid);
      if (g === undefined) return;
      if (g.state !== SHUTDOWN) this.#stop(g, 'Power-Off');
      this.#guests.delete(instance.uuid);
    });
  }

  powerOff(instance: DriverInstance, _timeoutSec: number): Promise<void> {
    return this.#op('powerOff', instance, () => {
      const g = this.#guest(instance);
      if (g.state !== SHUTDOWN) this.#stop(g, 'Power-Off');
    });
  }

  /** Any state → RUNNING (a hypervisor's power on is a hard boot of the defined guest). */
  powerOn(instance: DriverInstance): Promise<void> {
    return this.#op('powerOn', instance, () => {
      const g = this.#guest(instance);
      if (g.state !== RUNNING) this.#start(g, 'boot');
    });
  }

  /** A soft reboot of a guest that is not running falls back to a hard one: RUNNING either way. */
  reboot(instance: DriverInstance, type: 'SOFT' | 'HARD'): Promise<void> {
    return this.#op('reboot', instance, () => {
      const g = this.#guest(instance);
      if (g.state === RUNNING) appendConsole(g, stopLines('Reboot'));
      this.#start(g, type === 'SOFT' ? 'soft reboot' : 'hard reboot');
    });
  }

  pause(instance: DriverInstance): Promise<void> {
    return this.#op('pause', instance, () => {
      const g = this.#inState(instance, [RUNNING], 'pause');
      g.state = PAUSED;
    });
  }

  unpause(instance: DriverInstance): Promise<void> {
    return this.#op('unpause', instance, () => {
      const g = this.#inState(instance, [PAUSED], 'unpause');
      g.state = RUNNING;
    });
  }

  suspend(instance: DriverInstance): Promise<void> {
    return this.#op('suspend', instance, () => {
      const g = this.#inState(instance, [RUNNING, PAUSED], 'suspend');
      g.state = SUSPENDED;
      appendConsole(g, ['PM: suspend entry (managed save)']);
    });
  }

  resume(instance: DriverInstance): Promise<void> {
    return this.#op('resume', instance, () => {
      const g = this.#inState(instance, [SUSPENDED], 'resume');
      g.state = RUNNING;
      appendConsole(g, ['PM: suspend exit']);
    });
  }

  /** Boots the guest from a rescue image, whatever its power state; it then runs, rescued. */
  rescue(instance: DriverInstance, _rescueImage: ImageMeta, adminPassword: string | null): Promise<void> {
    return this.#op('rescue', instance, () => {
      const g = this.#guest(instance);
      if (g.rescued) throw new InstanceInvalidState(g.uuid, 'vm_state', 'rescued', 'rescue');
      if (g.state === RUNNING) appendConsole(g, stopLines('Power-Off'));
      g.rescued = true;
      if (adminPassword !== null) g.adminPassword = adminPassword;
      this.#start(g, 'rescue');
    });
  }

  unrescue(instance: DriverInstance): Promise<void> {
    return this.#op('unrescue', instance, () => {
      const g = this.#guest(instance);
      if (!g.rescued) throw new InstanceInvalidState(g.uuid, 'vm_state', 'not rescued', 'unrescue');
      appendConsole(g, stopLines('Power-Off'));
      g.rescued = false;
      this.#start(g, 'boot');
    });
  }

  snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void> {
    return this.#op('snapshot', instance, async () => {
      const g = this.#guest(instance);
      const bytes = Buffer.from(`FAKE-DISK ${g.uuid} ${g.name} root_gb=${g.flavor.root_gb}\n`);
      await target.upload(Readable.from([bytes]), 'raw');
    });
  }

  // ---- cold migration / resize ---------------------------------------------------------------

  /** Source: stop the guest and keep it aside (for a revert) until confirm. */
  async migrateDiskAndPowerOff(instance: DriverInstance, _target: MoveTarget): Promise<undefined> {
    await this.#op('migrateDiskAndPowerOff', instance, () => {
      const g = this.#guest(instance);
      if (g.state !== SHUTDOWN) this.#stop(g, 'Power-Off');
      this.#guests.delete(g.uuid);
      this.#resizeSources.set(g.uuid, g);
    });
    return undefined;
  }

  /** Destination: the guest with the new flavor, running if asked. */
  finishMigration(instance: DriverInstance, target: MoveTarget, powerOn: boolean): Promise<void> {
    return this.#op('finishMigration', instance, () => {
      if (this.#guests.has(instance.uuid)) throw new InstanceExists(instance.name);
      const source = target.sameHost ? this : this.#network?.driverOf(target.sourceHost);
      if (source !== undefined && !source.#resizeSources.has(instance.uuid))
        throw new Error(
          `Disks of instance ${instance.uuid} were not handed over by ${target.sourceHost}; ` +
            'migrateDiskAndPowerOff must run on the source first.',
        );
      const node = this.#nodes.includes(target.destNode) ? target.destNode : this.#nodeFor(instance.node);
      const g = this.#newGuest({ ...instance, flavor: target.newFlavor }, node);
      appendConsole(g, [`fake-hypervisor: disks of ${g.name} received from ${target.sourceHost}`]);
      if (powerOn) this.#start(g, 'boot');
      else g.state = SHUTDOWN;
    });
  }

  /** Source, after confirm: what was kept for a revert goes. */
  confirmMigration(instance: DriverInstance, _target: MoveTarget): Promise<void> {
    return this.#op('confirmMigration', instance, () => {
      this.#resizeSources.delete(instance.uuid);
    });
  }

  /** Source, after revert: the kept guest is back, with the instance's (old) flavor. */
  finishRevertMigration(instance: DriverInstance, _target: MoveTarget, powerOn: boolean): Promise<void> {
    return this.#op('finishRevertMigration', instance, () => {
      const kept = this.#resizeSources.get(instance.uuid);
      this.#resizeSources.delete(instance.uuid);
      let g: FakeGuest;
      if (kept !== undefined) {
        g = kept;
        g.flavor = instance.flavor;
        this.#guests.set(g.uuid, g);
      } else {
        this.#guests.delete(instance.uuid);
        g = this.#newGuest(instance, this.#nodeFor(instance.node));
      }
      if (powerOn) this.#start(g, 'boot');
      else g.state = SHUTDOWN;
    });
  }

  // ---- live migration ------------------------------------------------------------------------

  /**
   * Source: copies the guest's memory in a few steps (reporting each), then hands the guest to the
   * destination's FakeDriver on the shared network. Aborting leaves the guest here, as it was.
   */
  liveMigrate(
    instance: DriverInstance,
    destHost: string,
    onProgress: (p: LiveMigrationProgress) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const failure = this.#failures.take('liveMigrate', instance);
    return (async () => {
      await nextTick();
      if (failure) throw failure;
      const g = this.#inState(instance, [RUNNING, PAUSED], 'live-migrate');
      if (signal.aborted) throw new LiveMigrationAborted(g.uuid, signal.reason);
      const dest = this.#liveDestination(destHost, g);
      if (this.#migrating.has(g.uuid))
        throw new InstanceInvalidState(g.uuid, 'task_state', 'migrating', 'live-migrate');
      const force = new AbortController();
      this.#migrating.set(g.uuid, force);
      const wait = AbortSignal.any([signal, force.signal]);
      try {
        const total = g.flavor.memory_mb * MIB;
        const stepMs = (this.#opts.delays?.liveMigrate ?? 0) / LIVE_MIGRATION_STEPS;
        for (let i = 1; i <= LIVE_MIGRATION_STEPS; i++) {
          if (!force.signal.aborted) {
            try {
              if (stepMs > 0) await sleep(stepMs, undefined, { signal: wait });
              else await nextTick(undefined, { signal: wait });
            } catch {
              // Either aborted (checked below) or forced to complete: the rest is copied at once.
            }
          }
          if (signal.aborted) throw new LiveMigrationAborted(g.uuid, signal.reason);
          const done = Math.round((total * i) / LIVE_MIGRATION_STEPS);
          onProgress({
            memory_total: total,
            memory_processed: done,
            memory_remaining: total - done,
            disk_total: 0,
            disk_processed: 0,
            disk_remaining: 0,
          });
        }
        if (signal.aborted) throw new LiveMigrationAborted(g.uuid, signal.reason);
        if (this.#guests.get(g.uuid) !== g) throw new InstanceNotFound(g.uuid);
        if (dest !== undefined) {
          if (dest.#guests.has(g.uuid)) throw new InstanceExists(g.name);
          this.#guests.delete(g.uuid);
          appendConsole(g, [`fake-hypervisor: ${g.name} migrated live from ${this.#host} to ${destHost}`]);
          dest.#adopt(g);
        } else this.#guests.delete(g.uuid);
      } finally {
        this.#migrating.delete(g.uuid);
      }
    })();
  }

  /** Destination, before the migration: the guest must not be here already. */
  async preLiveMigration(instance: DriverInstance): Promise<undefined> {
    await this.#op('preLiveMigration', instance, () => {
      if (this.#guests.has(instance.uuid)) throw new InstanceExists(instance.name);
    });
    return undefined;
  }

  /** Destination, after it: the guest runs here (made here when no network carried it over). */
  postLiveMigrationAtDestination(instance: DriverInstance): Promise<void> {
    return this.#op('postLiveMigrationAtDestination', instance, () => {
      if (this.#guests.has(instance.uuid)) return;
      this.#start(this.#newGuest(instance, this.#nodeFor(instance.node)), 'boot');
    });
  }

  /** Makes a running live migration of this guest finish without waiting; nothing else to do otherwise. */
  liveMigrationForceComplete(instance: DriverInstance): Promise<void> {
    return this.#op('liveMigrationForceComplete', instance, () => {
      this.#guest(instance);
      this.#migrating.get(instance.uuid)?.abort();
    });
  }

  // ---- consoles and the rest -----------------------------------------------------------------

  getConsoleOutput(instance: DriverInstance): Promise<string> {
    return this.#op('getConsoleOutput', instance, () => `${this.#guest(instance).console.join('\n')}\n`);
  }

  getVncConsole(instance: DriverInstance): Promise<ConsoleEndpoint> {
    return this.#op('getVncConsole', instance, () => ({
      host: '127.0.0.1',
      port: this.#guest(instance).vncPort,
      internal_access_path: null,
    }));
  }

  getSerialConsole(instance: DriverInstance): Promise<ConsoleEndpoint> {
    return this.#op('getSerialConsole', instance, () => ({
      host: '127.0.0.1',
      port: this.#guest(instance).serialPort,
      internal_access_path: null,
    }));
  }

  /** Needs the guest running (its agent sets the password). */
  setAdminPassword(instance: DriverInstance, password: string): Promise<void> {
    return this.#op('setAdminPassword', instance, () => {
      const g = this.#inState(instance, [RUNNING], 'set admin password');
      g.adminPassword = password;
      appendConsole(g, ['qemu-ga: password of the admin user changed']);
    });
  }

  /** An NMI to a running guest: its kernel panics and dumps (the guest keeps running after kdump). */
  triggerCrashDump(instance: DriverInstance): Promise<void> {
    return this.#op('triggerCrashDump', instance, () => {
      const g = this.#inState(instance, [RUNNING], 'trigger crash dump');
      g.crashDumps += 1;
      appendConsole(g, [
        'Uhhuh. NMI received for unknown reason 3d on CPU 0.',
        'Kernel panic - not syncing: NMI: Not continuing',
        'kdump: saving vmcore',
      ]);
    });
  }

  getDiagnostics(instance: DriverInstance): Promise<Diagnostics> {
    return this.#op('getDiagnostics', instance, () =>
      diagnosticsOf(this.#guest(instance), this.#clock.now()),
    );
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Runs one operation: consumes an injected failure, waits its delay, then fails or does it. */
  async #op<T>(
    op: FakeOperation,
    instance: DriverInstance | undefined,
    body: () => T | Promise<T>,
  ): Promise<T> {
    const failure = this.#failures.take(op, instance);
    const ms = this.#opts.delays?.[op] ?? 0;
    if (ms > 0) await sleep(ms);
    else await nextTick();
    if (failure) throw failure;
    return body();
  }

  #guest(instance: DriverInstance): FakeGuest {
    const g = this.#guests.get(instance.uuid);
    if (g === undefined) throw new InstanceNotFound(instance.uuid);
    return g;
  }

  #inState(instance: DriverInstance, allowed: readonly PowerStateValue[], method: string): FakeGuest {
    const g = this.#guest(instance);
    if (!allowed.includes(g.state))
      throw new InstanceInvalidState(g.uuid, 'power_state', stateName(g.state), method);
    return g;
  }

  #nodeFor(node: string | null | undefined): string {
    if (node && this.#nodes.includes(node)) return node;
    const first = this.#nodes[0];
    if (first === undefined)
      throw new Error('The fake driver has no host yet: give options.host or call init(host).');
    return first;
  }

  #newGuest(
    i: Pick<DriverInstance, 'uuid' | 'name' | 'hostname' | 'flavor' | 'config_drive' | 'network_info'>,
    node: string,
  ): FakeGuest {
    const seq = this.#portSeq++;
    const g: FakeGuest = {
      uuid: i.uuid,
      name: i.name,
      hostname: i.hostname,
      node,
      flavor: i.flavor,
      state: SHUTDOWN,
      rescued: false,
      configDrive: i.config_drive,
      vifs: i.network_info,
      startedAt: null,
      vncPort: VNC_BASE_PORT + seq,
      serialPort: SERIAL_BASE_PORT + seq,
      adminPassword: null,
      crashDumps: 0,
      console: [],
    };
    this.#guests.set(g.uuid, g);
    return g;
  }

  #start(g: FakeGuest, reason: string): void {
    g.state = RUNNING;
    g.startedAt = this.#clock.now();
    appendConsole(g, bootLines(g, reason));
  }

  #stop(g: FakeGuest, how: string): void {
    appendConsole(g, stopLines(how));
    g.state = SHUTDOWN;
    g.startedAt = null;
  }

  /** The destination driver of a live migration (undefined: no network, the destination makes it). */
  #liveDestination(destHost: string, g: FakeGuest): FakeDriver | undefined {
    if (this.#network === undefined) return undefined;
    const dest = this.#network.driverOf(destHost);
    if (dest === undefined)
      throw new Error(`Live migration of ${g.uuid} failed: no fake hypervisor answers for host ${destHost}.`);
    if (dest === this) throw new UnableToMigrateToSelf(g.uuid, destHost);
    if (dest.#guests.has(g.uuid)) throw new InstanceExists(g.name);
    return dest;
  }

  /** Takes over a guest live-migrated here (state kept, new node and console ports). */
  #adopt(g: FakeGuest): void {
    const seq = this.#portSeq++;
    g.node = this.#nodeFor(g.node);
    g.vncPort = VNC_BASE_PORT + seq;
    g.serialPort = SERIAL_BASE_PORT + seq;
    this.#guests.set(g.uuid, g);
  }
}
