// [scheduler] and [filter_scheduler] (nova/conf/scheduler.py). Filter and weigher names are the
// upstream class names; the scheduler's registries map them to nova-ts implementations.
import { defineGroup } from '../group.ts';
import { boolOpt, floatOpt, intOpt, listOpt, multiStrOpt, strOpt } from '../opt.ts';

const fromDefault = [{ group: 'DEFAULT' }] as const;
const weight = (what: string, dflt: number, min?: number) =>
  floatOpt({
    help: `Multiplier of the ${what} weigher; negative values invert its preference.`,
    default: dflt,
    min,
    deprecated: fromDefault,
  });

export const schedulerGroup = defineGroup('scheduler', 'Scheduler', 'The nova-scheduler service.', {
  max_attempts: intOpt({
    help: 'Hosts tried for one build (the chosen one plus alternates) before giving up.',
    default: 3,
    min: 1,
    deprecated: [{ group: 'DEFAULT', name: 'scheduler_max_attempts' }],
  }),
  discover_hosts_in_cells_interval: intOpt({
    help: 'Seconds between automatic discoveries of new compute hosts in cells; -1 disables.',
    default: -1,
    min: -1,
  }),
  max_placement_results: intOpt({
    help: 'Most allocation candidates asked from placement per request.',
    default: 1000,
    min: 1,
  }),
  workers: intOpt({ help: 'Scheduler worker processes; unset means one per CPU.', min: 0 }),
  periodic_task_interval: intOpt({
    help: 'Seconds between scheduler periodic tasks; 0 or less disables.',
    default: 60,
  }),
  query_placement_for_availability_zone: boolOpt({
    help: 'Narrow placement candidates to the requested availability zone (needs AZ aggregates mirrored).',
    default: true,
  }),
  query_placement_for_image_type_support: boolOpt({
    help: 'Ask placement only for hosts whose driver supports the image disk format.',
    default: false,
  }),
  query_placement_for_routed_network_aggregates: boolOpt({
    help: 'Narrow candidates to the segments of routed networks.',
    default: false,
  }),
  limit_tenants_to_placement_aggregate: boolOpt({
    help: 'Narrow projects to aggregates whose filter_tenant_id metadata names them.',
    default: false,
  }),
  placement_aggregate_required_for_tenants: boolOpt({
    help: 'With limit_tenants_to_placement_aggregate: projects in no aggregate get no host.',
    default: false,
  }),
  enable_isolated_aggregate_filtering: boolOpt({
    help: 'Keep instances off aggregates whose required traits their flavor and image do not ask for.',
    default: false,
  }),
  image_metadata_prefilter: boolOpt({
    help: 'Turn image properties into required traits in the placement query.',
    default: false,
  }),
});

export const filterSchedulerGroup = defineGroup(
  'filter_scheduler',
  'Filters and weighers',
  'Which hosts pass (filters) and which win (weighers).',
  {
    host_subset_size: intOpt({
      help: 'Pick the host at random among this many best-weighed ones.',
      default: 1,
      min: 1,
      deprecated: [{ group: 'DEFAULT', name: 'scheduler_host_subset_size' }],
    }),
    max_io_ops_per_host: intOpt({
      help: 'Most concurrent I/O-heavy operations per host (IoOpsFilter).',
      default: 8,
      min: 0,
      deprecated: fromDefault,
    }),
    max_instances_per_host: intOpt({
      help: 'Most instances per host (NumInstancesFilter).',
      default: 50,
      min: 1,
      deprecated: fromDefault,
    }),
    track_instance_changes: boolOpt({
      help: 'Keep per-host instance lists from compute reports (affinity filters use them).',
      default: true,
      deprecated: [{ group: 'DEFAULT', name: 'scheduler_tracks_instance_changes' }],
    }),
    available_filters: multiStrOpt({
      help: 'Filters that may be enabled. Repeat for several.',
      default: ['nova.scheduler.filters.all_filters'],
      deprecated: [{ group: 'DEFAULT', name: 'scheduler_available_filters' }],
    }),
    enabled_filters: listOpt({
      help: 'Filters applied to each request, in order.',
      default: [
        'ComputeFilter',
        'ComputeCapabilitiesFilter',
        'ImagePropertiesFilter',
        'ServerGroupAntiAffinityFilter',
        'ServerGroupAffinityFilter',
      ],
      deprecated: [{ group: 'DEFAULT', name: 'scheduler_default_filters' }],
    }),
    weight_classes: listOpt({
      help: 'Weighers used to rank hosts.',
      default: ['nova.scheduler.weights.all_weighers'],
      deprecated: [{ group: 'DEFAULT', name: 'scheduler_weight_classes' }],
    }),
    ram_weight_multiplier: weight('free RAM', 1.0),
    cpu_weight_multiplier: weight('free VCPU', 1.0),
    disk_weight_multiplier: weight('free disk', 1.0),
    io_ops_weight_multiplier: weight('I/O operations', -1.0),
    hypervisor_version_weight_multiplier: weight('hypervisor version', 1.0),
    num_instances_weight_multiplier: weight('instance count', 0.0),
    pci_weight_multiplier: weight('PCI device', 1.0, 0),
    soft_affinity_weight_multiplier: weight('soft-affinity', 1.0, 0),
    soft_anti_affinity_weight_multiplier: weight('soft-anti-affinity', 1.0, 0),
    build_failure_weight_multiplier: weight('recent build failures', 1000000.0),
    cross_cell_move_weight_multiplier: weight('same-cell preference for moves', 1000000.0),
    image_props_weight_multiplier: weight('image properties', 0.0),
    shuffle_best_same_weighed_hosts: boolOpt({
      help: 'Shuffle hosts that weigh the same (spreads load with host_subset_size 1).',
      default: false,
    }),
    isolated_images: listOpt({
      help: 'Images that may only run on isolated_hosts.',
      default: [],
      deprecated: fromDefault,
    }),
    isolated_hosts: listOpt({
      help: 'Hosts reserved for isolated_images.',
      default: [],
      deprecated: fromDefault,
    }),
    restrict_isolated_hosts_to_isolated_images: boolOpt({
      help: 'Keep other images off isolated_hosts.',
      default: true,
      deprecated: fromDefault,
    }),
    aggregate_image_properties_isolation_namespace: strOpt({
      help: 'Only aggregate metadata keys in this namespace are matched against image properties.',
      deprecated: fromDefault,
    }),
    aggregate_image_properties_isolation_separator: strOpt({
      help: 'Separator between namespace and key in aggregate metadata.',
      default: '.',
      deprecated: fromDefault,
    }),
    pci_in_placement: boolOpt({ help: 'Schedule PCI devices through placement.', default: false }),
  },
);
