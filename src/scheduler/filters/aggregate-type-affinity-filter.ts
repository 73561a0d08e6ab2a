// AggregateTypeAffinityFilter: a host in aggregates with `instance_type` metadata (comma-separated
// flavor names) takes only those flavors; other hosts take any flavor.
import type { HostFilter } from '../types.ts';
import { aggregateValues } from './utils.ts';

export const AggregateTypeAffinityFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'AggregateTypeAffinityFilter',
  runOncePerRequest: true,
  hostPasses: (host, spec) => {
    const values = aggregateValues(host, 'instance_type');
    if (values.size === 0) return true;
    return [...values].some((v) => v.split(',').some((name) => name.trim() === spec.flavor.name));
  },
});
