// The virt drivers nova-compute can run, by upstream's [DEFAULT] compute_driver names, and the
// names of the fake hosts one process runs for `--fake-hosts N`.
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { createLogger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { ImageClient } from '../image-client/client.ts';
import type { VirtDriver } from './driver.ts';
import { FakeDriver, type FakeDriverOptions } from './fake/driver.ts';
import type { FakeHypervisorNetwork } from './fake/network.ts';
import { QemuDriver } from './qemu/driver.ts';
import { findQemu } from './qemu/process.ts';

export interface VirtDriverOptions {
  /** The compute host the driver serves. */
  readonly host: string;
  /** Reserved host resources and allocation ratios come from [DEFAULT] when given. */
  readonly conf?: NovaConf;
  readonly clock?: Clock;
  /** Fake drivers of one process share this so guests can move between their hosts. */
  readonly fakeNetwork?: FakeHypervisorNetwork;
  /** Anything else for the fake driver (sizes, delays, nodes); wins over conf. */
  readonly fake?: Omit<FakeDriverOptions, 'host' | 'network' | 'clock'>;
  /** The image service as this compute reaches it (drivers with real disks download images). */
  readonly images?: () => Promise<ImageClient>;
  readonly log?: Logger;
  /** Drivers with local disks: where this host keeps its guests (default [DEFAULT] instances_path). */
  readonly instancesPath?: string;
}

export type VirtDriverFactory = (opts: VirtDriverOptions) => VirtDriver;

/** The fake driver's host settings from [DEFAULT] (ratio unset → upstream's initial_* ratio). */
function fakeOptionsFromConf(conf: NovaConf | undefined): FakeDriverOptions {
  if (conf === undefined) return {};
  const d = conf.DEFAULT;
  return {
    reservedHostMemoryMb: d.reserved_host_memory_mb,
    reservedHostDiskMb: d.reserved_host_disk_mb,
    reservedHostCpus: d.reserved_host_cpus,
    cpuAllocationRatio: d.cpu_allocation_ratio ?? d.initial_cpu_allocation_ratio,
    ramAllocationRatio: d.ram_allocation_ratio ?? d.initial_ram_allocation_ratio,
    diskAllocationRatio: d.disk_allocation_ratio ?? d.initial_disk_allocation_ratio,
  };
}

const fake: VirtDriverFactory = (opts) =>
  new FakeDriver({
    ...fakeOptionsFromConf(opts.conf),
    ...opts.fake,
    host: opts.host,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.fakeNetwork ? { network: opts.fakeNetwork } : {}),
  });

const qemu: VirtDriverFactory = (opts) => {
  if (opts.conf === undefined) throw new Error('The QEMU driver needs the configuration.');
  return new QemuDriver({
    host: opts.host,
    conf: opts.conf,
    log: opts.log ?? createLogger({ name: 'nova-compute' }),
    ...(opts.images ? { images: opts.images } : {}),
    ...(opts.instancesPath ? { instancesPath: opts.instancesPath } : {}),
  });
};

/** compute_driver name → factory. libvirt.LibvirtDriver (the seeds' name) runs guests with QEMU directly. */
export const VIRT_DRIVERS: Readonly<Record<string, VirtDriverFactory>> = Object.freeze({
  'fake.FakeDriver': fake,
  fake,
  'libvirt.LibvirtDriver': qemu,
  qemu,
});

/** Whether this machine can run the QEMU driver (qemu-system-x86_64 installed). */
export const qemuAvailable = (): boolean => findQemu() !== undefined;

/** Upstream also accepts the full module path (nova.virt.fake.FakeDriver). */
const normalise = (name: string): string => name.trim().replace(/^nova\.virt\./, '');

export function createVirtDriver(name: string, opts: VirtDriverOptions): VirtDriver {
  const key = normalise(name);
  const factory = Object.hasOwn(VIRT_DRIVERS, key) ? VIRT_DRIVERS[key] : undefined;
  if (factory === undefined)
    throw new Error(
      `Unknown compute_driver '${name}'. Known drivers: ${Object.keys(VIRT_DRIVERS).sort().join(', ')}.`,
    );
  return factory(opts);
}

/** Host names for `--fake-hosts N`: `<base>-1` … `<base>-N` (e.g. fake-host-1, fake-host-2). */
export function fakeHostNames(baseHost: string, n: number): string[] {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`The number of fake hosts must be a whole number ≥ 0, not ${n}.`);
  if (baseHost === '') throw new Error('The base host name of the fake hosts is empty.');
  return Array.from({ length: n }, (_, i) => `${baseHost}-${i + 1}`);
}
