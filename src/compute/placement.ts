// The compute's placement calls: its node's provider report (cached) and allocation clean-up.
import type { Logger } from '../common/log.ts';
import type { PlacementClient } from '../placement-client/client.ts';
import { ProviderReporter } from '../placement-client/report.ts';
import type { ComputePlacement } from './manager/deps.ts';
import type { NodeReporter } from './resource-tracker.ts';

export function computePlacement(client: PlacementClient, log?: Logger): ComputePlacement & NodeReporter {
  const reporter = new ProviderReporter(client, log ? { log } : {});
  return {
    async report(node) {
      await reporter.report(node);
    },
    async release(consumer) {
      await client.deleteAllocations(consumer);
    },
    move: (from, to) => client.moveAllocations(from, to),
  };
}
