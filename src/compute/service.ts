// nova-compute: registers through the conductor, heartbeats, and reports this host's resources as
// its compute node (the resource tracker and virt drivers build on this in later issues).
import type { Logger } from '../common/log.ts';
import { ConductorClient, conductorServiceStore } from '../conductor/client.ts';
import type { NovaConf } from '../config/index.ts';
import type { Transport } from '../rpc/index.ts';
import type { PeriodicTask } from '../service/periodic.ts';
import { NovaService } from '../service/service.ts';
import { readHostResources } from './host-resources.ts';

export const COMPUTE_TOPIC = 'compute';

/** The hypervisor type shown for a configured compute_driver (upstream names). */
function hypervisorType(driver: string | undefined): string {
  if (!driver || /libvirt|qemu/i.test(driver)) return 'QEMU';
  if (/fake/i.test(driver)) return 'fake';
  return driver;
}

export function updateAvailableResource(conf: NovaConf, conductor: ConductorClient): PeriodicTask {
  const d = conf.DEFAULT;
  return {
    name: 'update_available_resource',
    intervalMs: Math.max(1, d.periodic_interval) * 1000,
    async run() {
      const r = readHostResources(d.instances_path);
      await conductor.computeNodeUpdate({
        host: d.host,
        hypervisor_hostname: d.host,
        hypervisor_type: hypervisorType(d.compute_driver),
        hypervisor_version: 1,
        vcpus: r.vcpus,
        memory_mb: r.memoryMb,
        local_gb: r.localGb,
        vcpus_used: 0,
        memory_mb_used: d.reserved_host_memory_mb,
        local_gb_used: 0,
        free_ram_mb: r.memoryMb - d.reserved_host_memory_mb,
        free_disk_gb: r.freeDiskGb,
        disk_available_least: r.freeDiskGb,
        running_vms: 0,
        current_workload: 0,
        cpu_info: r.cpuInfo,
        host_ip: d.my_ip,
        cpu_allocation_ratio: d.cpu_allocation_ratio ?? d.initial_cpu_allocation_ratio,
        ram_allocation_ratio: d.ram_allocation_ratio ?? d.initial_ram_allocation_ratio,
        disk_allocation_ratio: d.disk_allocation_ratio ?? d.initial_disk_allocation_ratio,
      });
    },
  };
}

export function createComputeService(conf: NovaConf, transport: Transport, log: Logger): NovaService {
  const conductor = new ConductorClient(transport);
  return new NovaService({
    binary: 'nova-compute',
    topic: COMPUTE_TOPIC,
    host: conf.DEFAULT.host,
    transport,
    store: conductorServiceStore(conductor, log, Math.min(10, conf.DEFAULT.rpc_response_timeout) * 1000),
    endpoints: [],
    reportIntervalMs: conf.DEFAULT.report_interval * 1000,
    periodicTasks: [updateAvailableResource(conf, conductor)],
    log,
  });
}
