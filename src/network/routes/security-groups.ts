// /v2.0/security-groups: create, list, show, update, delete. The caller's project gets its
// `default` group on first use (any security-group call, or a port create).
import type { FastifyInstance } from 'fastify';
import { newUuid } from '../../common/ids.ts';
import { type AttrMap, bool, OWNED, parseBody } from '../attrs.ts';
import { authorize, type Caller, callerOf, type NetCtx, owningProject, targetOf } from '../context.ts';
import { cannotRemoveDefault, conflict, securityGroupInUse, securityGroupNotFound } from '../faults.ts';
import type { SecurityGroup } from '../model.ts';
import { checkQuota } from '../repo/quotas.ts';
import {
  createGroup,
  deleteGroup,
  ensureDefaultGroup,
  findGroup,
  groupInUse,
  isDefaultGroup,
  listGroups,
  updateGroup,
} from '../repo/security-groups.ts';
import { securityGroupView } from '../views.ts';
import { type IdParams, listBody, showFields } from './common.ts';

const ATTRS: AttrMap = Object.freeze({
  ...OWNED,
  stateful: { post: true, put: true, validate: bool },
  security_group_rules: { post: false, put: false },
  shared: { post: false, put: false },
});

export async function visibleGroup(ctx: NetCtx, caller: Caller, id: string): Promise<SecurityGroup> {
  const g = await findGroup(ctx.db, id);
  if (!g || (!caller.admin && g.project_id !== caller.project)) throw securityGroupNotFound(id);
  return g;
}

async function ensureCallerDefault(ctx: NetCtx, caller: Caller) {
  if (caller.project) await ensureDefaultGroup(ctx.db, caller.project, ctx.clock.now());
}

async function create(ctx: NetCtx, caller: Caller, body: Record<string, unknown>) {
  const project = owningProject(caller, body);
  authorize(ctx, caller, 'create_security_group', targetOf(project));
  await ensureDefaultGroup(ctx.db, project, ctx.clock.now());
  if (body.name === 'default')
    throw conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
  await checkQuota(ctx.db, 'security_group', project);
  return createGroup(
    ctx.db,
    {
      id: newUuid(),
      project_id: project,
      name: (body.name as string) ?? '',
      description: (body.description as string) ?? '',
      stateful: (body.stateful as boolean) ?? true,
    },
    ctx.clock.now(),
  );
}

export function registerSecurityGroupRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.post('/v2.0/security-groups', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const g = await create(ctx, caller, parseBody(req.body, 'security_group', ATTRS, 'post'));
    return reply.code(201).send({ security_group: securityGroupView(g) });
  });

  app.get('/v2.0/security-groups', async (req) => {
    const caller = callerOf(ctx, req);
    await ensureCallerDefault(ctx, caller);
    const all = await listGroups(ctx.db, caller.admin ? undefined : caller.project);
    return listBody(req, 'security_groups', all.map(securityGroupView), securityGroupNotFound);
  });

  app.get<IdParams>('/v2.0/security-groups/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const g = await visibleGroup(ctx, caller, req.params.id);
    authorize(ctx, caller, 'get_security_group', targetOf(g.project_id), () => securityGroupNotFound(g.id));
    return { security_group: showFields(req, securityGroupView(g)) };
  });

  app.put<IdParams>('/v2.0/security-groups/:id', async (req) => {
    const caller = callerOf(ctx, req);
    const body = parseBody(req.body, 'security_group', ATTRS, 'put');
    const g = await visibleGroup(ctx, caller, req.params.id);
    authorize(ctx, caller, 'update_security_group', targetOf(g.project_id), () =>
      securityGroupNotFound(g.id),
    );
    if (body.name !== undefined && body.name !== g.name && (g.name === 'default' || body.name === 'default'))
      if (await isDefaultGroup(ctx.db, g.id))
        throw conflict('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
    if (body.stateful !== undefined && body.stateful !== g.stateful && (await groupInUse(ctx.db, g.id)))
      throw conflict('SecurityGroupInUse', `Security Group ${g.id} in use.`);
    const updated = await updateGroup(ctx.db, g, body as { name?: string }, ctx.clock.now());
    return { security_group: securityGroupView(updated) };
  });

  app.delete<IdParams>('/v2.0/security-groups/:id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    const g = await visibleGroup(ctx, caller, req.params.id);
    authorize(ctx, caller, 'delete_security_group', targetOf(g.project_id), () =>
      securityGroupNotFound(g.id),
    );
    if (!caller.admin && (await isDefaultGroup(ctx.db, g.id))) throw cannotRemoveDefault();
    if (await groupInUse(ctx.db, g.id)) throw securityGroupInUse(g.id);
    await deleteGroup(ctx.db, g.id);
    return reply.code(204).send();
  });
}
