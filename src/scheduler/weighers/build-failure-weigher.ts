// BuildFailureWeigher: pushes down hosts where builds failed recently. The raw weight is the failure
// count; the multiplier is the negated build_failure_weight_multiplier (large by default, so one
// failure outweighs the other weighers).
import type { HostWeigher } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

export const BuildFailureWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'BuildFailureWeigher',
  multiplier: (host, ctx) =>
    -weightMultiplier(
      host,
      'build_failure_weight_multiplier',
      ctx.conf.filter_scheduler.build_failure_weight_multiplier,
    ),
  weigh: (host) => host.failed_builds,
});
