// [DEFAULT]: host resources held back from guests, and allocation ratios (resource tracker options).
import { floatOpt, intOpt, multiStrOpt } from '../../opt.ts';

const ratioHelp = (what: string, initial: string): string =>
  `Overcommit ratio for ${what} reported to placement. Unset means: keep what is in placement, ` +
  `or ${initial} for a new compute node.`;

export const resourceOpts = {
  reserved_host_disk_mb: intOpt({ help: 'Disk in MB kept back for the host.', default: 0, min: 0 }),
  reserved_host_memory_mb: intOpt({ help: 'Memory in MB kept back for the host.', default: 512, min: 0 }),
  reserved_host_cpus: intOpt({ help: 'Host CPUs kept back from guests.', default: 0, min: 0 }),
  reserved_huge_pages: multiStrOpt({
    help: 'Huge pages kept back per NUMA node, as node:<n>,size:<kB>,count:<n>. Repeat per node and size.',
  }),
  cpu_allocation_ratio: floatOpt({ help: ratioHelp('VCPU', 'initial_cpu_allocation_ratio'), min: 0 }),
  ram_allocation_ratio: floatOpt({ help: ratioHelp('MEMORY_MB', 'initial_ram_allocation_ratio'), min: 0 }),
  disk_allocation_ratio: floatOpt({ help: ratioHelp('DISK_GB', 'initial_disk_allocation_ratio'), min: 0 }),
  initial_cpu_allocation_ratio: floatOpt({
    help: 'VCPU ratio for a compute node seen for the first time.',
    default: 4.0,
    min: 0,
  }),
  initial_ram_allocation_ratio: floatOpt({
    help: 'MEMORY_MB ratio for a compute node seen for the first time.',
    default: 1.0,
    min: 0,
  }),
  initial_disk_allocation_ratio: floatOpt({
    help: 'DISK_GB ratio for a compute node seen for the first time.',
    default: 1.0,
    min: 0,
  }),
};
