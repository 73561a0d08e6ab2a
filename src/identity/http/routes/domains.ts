// /v3/domains. A domain must be disabled before it is deleted; the default domain stays.
import type { FastifyInstance } from 'fastify';
import { deleteDomainContents } from '../../cascade.ts';
import { forbiddenAction } from '../../errors.ts';
import { extraOf } from '../../store/common.ts';
import * as domains from '../../store/domains.ts';
import {
  authorize,
  entity,
  optBool,
  optNullableString,
  params,
  queryBool,
  queryOf,
  queryStr,
  type RouteCtx,
  reqString,
} from '../context.ts';
import { domainView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

const KNOWN = ['id', 'name', 'enabled', 'description', 'explicit_domain_id'];

export function domainRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const core = ctx.svc.core;

  app.post('/v3/domains', async (req, reply) => {
    authorize(ctx, req, 'create_domain');
    const b = entity(req.body, 'domain');
    const d = await domains.create(
      core.db,
      {
        id: typeof b.explicit_domain_id === 'string' ? b.explicit_domain_id : undefined,
        name: reqString(b, 'name', 'domain'),
        enabled: optBool(b, 'enabled'),
        description: optNullableString(b, 'description'),
        extra: extraOf(b, KNOWN),
      },
      core.now(),
    );
    reply.status(201);
    return { domain: domainView(ctx.base(req), d) };
  });

  app.get('/v3/domains', async (req) => {
    const q = req.query;
    const a = req.auth;
    // Admins and system readers see every domain; a domain reader only their own.
    const wide = ctx.enforcer.enforce('identity:list_domains', {}, a);
    if (!wide) authorize(ctx, req, 'list_domains', { target: { domain: { id: a.domain_id } } });
    let list = await domains.list(core.db, {
      name: queryStr(q, 'name'),
      enabled: queryBool(queryStr(q, 'enabled')),
    });
    if (!wide) list = list.filter((d) => d.id === a.domain_id);
    const base = ctx.base(req);
    return collection(
      base,
      'domains',
      'domains',
      list.map((d) => domainView(base, d)),
      queryOf(req),
    );
  });

  app.get('/v3/domains/:domain_id', async (req) => {
    const { domain_id } = params(req);
    authorize(ctx, req, 'get_domain', { target: { domain: { id: domain_id } } });
    return { domain: domainView(ctx.base(req), await domains.get(core.db, domain_id)) };
  });

  app.patch('/v3/domains/:domain_id', async (req) => {
    const { domain_id } = params(req);
    authorize(ctx, req, 'update_domain', { target: { domain: { id: domain_id } } });
    const b = entity(req.body, 'domain');
    const enabled = optBool(b, 'enabled');
    if (domain_id === 'default' && enabled === false) throw forbiddenAction('disable the default domain');
    const d = await domains.update(core.db, domain_id, {
      name: typeof b.name === 'string' ? b.name : undefined,
      enabled,
      description: optNullableString(b, 'description'),
      extra: extraOf(b, KNOWN),
    });
    return { domain: domainView(ctx.base(req), d) };
  });

  app.delete('/v3/domains/:domain_id', async (req, reply) => {
    const { domain_id } = params(req);
    authorize(ctx, req, 'delete_domain', { target: { domain: { id: domain_id } } });
    const d = await domains.get(core.db, domain_id);
    if (d.enabled) throw forbiddenAction('Cannot delete a domain that is enabled, please disable it first.');
    await deleteDomainContents(core, domain_id);
    await domains.remove(core.db, domain_id);
    reply.status(204).send();
  });
}
