// ComputeFilter: only hosts whose nova-compute service is enabled and up.
import type { HostFilter } from '../types.ts';

export const ComputeFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'ComputeFilter',
  runOncePerRequest: true,
  hostPasses: (host) => !host.service_disabled && host.service_up,
});
