// The fake virt driver's options, its operation names (for delays and failure injection) and the
// shapes of its test controls.
import type { Clock } from '../../common/clock.ts';
import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';
import type { PowerStateValue } from '../driver.ts';
import type { FakeHostSpec } from './host.ts';
import type { FakeHypervisorNetwork } from './network.ts';

/** Every operation of the driver contract, by method name (delays and failure injection use these). */
export const FAKE_OPERATIONS = Object.freeze([
  'init',
  'close',
  'availableResource',
  'listInstanceUuids',
  'getInfo',
  'spawn',
  'destroy',
  'powerOff',
  'powerOn',
  'reboot',
  'pause',
  'unpause',
  'suspend',
  'resume',
  'rescue',
  'unrescue',
  'snapshot',
  'migrateDiskAndPowerOff',
  'finishMigration',
  'confirmMigration',
  'finishRevertMigration',
  'liveMigrate',
  'preLiveMigration',
  'postLiveMigrationAtDestination',
  'liveMigrationForceComplete',
  'getConsoleOutput',
  'getVncConsole',
  'getSerialConsole',
  'setAdminPassword',
  'triggerCrashDump',
  'getDiagnostics',
  'hostUptime',
] as const);
export type FakeOperation = (typeof FAKE_OPERATIONS)[number];

export interface FakeDriverOptions {
  /** The host this driver serves (else the one init() is given). */
  readonly host?: string;
  /** Node names; default [host]. */
  readonly nodes?: readonly string[];
  readonly vcpus?: number;
  readonly memoryMb?: number;
  readonly localGb?: number;
  readonly hypervisorVersion?: number;
  readonly clock?: Clock;
  /** Milliseconds each operation takes; 0 (the default) resolves on the next tick. */
  readonly delays?: Partial<Record<FakeOperation, number>>;
  readonly reservedHostMemoryMb?: number;
  readonly reservedHostDiskMb?: number;
  readonly reservedHostCpus?: number;
  readonly cpuAllocationRatio?: number;
  readonly ramAllocationRatio?: number;
  readonly diskAllocationRatio?: number;
  /** Traits added to every node's provider (for trait-based scheduling tests). */
  readonly extraTraits?: readonly string[];
  /** Shared with the FakeDrivers guests may move to. */
  readonly network?: FakeHypervisorNetwork;
  /** When the fake host booted (hostUptime); default: when the driver was made. */
  readonly bootedAt?: Date;
}

export interface FakeGuestSummary {
  readonly uuid: string;
  readonly name: string;
  readonly state: PowerStateValue;
  readonly node: string;
  readonly rescued: boolean;
}

/** A guest nova does not know about (addGuest). */
export interface FakeGuestSpec {
  readonly uuid: string;
  readonly name?: string;
  readonly state?: PowerStateValue;
  readonly node?: string;
  readonly flavor?: EmbeddedFlavor;
}

// Upstream's initial_*_allocation_ratio defaults (nova.conf), used when no ratio is given.
const INITIAL_RATIOS = { cpu: 4.0, ram: 1.0, disk: 1.0 };

/** The host's sizes, reservations and ratios with the defaults filled in. */
export function hostSpecOf(opts: FakeDriverOptions): FakeHostSpec {
  return Object.freeze({
    vcpus: opts.vcpus ?? 64,
    memoryMb: opts.memoryMb ?? 128 * 1024,
    localGb: opts.localGb ?? 2048,
    hypervisorVersion: opts.hypervisorVersion ?? 1000,
    reservedHostMemoryMb: opts.reservedHostMemoryMb ?? 0,
    reservedHostDiskMb: opts.reservedHostDiskMb ?? 0,
    reservedHostCpus: opts.reservedHostCpus ?? 0,
    cpuAllocationRatio: opts.cpuAllocationRatio ?? INITIAL_RATIOS.cpu,
    ramAllocationRatio: opts.ramAllocationRatio ?? INITIAL_RATIOS.ram,
    diskAllocationRatio: opts.diskAllocationRatio ?? INITIAL_RATIOS.disk,
    extraTraits: Object.freeze([...(opts.extraTraits ?? [])]),
  });
}

/** The flavor of a guest added behind nova's back when none is given. */
export const DEFAULT_GUEST_FLAVOR: EmbeddedFlavor = Object.freeze({
  name: 'm1.tiny',
  flavorid: '1',
  memory_mb: 512,
  vcpus: 1,
  root_gb: 1,
  ephemeral_gb: 0,
  swap: 0,
});
