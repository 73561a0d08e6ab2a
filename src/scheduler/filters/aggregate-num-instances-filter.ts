// AggregateNumInstancesFilter: NumInstancesFilter whose limit an aggregate of the host may set with
// `max_instances_per_host` metadata (the smallest when several do; the [filter_scheduler] option
// when none does or a value is not a whole number).
import type { HostFilter } from '../types.ts';
import { aggregateMin, parseIntStrict } from './utils.ts';

export const AggregateNumInstancesFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'AggregateNumInstancesFilter',
  hostPasses: (host, _spec, ctx) => {
    const dflt = ctx.conf.filter_scheduler.max_instances_per_host;
    return host.num_instances < aggregateMin(host, 'max_instances_per_host', dflt, parseIntStrict);
  },
});
