// AggregateIoOpsFilter: IoOpsFilter whose limit an aggregate of the host may set with
// `max_io_ops_per_host` metadata (the smallest when several do; the [filter_scheduler] option when
// none does or a value is not a whole number).
import type { HostFilter } from '../types.ts';
import { aggregateMin, parseIntStrict } from './utils.ts';

export const AggregateIoOpsFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'AggregateIoOpsFilter',
  hostPasses: (host, _spec, ctx) => {
    const dflt = ctx.conf.filter_scheduler.max_io_ops_per_host;
    return host.num_io_ops < aggregateMin(host, 'max_io_ops_per_host', dflt, parseIntStrict);
  },
});
