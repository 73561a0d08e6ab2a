// /v3/auth/tokens: issue (POST), validate (GET), check (HEAD), revoke (DELETE). The token id travels
// in X-Subject-Token; ?nocatalog leaves the catalog out. An invalid subject token is 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../../auth/authenticate.ts';
import { recordRevocation } from '../../cascade.ts';
import { tokenNotFound } from '../../errors.ts';
import type { ValidatedToken } from '../../tokens/validate.ts';
import { authorize, queryBool, type RouteCtx } from '../context.ts';
import { tokenView } from '../views/token.ts';

async function subjectToken(ctx: RouteCtx, req: FastifyRequest): Promise<ValidatedToken> {
  const h = req.headers['x-subject-token'];
  const id = Array.isArray(h) ? h[0] : h;
  if (!id) throw tokenNotFound();
  try {
    return await ctx.svc.tokens.validate(id);
  } catch {
    throw tokenNotFound();
  }
}

/** ?nocatalog (with no value, or a true one) leaves the catalog out, as Keystone. */
function noCatalog(req: FastifyRequest): boolean {
  const q = req.query as Record<string, unknown>;
  if (!('nocatalog' in q)) return false;
  return q.nocatalog === '' || queryBool(q.nocatalog) === true;
}

async function body(ctx: RouteCtx, req: FastifyRequest, t: ValidatedToken) {
  const scoped = t.payload.scope.kind !== 'unscoped';
  const catalog =
    scoped && !noCatalog(req) ? await ctx.svc.catalog.forToken(t.user.id, t.project?.id) : undefined;
  return tokenView(t, catalog);
}

export function authTokenRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  app.post('/v3/auth/tokens', async (req, reply: FastifyReply) => {
    const issued = await authenticate(ctx.svc.core, ctx.svc.tokens, req.body);
    const t = await ctx.svc.tokens.validate(issued.id);
    reply.status(201).header('x-subject-token', issued.id);
    return body(ctx, req, t);
  });

  app.get('/v3/auth/tokens', { exposeHeadRoute: false }, async (req, reply) => {
    const t = await subjectToken(ctx, req);
    authorize(ctx, req, 'validate_token', { target: { token: { user_id: t.user.id } } });
    reply.header('x-subject-token', t.id);
    return body(ctx, req, t);
  });

  app.head('/v3/auth/tokens', async (req, reply) => {
    const t = await subjectToken(ctx, req);
    authorize(ctx, req, 'check_token', { target: { token: { user_id: t.user.id } } });
    reply.status(200).header('x-subject-token', t.id).send();
  });

  app.delete('/v3/auth/tokens', async (req, reply) => {
    const t = await subjectToken(ctx, req);
    authorize(ctx, req, 'revoke_token', { target: { token: { user_id: t.user.id } } });
    await recordRevocation(ctx.svc.core, { audit_id: t.payload.audit_ids[0] });
    reply.status(204).send();
  });
}
