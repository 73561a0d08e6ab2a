// The scheduler's data: what a build (or move) asks for (RequestSpec, plain JSON that travels over
// RPC and is stored in request_specs), and what the scheduler knows of each candidate host
// (HostState). Filters and weighers are plug-ins over these two.
import type { NovaConf } from '../config/index.ts';
import type { EmbeddedFlavor } from '../objects/instance-extra.ts';

/** The image part of a request: what filters and placement read from the image. */
export interface ImageMeta {
  readonly id?: string;
  readonly name?: string | null;
  readonly min_ram: number;
  readonly min_disk: number;
  readonly size?: number | null;
  readonly disk_format?: string | null;
  readonly container_format?: string | null;
  /** Free-form image properties (hw_architecture, img_hv_type, hw_vm_mode, trait:*, …). */
  readonly properties: Readonly<Record<string, string>>;
}

/** The server group a request belongs to, as the scheduler needs it. */
export interface RequestGroupInfo {
  readonly uuid: string;
  /** affinity | anti-affinity | soft-affinity | soft-anti-affinity */
  readonly policy: string;
  readonly rules: Readonly<Record<string, unknown>>;
  /** Hosts of the group's existing members (filled by the conductor before scheduling). */
  readonly hosts: readonly string[];
  readonly members: readonly string[];
}

export interface RequestedDestination {
  readonly host?: string | null;
  readonly node?: string | null;
  readonly cell_uuid?: string | null;
  /** Each entry: comma-separated aggregate uuids, any of which will do (placement member_of). */
  readonly aggregates?: readonly string[];
  readonly forbidden_aggregates?: readonly string[];
  /** Cold-migrate/resize: do not land on this host (allow_resize_to_same_host false). */
  readonly allow_cross_cell_move?: boolean;
}

export interface RetryInfo {
  readonly num_attempts: number;
  /** [host, node] pairs already tried. */
  readonly hosts: readonly (readonly [string, string])[];
}

export interface RequestSpec {
  readonly instance_uuid: string;
  readonly project_id: string;
  readonly user_id: string;
  readonly num_instances: number;
  readonly flavor: EmbeddedFlavor;
  readonly image: ImageMeta;
  readonly availability_zone: string | null;
  /** Hints as upstream stores them: every value a list of strings. */
  readonly scheduler_hints: Readonly<Record<string, readonly string[]>>;
  readonly ignore_hosts: readonly string[];
  readonly force_hosts: readonly string[];
  readonly force_nodes: readonly string[];
  readonly requested_destination: RequestedDestination | null;
  readonly instance_group: RequestGroupInfo | null;
  readonly retry: RetryInfo | null;
  readonly is_bfv: boolean;
  /** Where the instance lives now (moves): the scheduler's CrossCell weigher reads it. */
  readonly source_cell_uuid?: string | null;
  /** Operation being scheduled: build, resize, migrate, live-migrate, evacuate, unshelve, rebuild. */
  readonly operation?: string;
  /** Security group names the request asked for (the ports Nova makes get them). */
  readonly security_groups?: readonly string[];
}

export interface AggregateInfo {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly hosts: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** One candidate compute node as filters and weighers see it (upstream HostState). */
export interface HostState {
  readonly host: string;
  readonly nodename: string;
  /** Compute node uuid = its resource provider uuid. */
  readonly uuid: string;
  readonly cell_uuid: string;
  readonly hypervisor_type: string;
  readonly hypervisor_version: number;
  readonly hypervisor_hostname: string;
  /** JSON text, as compute_nodes.cpu_info. */
  readonly cpu_info: string;
  readonly total_usable_ram_mb: number;
  readonly free_ram_mb: number;
  readonly total_usable_disk_gb: number;
  readonly free_disk_mb: number;
  readonly vcpus_total: number;
  readonly vcpus_used: number;
  readonly cpu_allocation_ratio: number;
  readonly ram_allocation_ratio: number;
  readonly disk_allocation_ratio: number;
  readonly num_instances: number;
  readonly num_io_ops: number;
  /** Instance uuids on the host. */
  readonly instances: readonly string[];
  readonly aggregates: readonly AggregateInfo[];
  /** Free-form stats a compute reports (compute_nodes.stats). */
  readonly stats: Readonly<Record<string, string>>;
  /** Supported (architecture, hypervisor type, vm mode) triples. */
  readonly supported_instances: readonly (readonly [string, string, string])[];
  /** Builds that failed here recently (BuildFailureWeigher). */
  readonly failed_builds: number;
  readonly service_disabled: boolean;
  readonly service_up: boolean;
  /** The host's availability zone (aggregate metadata or [DEFAULT] default_availability_zone). */
  readonly availability_zone: string;
  /** Placement traits of the host's provider (ComputeCapabilities / ImageProperties reasons). */
  readonly traits: readonly string[];
  /** Image properties of each instance on the host (ImagePropertiesWeigher); absent = unknown. */
  readonly instance_image_properties?: readonly Readonly<Record<string, string>>[];
}

/** What a filter or weigher may read besides the host and the request. */
export interface SchedulerContext {
  /** The [filter_scheduler]/[scheduler]/[DEFAULT] options, read when the plug-in runs. */
  readonly conf: NovaConf;
  /** Project of the caller (AggregateMultiTenancyIsolation). */
  readonly projectId: string;
}

/** A host filter: keeps a host for a request, or not (upstream BaseHostFilter). */
export interface HostFilter {
  readonly name: string;
  /** True when the answer is the same for every instance of a multi-create (run once). */
  readonly runOncePerRequest?: boolean;
  /** Also runs when a rebuild is scheduled (upstream RUN_ON_REBUILD); others let every host pass. */
  readonly runOnRebuild?: boolean;
  hostPasses(host: HostState, spec: RequestSpec, ctx: SchedulerContext): boolean;
}

/** A weigher: a raw weight per host, normalised to [0, 1] across hosts, times its multiplier. */
export interface HostWeigher {
  readonly name: string;
  /** Bounds raw weights are clamped to and normalised against instead of the hosts' min/max. */
  readonly minval?: number;
  readonly maxval?: number;
  /** The multiplier for this host (config, or an aggregate's `<name>_weight_multiplier` metadata). */
  multiplier(host: HostState, ctx: SchedulerContext): number;
  weigh(host: HostState, spec: RequestSpec, ctx: SchedulerContext): number;
}
