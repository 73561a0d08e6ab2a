// NumInstancesWeigher: weighs the instance count (multiplier 0 by default: off; negative
// prefers emptier hosts, positive packs).
import type { HostWeigher } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

export const NumInstancesWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'NumInstancesWeigher',
  multiplier: (host, ctx) =>
    weightMultiplier(
      host,
      'num_instances_weight_multiplier',
      ctx.conf.filter_scheduler.num_instances_weight_multiplier,
    ),
  weigh: (host) => host.num_instances,
});
