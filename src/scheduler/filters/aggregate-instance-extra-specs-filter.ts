// AggregateInstanceExtraSpecsFilter: each flavor extra spec scoped `aggregate_instance_extra_specs:`
// (or with no scope at all) must be matched by one of the values the host's aggregates give that
// key (comma-separated values split); keys of other scopes are ignored.
import type { HostFilter } from '../types.ts';
import { matchesRequirement } from './extra-specs-ops.ts';
import { aggregateMetadata } from './utils.ts';

const SCOPE = 'aggregate_instance_extra_specs';

export const AggregateInstanceExtraSpecsFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'AggregateInstanceExtraSpecsFilter',
  runOncePerRequest: true,
  hostPasses: (host, spec) => {
    const specs = spec.flavor.extra_specs ?? {};
    const entries = Object.entries(specs);
    if (entries.length === 0) return true;
    const metadata = aggregateMetadata(host);
    for (const [fullKey, req] of entries) {
      const colon = fullKey.indexOf(':');
      if (colon >= 0 && fullKey.slice(0, colon) !== SCOPE) continue;
      const key = colon >= 0 ? fullKey.slice(colon + 1) : fullKey;
      const values = metadata.get(key);
      if (!values || values.size === 0) return false;
      if (![...values].some((v) => matchesRequirement(v, req))) return false;
    }
    return true;
  },
});
