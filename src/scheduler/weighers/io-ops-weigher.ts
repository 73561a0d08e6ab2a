// IoOpsWeigher: weighs the I/O-heavy operations under way; the default negative multiplier
// prefers quieter hosts.
import type { HostWeigher } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

export const IoOpsWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'IoOpsWeigher',
  minval: 0,
  multiplier: (host, ctx) =>
    weightMultiplier(host, 'io_ops_weight_multiplier', ctx.conf.filter_scheduler.io_ops_weight_multiplier),
  weigh: (host) => host.num_io_ops,
});
