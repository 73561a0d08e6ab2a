// Test fixtures for filters, weighers and host selection: a loaded default NovaConf (with
// [filter_scheduler] overrides), and HostState / RequestSpec builders with plain defaults.
import { loadConfig, type NovaConf } from '../config/index.ts';
import { HOST } from '../config/test-support.ts';
import type { AggregateInfo, HostState, RequestSpec, SchedulerContext } from './types.ts';

const BASE: NovaConf = loadConfig({
  configFiles: [],
  useDefaultSearch: false,
  env: {},
  hostFacts: HOST,
}).conf;

/** A scheduler context over the default conf with some [filter_scheduler] options replaced. */
export function ctxWith(fs: Partial<NovaConf['filter_scheduler']> = {}, projectId = 'p1'): SchedulerContext {
  return { conf: { ...BASE, filter_scheduler: { ...BASE.filter_scheduler, ...fs } }, projectId };
}

let aggId = 0;
export function aggregate(metadata: Record<string, string>, hosts: readonly string[] = []): AggregateInfo {
  aggId++;
  return { id: aggId, uuid: `agg-${aggId}`, name: `agg${aggId}`, hosts, metadata };
}

export function hostState(over: Partial<HostState> = {}): HostState {
  const host = over.host ?? 'host1';
  return {
    host,
    nodename: host,
    uuid: `${host}-uuid`,
    cell_uuid: 'cell1',
    hypervisor_type: 'QEMU',
    hypervisor_version: 8002000,
    hypervisor_hostname: host,
    cpu_info: '{"arch": "x86_64", "maxphysaddr": {"bits": 46}}',
    total_usable_ram_mb: 8192,
    free_ram_mb: 4096,
    total_usable_disk_gb: 100,
    free_disk_mb: 51200,
    vcpus_total: 8,
    vcpus_used: 2,
    cpu_allocation_ratio: 4,
    ram_allocation_ratio: 1,
    disk_allocation_ratio: 1,
    num_instances: 0,
    num_io_ops: 0,
    instances: [],
    aggregates: [],
    stats: {},
    supported_instances: [['x86_64', 'qemu', 'hvm']],
    failed_builds: 0,
    service_disabled: false,
    service_up: true,
    availability_zone: 'nova',
    traits: [],
    ...over,
  };
}

export function requestSpec(over: Partial<RequestSpec> = {}): RequestSpec {
  return {
    instance_uuid: 'inst-new',
    project_id: 'p1',
    user_id: 'u1',
    num_instances: 1,
    flavor: {
      name: 'm1.small',
      flavorid: '2',
      memory_mb: 2048,
      vcpus: 1,
      root_gb: 20,
      ephemeral_gb: 0,
      swap: 0,
    },
    image: { id: 'img1', min_ram: 0, min_disk: 0, properties: {} },
    availability_zone: null,
    scheduler_hints: {},
    ignore_hosts: [],
    force_hosts: [],
    force_nodes: [],
    requested_destination: null,
    instance_group: null,
    retry: null,
    is_bfv: false,
    ...over,
  };
}

/** A request whose flavor has these extra specs. */
export function withExtraSpecs(
  extra_specs: Record<string, string>,
  over: Partial<RequestSpec> = {},
): RequestSpec {
  const base = requestSpec(over);
  return { ...base, flavor: { ...base.flavor, extra_specs } };
}

/** A request whose image has these properties. */
export function withImageProps(
  properties: Record<string, string>,
  over: Partial<RequestSpec> = {},
): RequestSpec {
  const base = requestSpec(over);
  return { ...base, image: { ...base.image, properties } };
}
