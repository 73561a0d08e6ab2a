// The QEMU host as the resource tracker sees it: the real machine's CPUs, memory and the disk under
// instances_path (/proc, statfs), with [DEFAULT] reserved_host_* and the allocation ratios, and
// usage summed over the guests defined here.
import os from 'node:os';
import { readHostResources } from '../../compute/host-resources.ts';
import type { NovaConf } from '../../config/index.ts';
import type { InventoryRecord, NodeResources } from '../driver.ts';
import { nameBasedUuid } from '../node-uuid.ts';
import type { GuestRecord } from './guest-record.ts';

/** What a QEMU host can do, as placement traits. */
export const QEMU_NODE_TRAITS: readonly string[] = Object.freeze([
  'COMPUTE_NODE',
  'COMPUTE_IMAGE_TYPE_AKI',
  'COMPUTE_IMAGE_TYPE_AMI',
  'COMPUTE_IMAGE_TYPE_ARI',
  'COMPUTE_IMAGE_TYPE_ISO',
  'COMPUTE_IMAGE_TYPE_QCOW2',
  'COMPUTE_IMAGE_TYPE_RAW',
  'COMPUTE_NET_VIF_MODEL_VIRTIO',
  'COMPUTE_STORAGE_BUS_VIRTIO',
  'COMPUTE_STORAGE_BUS_IDE',
  'COMPUTE_GRAPHICS_MODEL_VGA',
  'COMPUTE_RESCUE_BFV',
]);

/** QEMU 7.2.x → 7002xxx, upstream's hypervisor_version encoding (major*1e6 + minor*1e3 + micro). */
export function versionNumber(v: { major: number; minor: number; micro: number }): number {
  return v.major * 1_000_000 + v.minor * 1000 + v.micro;
}

/** A stable node uuid per host name. */
export const nodeUuid = (nodename: string): string => nameBasedUuid('nova-ts:qemu-node', nodename);

const inv = (total: number, reserved: number, ratio: number): InventoryRecord => ({
  total,
  reserved,
  min_unit: 1,
  max_unit: Math.max(1, total),
  step_size: 1,
  allocation_ratio: ratio,
});

export function qemuNodeResources(
  nodename: string,
  conf: NovaConf,
  instancesPath: string,
  hypervisorVersion: number,
  accel: string,
  guests: Iterable<GuestRecord>,
): NodeResources {
  const d = conf.DEFAULT;
  const host = readHostResources(instancesPath);
  let vcpus = 0;
  let mem = 0;
  let disk = 0;
  for (const g of guests) {
    vcpus += g.vcpus;
    mem += g.memoryMb;
    disk += g.rootGb + g.ephemeralGb + Math.ceil(g.swapMb / 1024);
  }
  const reservedDiskGb = Math.ceil(d.reserved_host_disk_mb / 1024);
  return {
    nodename,
    uuid: nodeUuid(nodename),
    hypervisor_type: 'QEMU',
    hypervisor_version: hypervisorVersion,
    cpu_info: JSON.stringify({
      arch: os.arch() === 'x64' ? 'x86_64' : os.arch(),
      model: os.cpus()[0]?.model ?? 'unknown',
      vendor: 'unknown',
      topology: { cores: host.vcpus, threads: 1, sockets: 1 },
      features: [],
      accel,
    }),
    vcpus: host.vcpus,
    memory_mb: host.memoryMb,
    local_gb: host.localGb,
    vcpus_used: d.reserved_host_cpus + vcpus,
    memory_mb_used: d.reserved_host_memory_mb + mem,
    local_gb_used: reservedDiskGb + disk,
    disk_available_least: host.freeDiskGb,
    supported_instances: [
      ['x86_64', 'qemu', 'hvm'],
      ...(accel === 'kvm' ? [['x86_64', 'kvm', 'hvm'] as const] : []),
    ],
    inventory: {
      VCPU: inv(host.vcpus, d.reserved_host_cpus, d.cpu_allocation_ratio ?? d.initial_cpu_allocation_ratio),
      MEMORY_MB: inv(
        host.memoryMb,
        d.reserved_host_memory_mb,
        d.ram_allocation_ratio ?? d.initial_ram_allocation_ratio,
      ),
      DISK_GB: inv(host.localGb, reservedDiskGb, d.disk_allocation_ratio ?? d.initial_disk_allocation_ratio),
    },
    traits: [...QEMU_NODE_TRAITS].sort(),
  };
}
