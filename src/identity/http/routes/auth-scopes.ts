// What a token may scope to and its catalog: /v3/auth/catalog, /v3/auth/projects, /v3/auth/domains,
// /v3/auth/system (and the older /v3/users/{id}/projects lives in users.ts).
import type { FastifyInstance } from 'fastify';
import { Forbidden } from '../../../faults/fault.ts';
import { effectiveRoles, targetIdsOfUser } from '../../effective-roles.ts';
import * as domains from '../../store/domains.ts';
import * as projects from '../../store/projects.ts';
import { authorize, type RouteCtx } from '../context.ts';
import { domainView, projectView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

export function authScopeRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const db = ctx.svc.core.db;

  app.get('/v3/auth/catalog', async (req) => {
    const auth = authorize(ctx, req, 'get_auth_catalog');
    if (!auth.project_id && !auth.domain_id && !auth.system_scope)
      throw new Forbidden('A scoped token is required to get a catalog.', 'identity.unscoped');
    const catalog = await ctx.svc.catalog.forToken(auth.user_id, auth.project_id);
    return { catalog, links: { self: `${ctx.base(req)}/v3/auth/catalog` } };
  });

  app.get('/v3/auth/projects', async (req) => {
    const auth = authorize(ctx, req, 'get_auth_projects');
    const ids = await targetIdsOfUser(db, auth.user_id, 'project');
    const enabledDomains = new Set((await domains.list(db, { enabled: true })).map((d) => d.id));
    const list = (await projects.list(db, { ids, enabled: true })).filter((p) =>
      enabledDomains.has(p.domain_id),
    );
    const base = ctx.base(req);
    return collection(
      base,
      'projects',
      'auth/projects',
      list.map((p) => projectView(base, p)),
    );
  });

  app.get('/v3/auth/domains', async (req) => {
    const auth = authorize(ctx, req, 'get_auth_domains');
    const ids = new Set(await targetIdsOfUser(db, auth.user_id, 'domain'));
    const list = (await domains.list(db, { enabled: true })).filter((d) => ids.has(d.id));
    const base = ctx.base(req);
    return collection(
      base,
      'domains',
      'auth/domains',
      list.map((d) => domainView(base, d)),
    );
  });

  app.get('/v3/auth/system', async (req) => {
    const auth = authorize(ctx, req, 'get_auth_system');
    const roles = await effectiveRoles(db, auth.user_id, { kind: 'system' });
    return {
      system: roles.length > 0 ? [{ all: true }] : [],
      links: { self: `${ctx.base(req)}/v3/auth/system` },
    };
  });
}
