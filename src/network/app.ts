// The embedded network service (a Neutron API subset on /v2.0): createNetworkApp for in-process
// use and tests, startNetworkApi to serve it on [network_service] listen:port. Dependencies are
// passed in; the database is opened from [network_database] connection when not given.
import type { FastifyInstance } from 'fastify';
import { createHttpApp, listen } from '../api/http.ts';
import { registerAuthHook } from '../auth/hook.ts';
import type { TokenValidator } from '../auth/types.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { connectDatabase, type Database } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { NetworkDb } from '../db/tables/network-db.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import type { Enforcer } from '../policy/types.ts';
import { AgentRegistry } from './agents.ts';
import type { NetCtx } from './context.ts';
import { registerErrorHandlers } from './errors.ts';
import { NeutronFault } from './faults.ts';
import type { NovaNotifier } from './nova-notifier.ts';
import { NETWORK_POLICY_DEFAULTS } from './policy.ts';
import { registerAgentRoutes } from './routes/agents.ts';
import { registerAutoAllocateRoutes } from './routes/auto-allocate.ts';
import { PUBLIC_PATHS, registerDiscoveryRoutes } from './routes/discovery.ts';
import { registerFloatingIpRoutes } from './routes/floating-ips.ts';
import { registerNetworkRoutes } from './routes/networks.ts';
import { registerPortRoutes } from './routes/ports.ts';
import { registerQuotaRoutes } from './routes/quotas.ts';
import { registerRouterRoutes } from './routes/routers.ts';
import { registerRuleRoutes } from './routes/security-group-rules.ts';
import { registerSecurityGroupRoutes } from './routes/security-groups.ts';
import { registerSubnetRoutes } from './routes/subnets.ts';

export interface NetworkDeps {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly db: Database<NetworkDb>;
  readonly enforcer: Enforcer;
  readonly validator: TokenValidator;
  readonly clock?: Clock;
  /** Where network-changed / network-vif-* events go (Nova); absent: nowhere. */
  readonly nova?: NovaNotifier;
  /** The agents that wire ports on compute hosts; absent: none (every bound port is ACTIVE). */
  readonly agents?: AgentRegistry;
}

/** The network service's enforcer: Neutron's rule defaults, [oslo_policy] overrides and flags. */
export function createNetworkEnforcer(
  conf: NovaConf,
  log?: Logger,
  configFiles: readonly string[] = [],
): Enforcer {
  return enforcerFromConf(conf, NETWORK_POLICY_DEFAULTS, configFiles, log);
}

export function createNetworkApp(deps: NetworkDeps): FastifyInstance {
  const app = createHttpApp({ log: deps.log });
  registerErrorHandlers(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new NeutronFault('MalformedRequestBody', 400, 'Malformed request body'), undefined);
    }
  });
  registerAuthHook(app, {
    validator: deps.validator,
    wwwAuthenticateUri: deps.conf.keystone_authtoken.www_authenticate_uri ?? '',
    isPublic: (req) => req.method === 'GET' && PUBLIC_PATHS.has(req.url.split('?')[0]),
  });
  const ctx: NetCtx = {
    db: deps.db,
    enforcer: deps.enforcer,
    clock: deps.clock ?? systemClock,
    log: deps.log,
    mtu: deps.conf.network_service.global_physnet_mtu,
    ...(deps.nova ? { nova: deps.nova } : {}),
    agents:
      deps.agents ?? new AgentRegistry(deps.clock ?? systemClock, deps.conf.network_service.agent_down_time),
  };
  ctx.agents.serve(ctx);
  registerDiscoveryRoutes(app, ctx, deps.conf.network_service.public_endpoint);
  registerNetworkRoutes(app, ctx);
  registerSubnetRoutes(app, ctx);
  registerPortRoutes(app, ctx);
  registerSecurityGroupRoutes(app, ctx);
  registerRuleRoutes(app, ctx);
  registerRouterRoutes(app, ctx);
  registerFloatingIpRoutes(app, ctx);
  registerQuotaRoutes(app, ctx);
  registerAutoAllocateRoutes(app, ctx);
  registerAgentRoutes(app, ctx);
  return app;
}

/** Opens [network_database] connection and migrates it. */
export async function openNetworkDb(conf: NovaConf, log: Logger): Promise<Database<NetworkDb>> {
  const db = await connectDatabase<NetworkDb>(conf.network_database.connection ?? '', {
    log,
    option: '[network_database] connection',
  });
  try {
    await migrateToLatest(db, 'network');
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}

export interface RunningNetworkApi {
  readonly url: string;
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

export type StartNetworkDeps = Omit<NetworkDeps, 'db' | 'enforcer'> & {
  readonly db?: Database<NetworkDb>;
  readonly enforcer?: Enforcer;
};

/** Serves the network API on [network_service] listen:port; opens the database when deps lack it. */
export async function startNetworkApi(deps: StartNetworkDeps): Promise<RunningNetworkApi> {
  const own = deps.db ? undefined : await openNetworkDb(deps.conf, deps.log);
  const db = (deps.db ?? own) as Database<NetworkDb>;
  const enforcer = deps.enforcer ?? createNetworkEnforcer(deps.conf, deps.log);
  const app = createNetworkApp({ ...deps, db, enforcer });
  const { listen: host, port } = deps.conf.network_service;
  try {
    const url = await listen(app, host, port, 'the network API');
    deps.log.info({ url }, 'network API listening');
    return {
      url,
      app,
      async stop() {
        await app.close();
        if (own) await own.close();
      },
    };
  } catch (err) {
    await app.close();
    if (own) await own.close();
    throw err;
  }
}
