// CPUWeigher: prefers hosts with more free VCPUs (total times cpu_allocation_ratio, less used).
import type { HostWeigher } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

export const CPUWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'CPUWeigher',
  minval: 0,
  multiplier: (host, ctx) =>
    weightMultiplier(host, 'cpu_weight_multiplier', ctx.conf.filter_scheduler.cpu_weight_multiplier),
  weigh: (host) => host.vcpus_total * host.cpu_allocation_ratio - host.vcpus_used,
});
