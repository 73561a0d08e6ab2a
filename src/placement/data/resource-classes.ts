// The standard resource classes of os-resource-classes, in its order: a class's id is its index
// (as upstream placement stores them). Custom classes (CUSTOM_*) get ids from 10000 up.
export const STANDARD_RESOURCE_CLASSES: readonly string[] = Object.freeze([
  'VCPU',
  'MEMORY_MB',
  'DISK_GB',
  'PCI_DEVICE',
  'SRIOV_NET_VF',
  'NUMA_SOCKET',
  'NUMA_CORE',
  'NUMA_THREAD',
  'NUMA_MEMORY_MB',
  'IPV4_ADDRESS',
  'VGPU',
  'VGPU_DISPLAY_HEAD',
  'NET_BW_EGR_KILOBIT_PER_SEC',
  'NET_BW_IGR_KILOBIT_PER_SEC',
  'PCPU',
  'MEM_ENCRYPTION_CONTEXT',
  'FPGA',
  'PGPU',
  'NET_PACKET_RATE_KILOPACKET_PER_SEC',
  'NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC',
  'NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC',
]);

export const FIRST_CUSTOM_RESOURCE_CLASS_ID = 10000;
export const CUSTOM_PREFIX = 'CUSTOM_';
