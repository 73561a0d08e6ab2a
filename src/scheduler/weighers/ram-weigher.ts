// RAMWeigher: prefers hosts with more free RAM (spreading; a negative multiplier stacks).
import type { HostWeigher } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

export const RAMWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'RAMWeigher',
  minval: 0,
  multiplier: (host, ctx) =>
    weightMultiplier(host, 'ram_weight_multiplier', ctx.conf.filter_scheduler.ram_weight_multiplier),
  weigh: (host) => host.free_ram_mb,
});
