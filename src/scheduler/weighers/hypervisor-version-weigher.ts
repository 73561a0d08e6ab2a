// HypervisorVersionWeigher: prefers hosts with a newer hypervisor.
import type { HostWeigher } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

export const HypervisorVersionWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'HypervisorVersionWeigher',
  multiplier: (host, ctx) =>
    weightMultiplier(
      host,
      'hypervisor_version_weight_multiplier',
      ctx.conf.filter_scheduler.hypervisor_version_weight_multiplier,
    ),
  weigh: (host) => host.hypervisor_version || 0,
});
