// What the servers API needs beyond the databases: the RPC clients of the conductor and computes,
// and placement for deletes the API does itself (servers never scheduled, or on a down host).
import type { ComputeClient } from '../../compute/rpcapi.ts';
import type { ConductorClient } from '../../conductor/client.ts';

export interface ServersBackend {
  readonly conductor: ConductorClient;
  readonly compute: ComputeClient;
  readonly placement: { release(consumer: string): Promise<void> };
}
