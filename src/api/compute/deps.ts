// What the Compute API is built from: everything is passed in (no module globals).
import type { AuthContext, TokenValidator } from '../../auth/types.ts';
import type { CellPool } from '../../cells/cell-pool.ts';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { ExternalEventSink } from '../../compute-api/external-events.ts';
import type { HostUptimeSource } from '../../compute-api/hypervisors.ts';
import type { ServersBackend } from '../../compute-api/servers/backend.ts';
import type { ResourceProviderCleaner } from '../../compute-api/services.ts';
import type { UsageCounter } from '../../compute-api/usage.ts';
import type { NovaConf } from '../../config/index.ts';
import type { Database } from '../../db/connect.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import type { ImageClient } from '../../image-client/client.ts';
import type { Enforcer } from '../../policy/types.ts';

export interface ComputeApiDeps {
  readonly conf: NovaConf;
  readonly log: Logger;
  /** Turns X-Auth-Token into the caller (keystone tokens, or noauth2 in tests). */
  readonly validator: TokenValidator;
  /** Policy engine loaded with the Compute API rule defaults (see policies/index.ts). */
  readonly enforcer: Enforcer;
  readonly apiDb: Database<ApiDb>;
  /** Connections to the cell databases (cell_mappings says which). */
  readonly cells: CellPool;
  readonly clock: Clock;
  /** Instances/cores/ram in use; default: counted from every cell's instances table. */
  readonly usage?: UsageCounter;
  /** Deletes compute node resource providers when a compute service is deleted (else logged). */
  readonly placement?: ResourceProviderCleaner;
  /** Delivers accepted external events to the computes (the servers/RPC work provides it). */
  readonly eventSink?: ExternalEventSink;
  /** A host's uptime (compute RPC get_host_uptime); absent: not available (501 / null). */
  readonly hostUptime?: HostUptimeSource;
  /** RPC to the conductor and computes, placement for local deletes (servers and their actions). */
  readonly servers?: ServersBackend;
  /** The image client for a caller; default: [glance] api_servers or the token's catalog. */
  readonly imageClient?: (auth: AuthContext) => ImageClient;
}

/** The caller as policy checks see it: admin when its roles include admin. */
export function isAdmin(auth: AuthContext): boolean {
  return auth.roles.includes('admin');
}
