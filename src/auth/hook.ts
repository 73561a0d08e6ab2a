// Token validation for an API (what keystonemiddleware's auth_token does): every request but the
// public ones needs a valid X-Auth-Token; otherwise 401 with WWW-Authenticate. The API's own error
// handler writes the body in its format (Nova, Placement, Glance, Keystone each have one).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuthContext, type TokenValidator, Unauthorized } from './types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The validated caller; set on every request that passed the auth hook. */
    auth: AuthContext;
  }
}

export interface AuthHookOptions {
  readonly validator: TokenValidator;
  /** The identity endpoint clients should authenticate against (www_authenticate_uri). */
  readonly wwwAuthenticateUri: string;
  /** Requests that need no token (version discovery …). */
  readonly isPublic?: (req: FastifyRequest) => boolean;
}

export function registerAuthHook(app: FastifyInstance, opts: AuthHookOptions): void {
  app.decorateRequest('auth', null as unknown as AuthContext);
  app.addHook('onRequest', async (req, reply) => {
    if (opts.isPublic?.(req)) return;
    const header = req.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    try {
      if (!token) throw new Unauthorized();
      req.auth = await opts.validator.validate(token);
    } catch (err) {
      if (err instanceof Unauthorized)
        reply.header('www-authenticate', `Keystone uri="${opts.wwwAuthenticateUri}"`);
      throw err;
    }
  });
}
