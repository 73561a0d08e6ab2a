// /v3/projects. New projects land in the token's domain (else `default`) unless domain_id or a
// parent says otherwise; only leaves may be deleted.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { deleteProject } from '../../cascade.ts';
import { forbiddenAction, invalid, notFound } from '../../errors.ts';
import { extraOf } from '../../store/common.ts';
import * as domains from '../../store/domains.ts';
import * as projects from '../../store/projects.ts';
import {
  authorize,
  entity,
  type Json,
  optBool,
  optNullableString,
  optString,
  params,
  queryBool,
  queryOf,
  queryStr,
  type RouteCtx,
  reqString,
} from '../context.ts';
import { projectView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

const KNOWN = ['id', 'name', 'domain_id', 'parent_id', 'enabled', 'description', 'is_domain'];

async function placement(
  ctx: RouteCtx,
  req: FastifyRequest,
  b: Json,
): Promise<{ domain_id: string; parent_id: string | null }> {
  const db = ctx.svc.core.db;
  const parentId = optString(b, 'parent_id');
  if (parentId) {
    const parent = await projects.find(db, parentId);
    if (!parent) throw notFound('project', parentId);
    const domainId = optString(b, 'domain_id') ?? parent.domain_id;
    if (domainId !== parent.domain_id)
      throw invalid('Cannot create project, the parent project is in another domain.');
    return { domain_id: domainId, parent_id: parent.id };
  }
  const domainId = optString(b, 'domain_id') ?? req.auth.domain_id ?? 'default';
  if (!(await domains.find(db, domainId))) throw notFound('domain', domainId);
  return { domain_id: domainId, parent_id: null };
}

export function projectRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const core = ctx.svc.core;

  app.post('/v3/projects', async (req, reply) => {
    const b = entity(req.body, 'project');
    if (b.is_domain === true)
      throw invalid("Invalid input for field 'is_domain': projects acting as domains are not supported");
    const where = await placement(ctx, req, b);
    authorize(ctx, req, 'create_project', { target: { project: { domain_id: where.domain_id } } });
    const p = await projects.create(
      core.db,
      {
        name: reqString(b, 'name', 'project'),
        domain_id: where.domain_id,
        parent_id: where.parent_id,
        enabled: optBool(b, 'enabled'),
        description: optNullableString(b, 'description'),
        extra: extraOf(b, KNOWN),
      },
      core.now(),
    );
    reply.status(201);
    return { project: projectView(ctx.base(req), p) };
  });

  app.get('/v3/projects', async (req) => {
    const q = req.query;
    if (queryBool(queryStr(q, 'is_domain')) === true)
      return collection(ctx.base(req), 'projects', 'projects', [], queryOf(req));
    const a = req.auth;
    const wide = ctx.enforcer.enforce('identity:list_projects', {}, a);
    const domainId = queryStr(q, 'domain_id') ?? (wide ? undefined : a.domain_id);
    if (!wide) authorize(ctx, req, 'list_projects', { target: { domain_id: domainId } });
    const list = await projects.list(core.db, {
      name: queryStr(q, 'name'),
      domain_id: domainId,
      parent_id: queryStr(q, 'parent_id'),
      enabled: queryBool(queryStr(q, 'enabled')),
    });
    const base = ctx.base(req);
    return collection(
      base,
      'projects',
      'projects',
      list.map((p) => projectView(base, p)),
      queryOf(req),
    );
  });

  app.get('/v3/projects/:project_id', async (req) => {
    const p = await projects.get(core.db, params(req).project_id);
    authorize(ctx, req, 'get_project', { target: { project: p } });
    return { project: projectView(ctx.base(req), p) };
  });

  app.patch('/v3/projects/:project_id', async (req) => {
    const cur = await projects.get(core.db, params(req).project_id);
    authorize(ctx, req, 'update_project', { target: { project: cur } });
    const b = entity(req.body, 'project');
    if (b.domain_id !== undefined && b.domain_id !== cur.domain_id) throw invalid('Cannot change Domain ID');
    if (b.parent_id !== undefined && b.parent_id !== cur.parent_id)
      throw forbiddenAction('Update of `parent_id` is not allowed.');
    const p = await projects.update(core.db, cur.id, {
      name: optString(b, 'name'),
      enabled: optBool(b, 'enabled'),
      description: optNullableString(b, 'description'),
      extra: extraOf(b, KNOWN),
    });
    return { project: projectView(ctx.base(req), p) };
  });

  app.delete('/v3/projects/:project_id', async (req, reply) => {
    const p = await projects.get(core.db, params(req).project_id);
    authorize(ctx, req, 'delete_project', { target: { project: p } });
    if (await projects.hasChildren(core.db, p.id))
      throw forbiddenAction(
        `Cannot delete the project ${p.id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`,
      );
    await deleteProject(core, p.id);
    reply.status(204).send();
  });
}
