// /v3/users, a user's projects and groups, and the self-service password change (no token needed:
// the original password proves who is asking). A new password or disabling revokes the user's tokens.
import type { FastifyInstance } from 'fastify';
import { deleteUser, revokeUserTokens } from '../../cascade.ts';
import { targetIdsOfUser } from '../../effective-roles.ts';
import { authFailed, invalid, notFound } from '../../errors.ts';
import { hashSecret, verifySecret } from '../../passwords.ts';
import { extraOf } from '../../store/common.ts';
import * as domains from '../../store/domains.ts';
import * as groups from '../../store/groups.ts';
import * as projects from '../../store/projects.ts';
import * as users from '../../store/users.ts';
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
import { groupView, projectView, userView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

const KNOWN = ['id', 'name', 'domain_id', 'enabled', 'default_project_id', 'password'];

function password(b: Json): string | null | undefined {
  const v = b.password;
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string') throw invalid("Invalid input for field 'password': is not of type 'string'");
  return v;
}

export function userRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const core = ctx.svc.core;

  app.post('/v3/users', async (req, reply) => {
    const b = entity(req.body, 'user');
    const domainId = optString(b, 'domain_id') ?? req.auth.domain_id ?? 'default';
    authorize(ctx, req, 'create_user', { target: { user: { domain_id: domainId } } });
    if (!(await domains.find(core.db, domainId))) throw notFound('domain', domainId);
    const pw = password(b);
    const u = await users.create(
      core.db,
      {
        name: reqString(b, 'name', 'user'),
        domain_id: domainId,
        enabled: optBool(b, 'enabled'),
        default_project_id: optNullableString(b, 'default_project_id'),
        password_hash: pw ? await hashSecret(pw) : null,
        extra: extraOf(b, KNOWN),
      },
      core.now(),
    );
    reply.status(201);
    return { user: userView(ctx.base(req), u) };
  });

  app.get('/v3/users', async (req) => {
    const q = req.query;
    const a = req.auth;
    const wide = ctx.enforcer.enforce('identity:list_users', {}, a);
    const domainId = queryStr(q, 'domain_id') ?? (wide ? undefined : a.domain_id);
    if (!wide) authorize(ctx, req, 'list_users', { target: { domain_id: domainId } });
    const list = await users.list(core.db, {
      name: queryStr(q, 'name'),
      domain_id: domainId,
      enabled: queryBool(queryStr(q, 'enabled')),
    });
    const base = ctx.base(req);
    return collection(
      base,
      'users',
      'users',
      list.map((u) => userView(base, u)),
      queryOf(req),
    );
  });

  app.get('/v3/users/:user_id', async (req) => {
    const u = await users.get(core.db, params(req).user_id);
    authorize(ctx, req, 'get_user', { target: { user: u } });
    return { user: userView(ctx.base(req), u) };
  });

  app.patch('/v3/users/:user_id', async (req) => {
    const cur = await users.get(core.db, params(req).user_id);
    authorize(ctx, req, 'update_user', { target: { user: cur } });
    const b = entity(req.body, 'user');
    if (b.domain_id !== undefined && b.domain_id !== cur.domain_id) throw invalid('Cannot change Domain ID');
    const pw = password(b);
    const enabled = optBool(b, 'enabled');
    const u = await users.update(
      core.db,
      cur.id,
      {
        name: optString(b, 'name'),
        enabled,
        default_project_id: optNullableString(b, 'default_project_id'),
        ...(pw !== undefined ? { password_hash: pw ? await hashSecret(pw) : null } : {}),
        extra: extraOf(b, KNOWN),
      },
      core.now(),
    );
    if (pw !== undefined || enabled === false) await revokeUserTokens(core, u.id);
    return { user: userView(ctx.base(req), u) };
  });

  app.delete('/v3/users/:user_id', async (req, reply) => {
    const u = await users.get(core.db, params(req).user_id);
    authorize(ctx, req, 'delete_user', { target: { user: u } });
    await deleteUser(core, u.id);
    reply.status(204).send();
  });

  app.post('/v3/users/:user_id/password', async (req, reply) => {
    const b = entity(req.body, 'user');
    const original = reqString(b, 'original_password', 'user');
    const next = reqString(b, 'password', 'user');
    const u = await users.find(core.db, params(req).user_id);
    if (!u?.enabled || !(await verifySecret(original, u.password_hash))) throw authFailed();
    await users.update(core.db, u.id, { password_hash: await hashSecret(next) }, core.now());
    await revokeUserTokens(core, u.id);
    reply.status(204).send();
  });

  app.get('/v3/users/:user_id/projects', async (req) => {
    const u = await users.get(core.db, params(req).user_id);
    authorize(ctx, req, 'list_user_projects', { target: { user: u } });
    const ids = await targetIdsOfUser(core.db, u.id, 'project');
    const list = await projects.list(core.db, {
      ids,
      name: queryStr(req.query, 'name'),
      enabled: queryBool(queryStr(req.query, 'enabled')),
      domain_id: queryStr(req.query, 'domain_id'),
    });
    const base = ctx.base(req);
    return collection(
      base,
      'projects',
      `users/${u.id}/projects`,
      list.map((p) => projectView(base, p)),
      queryOf(req),
    );
  });

  app.get('/v3/users/:user_id/groups', async (req) => {
    const u = await users.get(core.db, params(req).user_id);
    authorize(ctx, req, 'list_groups_for_user', { user_id: u.id, target: { user: u } });
    const list = await groups.list(core.db, { ids: await groups.groupIdsOfUser(core.db, u.id) });
    const base = ctx.base(req);
    return collection(
      base,
      'groups',
      `users/${u.id}/groups`,
      list.map((g) => groupView(base, g)),
      queryOf(req),
    );
  });
}
