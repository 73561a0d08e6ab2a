// The placement API server: Fastify frame, auth (keystonemiddleware-style), microversion
// negotiation, the route table and the one fault handler. Its database is [placement_database].
import type { FastifyInstance } from 'fastify';
import { createHttpApp, listen } from '../api/http.ts';
import { registerAuthHook } from '../auth/hook.ts';
import type { TokenValidator } from '../auth/types.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { DbHandle } from '../db/connect.ts';
import type { PlacementDb } from '../db/tables/placement-db.ts';
import type { Enforcer } from '../policy/types.ts';
import { DEFAULT_SETTINGS, type HandlerDeps, type PlacementSettings } from './context.ts';
import { PlacementError } from './errors.ts';
import { registerFaultHandlers } from './fault.ts';
import { negotiate, SERVICE_TYPE } from './microversion.ts';
import { ensureStandardClasses } from './objects/resource-class.ts';
import { ensureStandardTraits } from './objects/trait.ts';
import { registerRoutes } from './router.ts';
import { ROUTES } from './routes.ts';

export interface PlacementDeps {
  /** The placement database, migrated (migrateToLatest(db, 'placement')). */
  readonly db: DbHandle<PlacementDb>;
  readonly validator: TokenValidator;
  readonly enforcer: Enforcer;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Sent in WWW-Authenticate on 401. */
  readonly wwwAuthenticateUri: string;
  readonly settings?: Partial<PlacementSettings>;
}

const BODY_LIMIT = 16 * 1024 * 1024;

function registerBodyParsing(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  app.addHook('onRequest', async (req) => {
    const len = req.headers['content-length'];
    if (len === undefined) return;
    if (!/^\d+$/.test(len)) throw new PlacementError(400, 'content-length header must be an integer');
    if (Number(len) > 0 && !req.headers['content-type'])
      throw new PlacementError(400, 'content-type header required when content-length > 0');
  });
}

function registerMicroversion(app: FastifyInstance): void {
  app.decorateRequest('mv', undefined);
  app.addHook('onRequest', async (req, reply) => {
    req.mv = negotiate(req.headers['openstack-api-version']);
    reply.header('openstack-api-version', `${SERVICE_TYPE} ${req.mv}`);
    reply.header('vary', 'openstack-api-version');
  });
}

const isRoot = (url: string) => {
  const path = url.split('?')[0];
  return path === '/' || path === '';
};

/** The placement app, ready for inject() or listen(); syncs standard classes and traits first. */
export async function createPlacementApp(deps: PlacementDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? systemClock;
  await ensureStandardClasses(deps.db, clock.now());
  await ensureStandardTraits(deps.db, clock.now());
  const app = createHttpApp({ log: deps.log });
  registerFaultHandlers(app);
  registerAuthHook(app, {
    validator: deps.validator,
    wwwAuthenticateUri: deps.wwwAuthenticateUri,
    isPublic: (req) => isRoot(req.url),
  });
  registerMicroversion(app);
  registerBodyParsing(app);
  const handlerDeps: HandlerDeps = {
    db: deps.db,
    enforcer: deps.enforcer,
    log: deps.log,
    clock,
    settings: { ...DEFAULT_SETTINGS, ...deps.settings },
  };
  registerRoutes(app, ROUTES, handlerDeps);
  return app;
}

export interface RunningPlacement {
  readonly url: string;
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

/** Serves placement on [placement_api] listen:port (8778). */
export async function startPlacementApi(
  deps: PlacementDeps & { readonly conf: NovaConf },
): Promise<RunningPlacement> {
  const app = await createPlacementApp(deps);
  const { listen: host, port } = deps.conf.placement_api;
  const url = await listen(app, host, port, 'the placement API');
  deps.log.info({ url }, 'Placement API listening');
  return { url, app, stop: () => app.close() };
}
