// A weigher's multiplier for one host: the [filter_scheduler] option, unless aggregates of the host
// set metadata of the same name (e.g. ram_weight_multiplier), the smallest of which then wins; a
// value that is not a number makes the option apply.
import { aggregateMin, parseFloatStrict } from '../filters/utils.ts';
import type { HostState } from '../types.ts';

export function weightMultiplier(host: HostState, option: string, configured: number): number {
  return aggregateMin(host, option, configured, parseFloatStrict);
}
