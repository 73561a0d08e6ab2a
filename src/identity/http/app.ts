// The identity HTTP API (a Keystone v3 subset): `createIdentityApp` for app.inject() tests and the
// all-in-one, `startIdentityApi` to listen on [identity] listen:port (5000).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHttpApp, listen } from '../../api/http.ts';
import { registerAuthHook } from '../../auth/hook.ts';
import type { Logger } from '../../common/log.ts';
import type { Enforcer } from '../../policy/types.ts';
import { embeddedValidator, type IdentityService } from '../service.ts';
import type { RouteCtx } from './context.ts';
import { registerErrorHandler } from './errors.ts';
import { ROUTE_MODULES } from './routes/index.ts';

export interface IdentityAppDeps {
  readonly identity: IdentityService;
  /** Built with IDENTITY_POLICY_DEFAULTS (src/identity/policies). */
  readonly enforcer: Enforcer;
  readonly log: Logger;
  /** Base URL clients see ([identity] public_endpoint, with or without /v3); default: from the request. */
  readonly publicEndpoint?: string;
}

/** Requests that need no X-Auth-Token. */
function isPublic(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0].replace(/\/+$/, '');
  if (path === '' || path === '/v3') return req.method === 'GET' || req.method === 'HEAD';
  if (path === '/v3/auth/tokens') return req.method === 'POST';
  // Keystone lets a user change their password without a token (it may have expired).
  return req.method === 'POST' && /^\/v3\/users\/[^/]+\/password$/.test(path);
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createIdentityApp(deps: IdentityAppDeps): FastifyInstance {
  const app = createHttpApp({ log: deps.log });
  acceptEmptyJsonBodies(app);
  const fixed = deps.publicEndpoint?.replace(/\/+$/, '').replace(/\/v3$/, '');
  const ctx: RouteCtx = {
    svc: deps.identity,
    enforcer: deps.enforcer,
    base: (req) => fixed ?? `${req.protocol}://${req.host}`,
  };
  registerErrorHandler(app);
  registerAuthHook(app, {
    validator: embeddedValidator(deps.identity, { includeCatalog: false }),
    wwwAuthenticateUri: fixed ?? 'http://127.0.0.1:5000',
    isPublic,
  });
  // Any successful write may change what a token validates to: drop the validation caches before
  // the client sees the answer. Issuing a token changes nothing.
  app.addHook('onSend', async (req, reply, payload) => {
    if (
      WRITES.has(req.method) &&
      reply.statusCode < 400 &&
      !req.url.startsWith('/v3/auth/tokens?') &&
      req.url !== '/v3/auth/tokens'
    )
      deps.identity.core.changed();
    if (req.method === 'DELETE' && req.url.startsWith('/v3/auth/tokens')) deps.identity.core.changed();
    return payload;
  });
  for (const register of ROUTE_MODULES) register(app, ctx);
  return app;
}

export interface StartIdentityOptions extends IdentityAppDeps {
  readonly listen: string;
  readonly port: number;
}

export interface RunningApi {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startIdentityApi(o: StartIdentityOptions): Promise<RunningApi> {
  const app = createIdentityApp(o);
  const address = await listen(app, o.listen, o.port, 'the identity API ([identity] listen, port)');
  return { url: address, stop: () => app.close() };
}

/**
 * Keystone reads an empty body as no body whatever its content type says: clients (Tempest's
 * role grants, keystoneauth) send `PUT …/roles/{id}` with `Content-Type: application/json` and
 * nothing else. Fastify's own parser would refuse that.
 */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });
}
