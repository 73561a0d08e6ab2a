// The scheduler's placement calls (SchedulerPlacement) over the HTTP placement client.
import { candidatesQuery } from '../placement-client/candidates-query.ts';
import type { PlacementClient } from '../placement-client/client.ts';
import type { ProviderSummaries } from './host-manager.ts';
import type { SchedulerPlacement } from './manager.ts';
import type { AllocationRequest } from './selection.ts';

export function schedulerPlacement(client: PlacementClient): SchedulerPlacement {
  return {
    async candidates(spec, opts) {
      const q = candidatesQuery(spec, {
        limit: opts.limit,
        ...(opts.inTree ? { forcedNodes: [opts.inTree] } : {}),
      });
      const res = await client.getAllocationCandidates(q);
      return {
        allocation_requests: res.allocation_requests as unknown as AllocationRequest[],
        provider_summaries: res.provider_summaries as unknown as ProviderSummaries,
      };
    },
    claim: (consumer, req, projectId, userId) =>
      client.claimResources(consumer, req as never, projectId, userId, null),
    async release(consumer) {
      await client.deleteAllocations(consumer);
    },
  };
}
