// os-services and os-hypervisors views (upstream services.py _get_service_detail,
// hypervisors.py _view_hypervisor).
import type { ComputeNode } from '../../../objects/compute-node.ts';
import type { HostedInstance } from '../../../objects/instance-reports.ts';
import type { ServiceRecord } from '../../../objects/service.ts';
import type { ApiVersion } from '../microversion.ts';
import { isoTime } from './time.ts';

export function serviceView(s: ServiceRecord, zone: string, up: boolean, mv: ApiVersion) {
  return {
    binary: s.binary,
    host: s.host,
    id: mv.atLeast('2.53') ? s.uuid : s.id,
    zone,
    status: s.disabled ? 'disabled' : 'enabled',
    state: up ? 'up' : 'down',
    updated_at: isoTime(s.updated_at),
    disabled_reason: s.disabled_reason,
    ...(mv.atLeast('2.11') && { forced_down: s.forced_down }),
  };
}

const RESOURCE_FIELDS = [
  'vcpus',
  'memory_mb',
  'local_gb',
  'vcpus_used',
  'memory_mb_used',
  'local_gb_used',
  'free_ram_mb',
  'free_disk_gb',
  'current_workload',
  'running_vms',
  'disk_available_least',
] as const;

function cpuInfo(node: ComputeNode, mv: ApiVersion): unknown {
  if (!mv.atLeast('2.28')) return node.cpu_info;
  if (!node.cpu_info) return {};
  try {
    return JSON.parse(node.cpu_info);
  } catch {
    return {};
  }
}

export interface HypervisorViewOptions {
  readonly detail: boolean;
  readonly servers?: readonly HostedInstance[];
  readonly withServers?: boolean;
  /** 2.88+ detail: the host's uptime, or null when unknown. */
  readonly uptime?: string | null;
}

export function hypervisorView(
  node: ComputeNode,
  service: ServiceRecord,
  up: boolean,
  mv: ApiVersion,
  o: HypervisorViewOptions,
) {
  const uuids = mv.atLeast('2.53');
  const view: Record<string, unknown> = {
    id: uuids ? node.uuid : node.id,
    hypervisor_hostname: node.hypervisor_hostname,
    state: up ? 'up' : 'down',
    status: service.disabled ? 'disabled' : 'enabled',
  };
  if (o.detail) {
    view.hypervisor_type = node.hypervisor_type;
    view.hypervisor_version = node.hypervisor_version;
    view.host_ip = node.host_ip;
    view.service = {
      id: uuids ? service.uuid : service.id,
      host: node.host,
      disabled_reason: service.disabled_reason,
    };
    if (!mv.atLeast('2.88')) {
      for (const f of RESOURCE_FIELDS) view[f] = node[f];
      view.cpu_info = cpuInfo(node, mv);
    } else {
      view.uptime = o.uptime ?? null;
    }
  }
  if (o.servers && o.servers.length > 0)
    view.servers = o.servers.map((s) => ({ name: s.name, uuid: s.uuid }));
  else if (o.withServers && mv.atLeast('2.75')) view.servers = [];
  return view;
}
