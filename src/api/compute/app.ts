// nova-api's Compute API server (osapi_compute): version documents (public), then for /v2.1 the
// frame every route shares — token validation, microversion negotiation, route table with
// per-version schemas and policy, Nova fault bodies.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerAuthHook } from '../../auth/hook.ts';
import type { Logger } from '../../common/log.ts';
import { createCellUsageCounter } from '../../compute-api/usage.ts';
import type { NovaConf } from '../../config/index.ts';
import { createHttpApp, listen } from '../http.ts';
import type { ComputeApiDeps } from './deps.ts';
import { MalformedBody } from './faults/faults.ts';
import { registerFaultHandlers } from './faults/to-http.ts';
import { registerMicroversionHook } from './microversion.ts';
import { COMPUTE_ROUTES } from './routes/index.ts';
import { registerRoutes } from './routing/register.ts';
import type { RouteTable } from './routing/route.ts';
import { createSchemaValidator } from './validation/validator.ts';
import { registerVersionRoutes } from './versions.ts';

export type { ComputeApiDeps } from './deps.ts';

const VERSION_DOCS = new Set(['/', '/v2.1', '/v2.1/', '/v2', '/v2/']);

function isVersionDocument(url: string): boolean {
  const path = url.split('?', 1)[0];
  return VERSION_DOCS.has(path);
}

/** Bodies are JSON whatever the content type says (as upstream); empty is null; bad JSON is 400. */
function registerBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string' },
    (_req: FastifyRequest, body: string | Buffer, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, null);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(new MalformedBody(), undefined);
      }
    },
  );
}

export interface ComputeApiOptions {
  /** Routes to serve (default: every Compute API route). */
  readonly routes?: RouteTable;
}

export function createComputeApiApp(deps: ComputeApiDeps, opts: ComputeApiOptions = {}): FastifyInstance {
  const full: ComputeApiDeps = {
    ...deps,
    usage: deps.usage ?? createCellUsageCounter(deps.apiDb, deps.cells, deps.log),
  };
  const app = createHttpApp({ log: deps.log, requestIdHeaders: ['x-compute-request-id'] });
  registerFaultHandlers(app);
  registerBodyParser(app);
  const ka = deps.conf.keystone_authtoken;
  registerAuthHook(app, {
    validator: deps.validator,
    wwwAuthenticateUri: ka.www_authenticate_uri ?? 'http://127.0.0.1:5000',
    isPublic: (req) => isVersionDocument(req.url),
  });
  registerMicroversionHook(app, isVersionDocument);
  registerVersionRoutes(app, deps.conf.api.compute_link_prefix);
  registerRoutes(app, opts.routes ?? COMPUTE_ROUTES, full, createSchemaValidator());
  return app;
}

export interface RunningHttp {
  readonly url: string;
  stop(): Promise<void>;
}

/** Version documents only: what the all-in-one served before the frame (until it passes deps). */
function versionsOnlyApp(conf: NovaConf, log: Logger): FastifyInstance {
  const app = createHttpApp({ log, requestIdHeaders: ['x-compute-request-id'] });
  registerVersionRoutes(app, conf.api.compute_link_prefix);
  return app;
}

/**
 * Starts the Compute API on [DEFAULT] osapi_compute_listen:osapi_compute_listen_port.
 * The (conf, log) form is transitional: it serves the version documents only.
 */
export async function startComputeApi(deps: ComputeApiDeps): Promise<RunningHttp>;
export async function startComputeApi(conf: NovaConf, log: Logger): Promise<RunningHttp>;
export async function startComputeApi(a: ComputeApiDeps | NovaConf, b?: Logger): Promise<RunningHttp> {
  const [conf, log, app] =
    b === undefined
      ? [(a as ComputeApiDeps).conf, (a as ComputeApiDeps).log, createComputeApiApp(a as ComputeApiDeps)]
      : [a as NovaConf, b, versionsOnlyApp(a as NovaConf, b)];
  const d = conf.DEFAULT;
  const url = await listen(
    app,
    d.osapi_compute_listen,
    d.osapi_compute_listen_port,
    'the Compute API (osapi_compute)',
  );
  log.info({ url }, 'Compute API listening');
  return { url, stop: () => app.close() };
}
