// The virt driver contract: what nova-compute asks of a hypervisor. Compute code talks to this
// interface only and never asks which driver it has; drivers are registered in virt/registry.ts.
// Instances are passed as plain data (DriverInstance); drivers keep their own per-guest state.
import type { Readable } from 'node:stream';
import type { EmbeddedFlavor } from '../objects/instance-extra.ts';
import type { ImageMeta } from '../scheduler/types.ts';

/** Upstream power_state values (nova/compute/power_state.py). */
export const PowerState = Object.freeze({
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
});
export type PowerStateValue = (typeof PowerState)[keyof typeof PowerState];

/** One virtual interface of the instance (network info cache entry), as far as drivers need it. */
export interface DriverVif {
  readonly id: string;
  readonly address: string;
  readonly network_id?: string;
  readonly bridge?: string;
  readonly devname?: string;
  readonly fixed_ips?: readonly string[];
  /** The network service already says the port is wired (status ACTIVE); false: not yet. */
  readonly active?: boolean;
}

export interface DriverInstance {
  readonly uuid: string;
  /** Hypervisor-side name, upstream's `instance-%08x` of the instance id. */
  readonly name: string;
  readonly hostname: string;
  readonly display_name: string;
  readonly project_id: string;
  readonly user_id: string;
  readonly flavor: EmbeddedFlavor;
  readonly image_ref: string | null;
  readonly image: ImageMeta;
  readonly key_data: string | null;
  /** Base64, as the API accepted it. */
  readonly user_data: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly config_drive: boolean;
  readonly availability_zone: string | null;
  readonly network_info: readonly DriverVif[];
  /** The hypervisor node the instance is placed on (instances.node); multi-node drivers use it. */
  readonly node?: string | null;
  /** The power state nova last recorded (what a moved guest should be in). */
  readonly power_state?: number | null;
}

/**
 * What one side of a move hands the other through the compute RPC (upstream's disk_info of a
 * resize and migrate_data of a live migration): plain JSON the driver defines.
 */
export type MigrateData = Readonly<Record<string, unknown>>;

/** A placement inventory record for one resource class. */
export interface InventoryRecord {
  readonly total: number;
  readonly reserved: number;
  readonly min_unit: number;
  readonly max_unit: number;
  readonly step_size: number;
  readonly allocation_ratio: number;
}

/** One hypervisor node as the resource tracker reports it (compute_nodes row + placement provider). */
export interface NodeResources {
  readonly nodename: string;
  /** Stable node uuid when the driver has one (else the tracker makes one). */
  readonly uuid?: string;
  readonly hypervisor_type: string;
  readonly hypervisor_version: number;
  readonly cpu_info: string;
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly local_gb: number;
  readonly vcpus_used: number;
  readonly memory_mb_used: number;
  readonly local_gb_used: number;
  readonly disk_available_least: number;
  readonly supported_instances: readonly (readonly [string, string, string])[];
  /** Inventory by resource class (VCPU, MEMORY_MB, DISK_GB, …). */
  readonly inventory: Readonly<Record<string, InventoryRecord>>;
  /** Traits of the node's provider (COMPUTE_*, HW_CPU_*). */
  readonly traits: readonly string[];
}

export interface InstanceInfo {
  readonly state: PowerStateValue;
}

export interface ConsoleEndpoint {
  readonly host: string;
  readonly port: number;
  readonly internal_access_path?: string | null;
}

export interface Diagnostics {
  readonly state: string;
  readonly driver: string;
  readonly hypervisor: string;
  readonly hypervisor_os: string;
  readonly uptime: number;
  readonly config_drive: boolean;
  readonly num_cpus: number;
  readonly num_nics: number;
  readonly num_disks: number;
  readonly cpu_details: readonly Record<string, unknown>[];
  readonly nic_details: readonly Record<string, unknown>[];
  readonly disk_details: readonly Record<string, unknown>[];
  readonly memory_details: { readonly maximum: number; readonly used: number };
}

export interface SpawnOptions {
  readonly adminPassword?: string | null;
  /** Files to inject (personality, ≤2.56): path → base64 contents. */
  readonly injectedFiles?: readonly { readonly path: string; readonly contents: string }[];
  /** Fetches the image bytes (drivers with real disks). */
  readonly fetchImage?: () => Promise<Readable>;
  /**
   * For drivers that plug interfaces (virtapi.wait_for_instance_event): called with the ports
   * whose network-vif-plugged the driver will wait for, before it creates their devices; the
   * returned function waits (rejects when [DEFAULT] vif_plugging_is_fatal and they never came).
   */
  readonly prepareVifPlugged?: (portIds: readonly string[]) => () => Promise<void>;
}

export interface SnapshotTarget {
  /** Uploads the snapshot bytes to the image service (already created, status queued). */
  upload(data: Readable, diskFormat: string): Promise<void>;
}

