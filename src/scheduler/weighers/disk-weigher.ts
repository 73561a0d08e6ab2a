// DiskWeigher: prefers hosts with more free disk (spreading; a negative multiplier stacks).
import type { HostWeigher } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

export const DiskWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'DiskWeigher',
  minval: 0,
  multiplier: (host, ctx) =>
    weightMultiplier(host, 'disk_weight_multiplier', ctx.conf.filter_scheduler.disk_weight_multiplier),
  weigh: (host) => host.free_disk_mb,
});
