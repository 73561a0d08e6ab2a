// The host filter registry: each filter by its upstream class name, and resolution of the
// [filter_scheduler] enabled_filters names (plain, or dotted paths such as
// nova.scheduler.filters.compute_filter.ComputeFilter, whose last part names the filter).
import type { HostFilter } from '../types.ts';
import { AggregateImagePropertiesIsolation } from './aggregate-image-properties-isolation.ts';
import { AggregateInstanceExtraSpecsFilter } from './aggregate-instance-extra-specs-filter.ts';
import { AggregateIoOpsFilter } from './aggregate-io-ops-filter.ts';
import { AggregateMultiTenancyIsolation } from './aggregate-multitenancy-isolation.ts';
import { AggregateNumInstancesFilter } from './aggregate-num-instances-filter.ts';
import { AggregateTypeAffinityFilter } from './aggregate-type-affinity-filter.ts';
import { AllHostsFilter } from './all-hosts-filter.ts';
import { AvailabilityZoneFilter } from './availability-zone-filter.ts';
import { ComputeCapabilitiesFilter } from './compute-capabilities-filter.ts';
import { ComputeFilter } from './compute-filter.ts';
import { DifferentHostFilter } from './different-host-filter.ts';
import { ImagePropertiesFilter } from './image-properties-filter.ts';
import { IoOpsFilter } from './io-ops-filter.ts';
import { IsolatedHostsFilter } from './isolated-hosts-filter.ts';
import { JsonFilter } from './json-filter.ts';
import { NumInstancesFilter } from './num-instances-filter.ts';
import { SameHostFilter } from './same-host-filter.ts';
import { ServerGroupAffinityFilter } from './server-group-affinity-filter.ts';
import { ServerGroupAntiAffinityFilter } from './server-group-anti-affinity-filter.ts';

const ALL: readonly HostFilter[] = [
  AllHostsFilter,
  ComputeFilter,
  AvailabilityZoneFilter,
  ComputeCapabilitiesFilter,
  ImagePropertiesFilter,
  ServerGroupAffinityFilter,
  ServerGroupAntiAffinityFilter,
  SameHostFilter,
  DifferentHostFilter,
  AggregateInstanceExtraSpecsFilter,
  AggregateMultiTenancyIsolation,
  AggregateImagePropertiesIsolation,
  AggregateTypeAffinityFilter,
  IsolatedHostsFilter,
  NumInstancesFilter,
  AggregateNumInstancesFilter,
  IoOpsFilter,
  AggregateIoOpsFilter,
  JsonFilter,
];

export const FILTERS: Readonly<Record<string, HostFilter>> = Object.freeze(
  Object.fromEntries(ALL.map((f) => [f.name, f])),
);

/** The filters these names denote, in order (blank names skipped); throws naming an unknown one. */
export function resolveFilters(names: readonly string[]): HostFilter[] {
  return names
    .filter((n) => n.trim() !== '')
    .map((raw) => {
      const name = raw.trim().split('.').at(-1) ?? '';
      const filter = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
      if (!filter)
        throw new Error(
          `Unknown scheduler filter "${raw}" (from [filter_scheduler] enabled_filters); ` +
            `known filters: ${Object.keys(FILTERS).join(', ')}`,
        );
      return filter;
    });
}
