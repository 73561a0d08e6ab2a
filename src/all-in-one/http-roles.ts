// The HTTP services of the all-in-one: identity first (every other API validates its tokens in
// process), then placement, image, the Compute API, the metadata API and the console proxies —
// each on its upstream port on 127.0.0.1.
import { startComputeApi } from '../api/compute/app.ts';
import { COMPUTE_POLICY_DEFAULTS } from '../api/compute/policies/index.ts';
import type { CellPool } from '../cells/cell-pool.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { ExternalEventSink } from '../compute-api/external-events.ts';
import type { HostUptimeSource } from '../compute-api/hypervisors.ts';
import type { ServersBackend } from '../compute-api/servers/backend.ts';
import type { NovaConf } from '../config/index.ts';
import { cellDbsOf, startEnabledConsoleProxies } from '../console/proxies.ts';
import { connectDatabase, type Database, migrateToLatest } from '../db/index.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { PlacementDb } from '../db/tables/placement-db.ts';
import { type EmbeddedIdentity, startEmbeddedIdentity } from '../identity/index.ts';
import { embeddedServiceTokenSource } from '../identity/service-token.ts';
import { startImageApi } from '../image/app.ts';
import { IMAGE_POLICY_DEFAULTS } from '../image/policy.ts';
import { metadataEnabled, startMetadataService } from '../metadata/service.ts';
import type { AgentRegistry } from '../network/agents.ts';
import { startNetworkApi } from '../network/app.ts';
import { httpNovaNotifier } from '../network/nova-notifier.ts';
import { NETWORK_POLICY_DEFAULTS } from '../network/policy.ts';
import { NetworkClient } from '../network-client/client.ts';
import { startPlacementApi } from '../placement/app.ts';
import { PLACEMENT_POLICIES } from '../placement/policies.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import type { Stoppable } from '../service/launcher.ts';

export interface HttpRolesDeps {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly clock: Clock;
  readonly apiDb: Database;
  readonly cells: CellPool;
  readonly configFiles: readonly string[];
  /** RPC side of the Compute API (servers); absent: servers routes answer 503. */
  readonly servers?: ServersBackend;
  readonly hostUptime?: HostUptimeSource;
  readonly eventSink?: ExternalEventSink;
  /** The network service's L2 agents (the all-in-one's data plane agent reports here). */
  readonly agents?: AgentRegistry;
}

export interface HttpRoles {
  readonly identity: EmbeddedIdentity;
  /** Base URLs as clients reach them (no version suffix). */
  readonly urls: {
    readonly identity: string;
    readonly placement: string;
    readonly image: string;
    readonly network: string;
    readonly compute: string;
    /** The metadata API, when [DEFAULT] enabled_apis lists it. */
    readonly metadata?: string;
  };
  /** In start order; stop in reverse. */
  readonly parts: readonly Stoppable[];
  /** The console proxies [vnc] / [serial_console] enable, for the role list. */
  readonly consoles: readonly { readonly role: string; readonly endpoint: string }[];
}

/** Starts every HTTP role; on failure stops what already started and rethrows. */
export async function startHttpRoles(d: HttpRolesDeps): Promise<HttpRoles> {
  const { conf, log } = d;
  const parts: Stoppable[] = [];
  const policy = (defaults: Parameters<typeof enforcerFromConf>[1]) =>
    enforcerFromConf(conf, defaults, d.configFiles, log);
  try {
    const identity = await startEmbeddedIdentity(conf, {
      log,
      clock: d.clock,
      configFiles: d.configFiles,
    });
    parts.push(identity);
    const validator = identity.validator;
    const wwwAuthenticateUri = identity.url;

    const placementDb = await connectDatabase<PlacementDb>(conf.placement_database.connection ?? '', {
      log,
      option: '[placement_database] connection',
    });
    parts.push({ stop: () => placementDb.close() });
    await migrateToLatest(placementDb, 'placement');
    const placement = await startPlacementApi({
      conf,
      db: placementDb,
      validator,
      enforcer: policy(PLACEMENT_POLICIES),
      log,
      clock: d.clock,
      wwwAuthenticateUri,
    });
    parts.push(placement);

    const image = await startImageApi({
      conf,
      log,
      validator,
      enforcer: policy(IMAGE_POLICY_DEFAULTS),
      clock: d.clock,
    });
    parts.push(image);

    // The network service tells Nova (once its API runs) when instances' ports change.
    let computeUrl: string | undefined;
    const novaTokens = embeddedServiceTokenSource(identity.identity, conf, {});
    const network = await startNetworkApi({
      conf,
      log,
      validator,
      enforcer: policy(NETWORK_POLICY_DEFAULTS),
      clock: d.clock,
      nova: httpNovaNotifier({ url: () => computeUrl, token: () => novaTokens.token(), log }),
      ...(d.agents ? { agents: d.agents } : {}),
    });
    parts.push(network);

    const compute = await startComputeApi({
      conf,
      log,
      validator,
      enforcer: policy(COMPUTE_POLICY_DEFAULTS),
      apiDb: d.apiDb,
      cells: d.cells,
      clock: d.clock,
      ...(d.servers ? { servers: d.servers } : {}),
      ...(d.hostUptime ? { hostUptime: d.hostUptime } : {}),
      ...(d.eventSink ? { eventSink: d.eventSink } : {}),
    });
    parts.push(compute);
    computeUrl = compute.url;

    const metadata = metadataEnabled(conf)
      ? await startMetadataService({
          conf,
          log,
          clock: d.clock,
          apiDb: d.apiDb,
          cells: d.cells,
          network: async () => new NetworkClient({ endpoint: network.url, token: () => novaTokens.token() }),
        })
      : undefined;
    if (metadata) parts.push(metadata);

    const consoles = await startEnabledConsoleProxies({
      conf,
      log,
      clock: d.clock,
      cellDbs: cellDbsOf(d.apiDb as Database<ApiDb>, d.cells),
    });
    parts.push(...consoles.parts);
    return {
      identity,
      urls: {
        identity: identity.url,
        placement: placement.url,
        image: image.url,
        network: network.url,
        compute: compute.url,
        ...(metadata ? { metadata: metadata.url } : {}),
      },
      parts,
      consoles: consoles.roles,
    };
  } catch (err) {
    for (const p of parts.reverse()) await p.stop().catch(() => {});
    throw err;
  }
}