/** Where a resize/migration goes (driver-visible part of a Migration). */
export interface MoveTarget {
  readonly sourceHost: string;
  readonly destHost: string;
  readonly destNode: string;
  readonly newFlavor: EmbeddedFlavor;
  readonly sameHost: boolean;
}

export interface LiveMigrationProgress {
  readonly memory_total: number;
  readonly memory_processed: number;
  readonly memory_remaining: number;
  readonly disk_total: number;
  readonly disk_processed: number;
  readonly disk_remaining: number;
}

/** Error a driver throws when an operation is not supported (API answers upstream's 400/409/501). */
export class DriverNotSupported extends Error {
  readonly operation: string;
  constructor(operation: string, message?: string) {
    super(message ?? `${operation} is not supported by this virt driver.`);
    this.name = 'DriverNotSupported';
    this.operation = operation;
  }
}

export interface DriverCapabilities {
  readonly supports_rescue: boolean;
  readonly supports_set_admin_password: boolean;
  readonly supports_trigger_crash_dump: boolean;
  readonly supports_live_migration: boolean;
  readonly supports_vnc_console: boolean;
  readonly supports_serial_console: boolean;
}

export interface VirtDriver {
  readonly name: string;
  readonly capabilities: DriverCapabilities;
  /** Prepares the driver for this host (called once before anything else). */
  init(host: string): Promise<void>;
  /** Stops background work; guests keep running (a restarted compute re-attaches). */
  close(): Promise<void>;
  nodeNames(): readonly string[];
  availableResource(nodename: string): Promise<NodeResources>;
  /** Uuids of every guest the driver runs or knows on this host. */
  listInstanceUuids(): Promise<readonly string[]>;
  /** Power state of a guest; throws InstanceNotFound (faults) when the driver has no such guest. */
  getInfo(instance: DriverInstance): Promise<InstanceInfo>;

  spawn(instance: DriverInstance, opts: SpawnOptions): Promise<void>;
  /** Removes the guest and (destroyDisks) its disks; a missing guest is not an error. */
  destroy(instance: DriverInstance, destroyDisks: boolean): Promise<void>;
  powerOff(instance: DriverInstance, timeoutSec: number): Promise<void>;
  powerOn(instance: DriverInstance): Promise<void>;
  reboot(instance: DriverInstance, type: 'SOFT' | 'HARD'): Promise<void>;
  pause(instance: DriverInstance): Promise<void>;
  unpause(instance: DriverInstance): Promise<void>;
  suspend(instance: DriverInstance): Promise<void>;
  resume(instance: DriverInstance): Promise<void>;
  rescue(instance: DriverInstance, rescueImage: ImageMeta, adminPassword: string | null): Promise<void>;
  unrescue(instance: DriverInstance): Promise<void>;
  snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void>;

  /** Resize/migrate, source side: stop the guest and hand its disks over (disk_info for the destination). */
  migrateDiskAndPowerOff(instance: DriverInstance, target: MoveTarget): Promise<MigrateData | undefined>;
  /** Destination side: bring the guest up with the new flavor from the source's disk_info. */
  finishMigration(
    instance: DriverInstance,
    target: MoveTarget,
    powerOn: boolean,
    diskInfo?: MigrateData,
  ): Promise<void>;
  /** Source side, after confirm: drop what was kept for a revert. */
  confirmMigration(instance: DriverInstance, target: MoveTarget): Promise<void>;
  /** Source side, after revert: the original guest back. */
  finishRevertMigration(instance: DriverInstance, target: MoveTarget, powerOn: boolean): Promise<void>;

  /** Live migration, source side; resolves when the guest runs on the destination. */
  liveMigrate(
    instance: DriverInstance,
    destHost: string,
    onProgress: (p: LiveMigrationProgress) => void,
    signal: AbortSignal,
    migrateData?: MigrateData,
  ): Promise<void>;
  /** Destination side, before the migration starts; its answer goes to the source's liveMigrate. */
  preLiveMigration(instance: DriverInstance): Promise<MigrateData | undefined>;
  /** Destination side, once the guest runs here. */
  postLiveMigrationAtDestination(instance: DriverInstance): Promise<void>;
  /** Asks a running live migration to finish now (pause the guest, post-copy). */
  liveMigrationForceComplete(instance: DriverInstance): Promise<void>;

  getConsoleOutput(instance: DriverInstance): Promise<string>;
  getVncConsole(instance: DriverInstance): Promise<ConsoleEndpoint>;
  getSerialConsole(instance: DriverInstance): Promise<ConsoleEndpoint>;
  setAdminPassword(instance: DriverInstance, password: string): Promise<void>;
  triggerCrashDump(instance: DriverInstance): Promise<void>;
  getDiagnostics(instance: DriverInstance): Promise<Diagnostics>;
  /** `uptime`-style text of the host. */
  hostUptime(): Promise<string>;
}
