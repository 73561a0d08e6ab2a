// The resource tracker's periodic report (update_available_resource): every node the driver has
// becomes a compute_nodes row (through the conductor) and a resource provider with inventory and
// traits in placement. Idempotent: a report with nothing new changes nothing.
import type { Logger } from '../common/log.ts';
import type { ConductorClient } from '../conductor/client.ts';
import type { NovaConf } from '../config/index.ts';
import type { NodeResources, VirtDriver } from '../virt/driver.ts';

/** Sends a node's provider, inventory and traits to placement (src/placement-client). */
export interface NodeReporter {
  report(node: NodeResources & { readonly uuid: string }): Promise<void>;
}

export interface TrackerDeps {
  readonly conf: NovaConf;
  readonly host: string;
  readonly driver: VirtDriver;
  readonly conductor: ConductorClient;
  readonly reporter?: NodeReporter;
  readonly log: Logger;
  readonly buildStats?: { readonly failed: number };
}

/** Reports every node once; returns the compute node uuids by node name. */
export async function updateAvailableResource(deps: TrackerDeps): Promise<Map<string, string>> {
  const d = deps.conf.DEFAULT;
  const out = new Map<string, string>();
  const guests = (await deps.driver.listInstanceUuids()).length;
  const nodes = deps.driver.nodeNames();
  for (const nodename of nodes) {
    const r = await deps.driver.availableResource(nodename);
    const node = await deps.conductor.computeNodeUpdate({
      ...(r.uuid ? { uuid: r.uuid } : {}),
      host: deps.host,
      hypervisor_hostname: nodename,
      hypervisor_type: r.hypervisor_type,
      hypervisor_version: r.hypervisor_version,
      vcpus: r.vcpus,
      memory_mb: r.memory_mb,
      local_gb: r.local_gb,
      vcpus_used: r.vcpus_used,
      memory_mb_used: r.memory_mb_used,
      local_gb_used: r.local_gb_used,
      free_ram_mb: r.memory_mb - r.memory_mb_used,
      free_disk_gb: r.local_gb - r.local_gb_used,
      disk_available_least: r.disk_available_least,
      running_vms: nodes.length === 1 ? guests : null,
      current_workload: 0,
      cpu_info: r.cpu_info,
      host_ip: d.my_ip,
      cpu_allocation_ratio: r.inventory.VCPU?.allocation_ratio ?? null,
      ram_allocation_ratio: r.inventory.MEMORY_MB?.allocation_ratio ?? null,
      disk_allocation_ratio: r.inventory.DISK_GB?.allocation_ratio ?? null,
      stats: {
        supported_instances: JSON.stringify(r.supported_instances),
        failed_builds: String(deps.buildStats?.failed ?? 0),
      },
    });
    out.set(nodename, node.uuid);
    // A placement that fails now (down, or a 5xx) does not stop the service: the next periodic
    // report tries again, as upstream's resource tracker does.
    if (deps.reporter)
      await deps.reporter
        .report({ ...r, uuid: node.uuid })
        .catch((err: unknown) =>
          deps.log.error(
            { err, nodename, uuid: node.uuid },
            `Error updating resources for node ${nodename} in placement; the next periodic report retries`,
          ),
        );
  }
  return out;
}
