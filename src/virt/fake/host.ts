// The fake hypervisor host as the resource tracker and `uptime` see it: one node's resources
// (inventory with reserved amounts and allocation ratios, traits, usage summed over the guests
// placed on it) and an `uptime`-style line.
import type { InventoryRecord, NodeResources } from '../driver.ts';
import { nameBasedUuid } from '../node-uuid.ts';
import { type FakeGuest, guestDiskGb } from './guest.ts';

export interface FakeHostSpec {
  readonly vcpus: number;
  readonly memoryMb: number;
  readonly localGb: number;
  readonly hypervisorVersion: number;
  readonly reservedHostMemoryMb: number;
  readonly reservedHostDiskMb: number;
  readonly reservedHostCpus: number;
  readonly cpuAllocationRatio: number;
  readonly ramAllocationRatio: number;
  readonly diskAllocationRatio: number;
  readonly extraTraits: readonly string[];
}

/** Traits every fake node reports: the compute node marker and what the fake "hypervisor" can do. */
export const FAKE_NODE_TRAITS: readonly string[] = Object.freeze([
  'COMPUTE_NODE',
  'COMPUTE_DEVICE_TAGGING',
  'COMPUTE_IMAGE_TYPE_AKI',
  'COMPUTE_IMAGE_TYPE_AMI',
  'COMPUTE_IMAGE_TYPE_ARI',
  'COMPUTE_IMAGE_TYPE_ISO',
  'COMPUTE_IMAGE_TYPE_QCOW2',
  'COMPUTE_IMAGE_TYPE_RAW',
  'COMPUTE_NET_ATTACH_INTERFACE',
  'COMPUTE_TRUSTED_CERTS',
]);

export const FAKE_SUPPORTED_INSTANCES: readonly (readonly [string, string, string])[] = Object.freeze([
  Object.freeze(['x86_64', 'fake', 'hvm'] as const),
  Object.freeze(['i686', 'fake', 'hvm'] as const),
]);

const CPU_INFO = JSON.stringify({
  arch: 'x86_64',
  model: 'Nehalem',
  vendor: 'Intel',
  features: ['pge', 'clflush'],
  topology: { cores: 1, threads: 1, sockets: 4 },
});

/** A stable uuid for a node name (name-based, version 5 layout), the same in every run. */
export const fakeNodeUuid = (nodename: string): string => nameBasedUuid('nova-ts:fake-node', nodename);

const inv = (total: number, reserved: number, ratio: number): InventoryRecord => ({
  total,
  reserved,
  min_unit: 1,
  max_unit: total,
  step_size: 1,
  allocation_ratio: ratio,
});

/** One node's report; guests are those placed on the node (resize sources included). */
export function nodeResources(
  nodename: string,
  spec: FakeHostSpec,
  guests: Iterable<FakeGuest>,
): NodeResources {
  let vcpus = 0;
  let mem = 0;
  let disk = 0;
  for (const g of guests) {
    vcpus += g.flavor.vcpus;
    mem += g.flavor.memory_mb;
    disk += guestDiskGb(g.flavor);
  }
  // Upstream rounds reserved disk up to whole GB for the DISK_GB inventory.
  const reservedDiskGb = Math.ceil(spec.reservedHostDiskMb / 1024);
  return {
    nodename,
    uuid: fakeNodeUuid(nodename),
    hypervisor_type: 'fake',
    hypervisor_version: spec.hypervisorVersion,
    cpu_info: CPU_INFO,
    vcpus: spec.vcpus,
    memory_mb: spec.memoryMb,
    local_gb: spec.localGb,
    // As the resource tracker counts: what the host keeps back is "used" too.
    vcpus_used: spec.reservedHostCpus + vcpus,
    memory_mb_used: spec.reservedHostMemoryMb + mem,
    local_gb_used: Math.floor(spec.reservedHostDiskMb / 1024 + disk),
    disk_available_least: Math.max(0, Math.floor(spec.localGb - disk)),
    supported_instances: FAKE_SUPPORTED_INSTANCES,
    inventory: {
      VCPU: inv(spec.vcpus, spec.reservedHostCpus, spec.cpuAllocationRatio),
      MEMORY_MB: inv(spec.memoryMb, spec.reservedHostMemoryMb, spec.ramAllocationRatio),
      DISK_GB: inv(spec.localGb, reservedDiskGb, spec.diskAllocationRatio),
    },
    traits: [...new Set([...FAKE_NODE_TRAITS, ...spec.extraTraits])].sort(),
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** The line `uptime` prints: " hh:mm:ss up [N days, ]h:mm|N min,  U users,  load average: a, b, c". */
export function uptimeLine(now: Date, bootedAt: Date): string {
  const clock = `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
  const mins = Math.max(0, Math.floor((now.getTime() - bootedAt.getTime()) / 60_000));
  const days = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  const dayPart = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ` : '';
  const hourPart = h > 0 ? `${String(h).padStart(2)}:${two(m)}` : `${m} min`;
  return ` ${clock} up ${dayPart}${hourPart},  0 users,  load average: 0.00, 0.00, 0.00`;
}
