// The scheduler's placement calls (SchedulerPlacement) over the HTTP placement client.

import type { Logger } from '../common/log.ts';
import { candidatesQuery } from '../placement-client/candidates-query.ts';
import type { PlacementClient } from '../placement-client/client.ts';
import { PlacementError } from '../placement-client/errors.ts';
import type { ProviderSummaries } from './host-manager.ts';
import type { SchedulerPlacement } from './manager.ts';
import type { AllocationRequest } from './selection.ts';

export function schedulerPlacement(client: PlacementClient, log?: Logger): SchedulerPlacement {
  return {
    async candidates(spec, opts) {
      const q = candidatesQuery(spec, {
        limit: opts.limit,
        ...(opts.inTree ? { forcedNodes: [opts.inTree] } : {}),
      });
      let res: Awaited<ReturnType<PlacementClient['getAllocationCandidates']>>;
      try {
        res = await client.getAllocationCandidates(q);
      } catch (err) {
        // Placement refusing the query (an unknown trait or resource class) means no host fits,
        // as upstream treats a failed GET /allocation_candidates.
        if (err instanceof PlacementError && err.status === 400) {
          log?.warn({ err: err.message }, 'placement refused the allocation candidates query');
          return { allocation_requests: [], provider_summaries: {} };
        }
        throw err;
      }
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
