// AllHostsFilter: keeps every host (a no-op filter).
import type { HostFilter } from '../types.ts';

export const AllHostsFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'AllHostsFilter',
  runOncePerRequest: true,
  hostPasses: () => true,
});
