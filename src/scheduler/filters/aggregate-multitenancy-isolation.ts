// AggregateMultiTenancyIsolation: a host in an aggregate with `filter_tenant_id*` metadata takes
// only instances of the projects listed there (comma-separated, across all such keys); hosts in
// no restricting aggregate take anyone.
import type { HostFilter } from '../types.ts';
import { aggregateMetadata } from './utils.ts';

export const AggregateMultiTenancyIsolation: HostFilter = Object.freeze<HostFilter>({
  name: 'AggregateMultiTenancyIsolation',
  runOncePerRequest: true,
  hostPasses: (host, spec) => {
    const allowed = new Set<string>();
    for (const [key, values] of aggregateMetadata(host))
      if (key.startsWith('filter_tenant_id')) for (const v of values) allowed.add(v);
    return allowed.size === 0 || allowed.has(spec.project_id);
  },
});
