// AvailabilityZoneFilter: a request for a zone only lands on hosts in it. A host's zone comes from
// its aggregates' availability_zone metadata (several joined by commas) or the default zone.
// (Upstream dropped this filter for placement's AZ prefilter; it is kept for configs that name it.)
import type { HostFilter } from '../types.ts';

export const AvailabilityZoneFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'AvailabilityZoneFilter',
  runOncePerRequest: true,
  hostPasses: (host, spec) => {
    const wanted = spec.availability_zone;
    if (!wanted) return true;
    return host.availability_zone.split(',').some((z) => z.trim() === wanted);
  },
});
