// /v3/roles, implied roles (/v3/roles/{prior}/implies[/{implied}]) and /v3/role_inferences.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.ts';
import { extraOf } from '../../store/common.ts';
import * as domains from '../../store/domains.ts';
import * as roles from '../../store/roles.ts';
import {
  authorize,
  entity,
  optNullableString,
  optString,
  params,
  queryOf,
  queryStr,
  type RouteCtx,
  reqString,
} from '../context.ts';
import { roleRefView, roleView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

const KNOWN = ['id', 'name', 'domain_id', 'description'];

export function roleRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const core = ctx.svc.core;

  app.post('/v3/roles', async (req, reply) => {
    authorize(ctx, req, 'create_role');
    const b = entity(req.body, 'role');
    const domainId = optNullableString(b, 'domain_id') ?? null;
    if (domainId && !(await domains.find(core.db, domainId))) throw notFound('domain', domainId);
    const r = await roles.create(core.db, {
      name: reqString(b, 'name', 'role'),
      domain_id: domainId,
      description: optNullableString(b, 'description'),
      extra: extraOf(b, KNOWN),
    });
    reply.status(201);
    return { role: roleView(ctx.base(req), r) };
  });

  app.get('/v3/roles', async (req) => {
    authorize(ctx, req, 'list_roles');
    const list = await roles.list(core.db, {
      name: queryStr(req.query, 'name'),
      domain_id: queryStr(req.query, 'domain_id'),
    });
    const base = ctx.base(req);
    return collection(
      base,
      'roles',
      'roles',
      list.map((r) => roleView(base, r)),
      queryOf(req),
    );
  });

  app.get('/v3/roles/:role_id', async (req) => {
    const r = await roles.get(core.db, params(req).role_id);
    authorize(ctx, req, 'get_role', { target: { role: r } });
    return { role: roleView(ctx.base(req), r) };
  });

  app.patch('/v3/roles/:role_id', async (req) => {
    const cur = await roles.get(core.db, params(req).role_id);
    authorize(ctx, req, 'update_role', { target: { role: cur } });
    const b = entity(req.body, 'role');
    const r = await roles.update(core.db, cur.id, {
      name: optString(b, 'name'),
      description: optNullableString(b, 'description'),
      extra: extraOf(b, KNOWN),
    });
    return { role: roleView(ctx.base(req), r) };
  });

  app.delete('/v3/roles/:role_id', async (req, reply) => {
    const r = await roles.get(core.db, params(req).role_id);
    authorize(ctx, req, 'delete_role', { target: { role: r } });
    await roles.remove(core.db, r.id);
    reply.status(204).send();
  });

  const pair = async (priorId: string, impliedId: string) => ({
    prior: await roles.get(core.db, priorId),
    implied: await roles.get(core.db, impliedId),
  });

  const inference = (base: string, prior: roles.Role, implied: roles.Role) => ({
    role_inference: { prior_role: roleRefView(base, prior), implies: roleRefView(base, implied) },
    links: { self: `${base}/v3/roles/${prior.id}/implies/${implied.id}` },
  });

  app.get('/v3/roles/:prior_role_id/implies', async (req) => {
    authorize(ctx, req, 'list_implied_roles');
    const prior = await roles.get(core.db, params(req).prior_role_id);
    const ids = (await roles.impliedRules(core.db, prior.id)).map((r) => r.implied_role_id);
    const base = ctx.base(req);
    return {
      role_inference: {
        prior_role: roleRefView(base, prior),
        implies: (await roles.list(core.db, { ids })).map((r) => roleRefView(base, r)),
      },
      links: { self: `${base}/v3/roles/${prior.id}/implies` },
    };
  });

  app.put('/v3/roles/:prior_role_id/implies/:implied_role_id', async (req, reply) => {
    authorize(ctx, req, 'create_implied_role');
    const { prior, implied } = await pair(params(req).prior_role_id, params(req).implied_role_id);
    await roles.addImplied(core.db, prior.id, implied.id);
    reply.status(201);
    return inference(ctx.base(req), prior, implied);
  });

  const existing = async (priorId: string, impliedId: string) => {
    const p = await pair(priorId, impliedId);
    const rules = await roles.impliedRules(core.db, p.prior.id);
    if (!rules.some((r) => r.implied_role_id === p.implied.id))
      throw notFound('implied role', `${priorId} implies ${impliedId}`);
    return p;
  };

  app.get('/v3/roles/:prior_role_id/implies/:implied_role_id', { exposeHeadRoute: false }, async (req) => {
    authorize(ctx, req, 'get_implied_role');
    const { prior, implied } = await existing(params(req).prior_role_id, params(req).implied_role_id);
    return inference(ctx.base(req), prior, implied);
  });

  app.head('/v3/roles/:prior_role_id/implies/:implied_role_id', async (req, reply) => {
    authorize(ctx, req, 'check_implied_role');
    await existing(params(req).prior_role_id, params(req).implied_role_id);
    reply.status(204).send();
  });

  app.delete('/v3/roles/:prior_role_id/implies/:implied_role_id', async (req, reply) => {
    authorize(ctx, req, 'delete_implied_role');
    const { prior, implied } = await existing(params(req).prior_role_id, params(req).implied_role_id);
    await roles.removeImplied(core.db, prior.id, implied.id);
    reply.status(204).send();
  });

  app.get('/v3/role_inferences', async (req) => {
    authorize(ctx, req, 'list_role_inference_rules');
    const rules = await roles.impliedRules(core.db);
    const all = new Map(
      (
        await roles.list(core.db, {
          ids: [...new Set(rules.flatMap((r) => [r.prior_role_id, r.implied_role_id]))],
        })
      ).map((r) => [r.id, r]),
    );
    const base = ctx.base(req);
    const priors = [...new Set(rules.map((r) => r.prior_role_id))];
    return {
      role_inferences: priors.map((p) => ({
        prior_role: roleRefView(base, all.get(p)!),
        implies: rules
          .filter((r) => r.prior_role_id === p)
          .map((r) => roleRefView(base, all.get(r.implied_role_id)!)),
      })),
      links: { self: `${base}/v3/role_inferences` },
    };
  });
}
