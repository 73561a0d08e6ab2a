// IoOpsFilter: hosts with fewer I/O-heavy operations under way (builds, resizes, snapshots…) than
// [filter_scheduler] max_io_ops_per_host.
import type { HostFilter } from '../types.ts';

export const IoOpsFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'IoOpsFilter',
  hostPasses: (host, _spec, ctx) => host.num_io_ops < ctx.conf.filter_scheduler.max_io_ops_per_host,
});
