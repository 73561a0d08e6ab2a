// /v3/groups and membership: /v3/groups/{g}/users[/{u}].
import type { FastifyInstance } from 'fastify';
import { deleteGroup } from '../../cascade.ts';
import { invalid, notFound } from '../../errors.ts';
import { extraOf } from '../../store/common.ts';
import * as domains from '../../store/domains.ts';
import * as groups from '../../store/groups.ts';
import * as users from '../../store/users.ts';
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
import { groupView, userView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

const KNOWN = ['id', 'name', 'domain_id', 'description'];

export function groupRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const core = ctx.svc.core;

  app.post('/v3/groups', async (req, reply) => {
    const b = entity(req.body, 'group');
    const domainId = optString(b, 'domain_id') ?? req.auth.domain_id ?? 'default';
    authorize(ctx, req, 'create_group', { target: { group: { domain_id: domainId } } });
    if (!(await domains.find(core.db, domainId))) throw notFound('domain', domainId);
    const g = await groups.create(
      core.db,
      {
        name: reqString(b, 'name', 'group'),
        domain_id: domainId,
        description: optNullableString(b, 'description'),
        extra: extraOf(b, KNOWN),
      },
      core.now(),
    );
    reply.status(201);
    return { group: groupView(ctx.base(req), g) };
  });

  app.get('/v3/groups', async (req) => {
    const a = req.auth;
    const wide = ctx.enforcer.enforce('identity:list_groups', {}, a);
    const domainId = queryStr(req.query, 'domain_id') ?? (wide ? undefined : a.domain_id);
    if (!wide) authorize(ctx, req, 'list_groups', { target: { domain_id: domainId } });
    const list = await groups.list(core.db, { name: queryStr(req.query, 'name'), domain_id: domainId });
    const base = ctx.base(req);
    return collection(
      base,
      'groups',
      'groups',
      list.map((g) => groupView(base, g)),
      queryOf(req),
    );
  });

  app.get('/v3/groups/:group_id', async (req) => {
    const g = await groups.get(core.db, params(req).group_id);
    authorize(ctx, req, 'get_group', { target: { group: g } });
    return { group: groupView(ctx.base(req), g) };
  });

  app.patch('/v3/groups/:group_id', async (req) => {
    const cur = await groups.get(core.db, params(req).group_id);
    authorize(ctx, req, 'update_group', { target: { group: cur } });
    const b = entity(req.body, 'group');
    if (b.domain_id !== undefined && b.domain_id !== cur.domain_id) throw invalid('Cannot change Domain ID');
    const g = await groups.update(core.db, cur.id, {
      name: optString(b, 'name'),
      description: optNullableString(b, 'description'),
      extra: extraOf(b, KNOWN),
    });
    return { group: groupView(ctx.base(req), g) };
  });

  app.delete('/v3/groups/:group_id', async (req, reply) => {
    const g = await groups.get(core.db, params(req).group_id);
    authorize(ctx, req, 'delete_group', { target: { group: g } });
    await deleteGroup(core, g.id);
    reply.status(204).send();
  });

  app.get('/v3/groups/:group_id/users', async (req) => {
    const g = await groups.get(core.db, params(req).group_id);
    authorize(ctx, req, 'list_users_in_group', { target: { group: g } });
    const list = await users.list(core.db, {
      ids: await groups.memberIds(core.db, g.id),
      name: queryStr(req.query, 'name'),
    });
    const base = ctx.base(req);
    return collection(
      base,
      'users',
      `groups/${g.id}/users`,
      list.map((u) => userView(base, u)),
      queryOf(req),
    );
  });

  const membership = async (groupId: string, userId: string) => ({
    group: await groups.get(core.db, groupId),
    user: await users.get(core.db, userId),
  });

  app.put('/v3/groups/:group_id/users/:user_id', async (req, reply) => {
    const t = await membership(params(req).group_id, params(req).user_id);
    authorize(ctx, req, 'add_user_to_group', { target: t });
    await groups.addMember(core.db, t.group.id, t.user.id);
    reply.status(204).send();
  });

  app.head('/v3/groups/:group_id/users/:user_id', async (req, reply) => {
    const t = await membership(params(req).group_id, params(req).user_id);
    authorize(ctx, req, 'check_user_in_group', { target: t });
    if (!(await groups.isMember(core.db, t.group.id, t.user.id)))
      throw notFound('membership', `user ${t.user.id} in group ${t.group.id}`);
    reply.status(204).send();
  });

  app.delete('/v3/groups/:group_id/users/:user_id', async (req, reply) => {
    const t = await membership(params(req).group_id, params(req).user_id);
    authorize(ctx, req, 'remove_user_from_group', { target: t });
    if (!(await groups.removeMember(core.db, t.group.id, t.user.id)))
      throw notFound('membership', `user ${t.user.id} in group ${t.group.id}`);
    reply.status(204).send();
  });
}
