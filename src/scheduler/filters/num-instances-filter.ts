// NumInstancesFilter: hosts with fewer instances than [filter_scheduler] max_instances_per_host.
import type { HostFilter } from '../types.ts';

export const NumInstancesFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'NumInstancesFilter',
  hostPasses: (host, _spec, ctx) => host.num_instances < ctx.conf.filter_scheduler.max_instances_per_host,
});
