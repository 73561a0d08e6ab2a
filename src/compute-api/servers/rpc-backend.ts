// The Compute API's RPC side from a transport: the servers backend and a host uptime source
// (os-hypervisors uptime asks the host's compute).

import { ComputeClient } from '../../compute/rpcapi.ts';
import { ConductorClient } from '../../conductor/client.ts';
import type { PlacementClient } from '../../placement-client/client.ts';
import type { Transport } from '../../rpc/index.ts';
import { adminContext } from '../../rpc/index.ts';
import type { AcceptedEvent, ExternalEventSink } from '../external-events.ts';
import type { HostUptimeSource } from '../hypervisors.ts';
import type { ServersBackend } from './backend.ts';

export function serversBackend(transport: Transport, placement: PlacementClient): ServersBackend {
  return {
    conductor: new ConductorClient(transport),
    compute: new ComputeClient(transport),
    placement: {
      async release(consumer) {
        await placement.deleteAllocations(consumer);
      },
    },
  };
}

export function rpcHostUptime(compute: ComputeClient): HostUptimeSource {
  return {
    async uptime(host) {
      try {
        const ctx = adminContext();
        return await compute.call<string>(ctx, host, 'get_host_uptime', {}, 10_000);
      } catch {
        return undefined;
      }
    },
  };
}

/** Hands accepted external events to each host's compute (one cast per host, as upstream). */
export function rpcEventSink(compute: ComputeClient): ExternalEventSink {
  return {
    async deliver(events) {
      const byHost = new Map<string, AcceptedEvent[]>();
      for (const e of events) byHost.set(e.host, [...(byHost.get(e.host) ?? []), e]);
      const ctx = adminContext();
      for (const [host, list] of byHost)
        await compute.cast(ctx, host, 'external_instance_event', { events: list });
    },
  };
}
