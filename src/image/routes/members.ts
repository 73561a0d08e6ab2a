// /v2/images/{image_id}/members[/{member_id}]: sharing an image with other projects. Only
// 'shared' images have members; the owner adds and removes them, each member sets its own status;
// a member sees only its own entry.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden } from '../../faults/fault.ts';
import { authorizeImage, type ImageAccess } from '../access.ts';
import { type ImageCtx, loadAccess } from '../context.ts';
import { badRequest, memberNotFound } from '../faults.ts';
import { MEMBER_STATUSES, type MemberStatus } from '../model.ts';
import { addMember, deleteMember, findMember, listMembers, setMemberStatus } from '../repo/members.ts';
import { memberView } from '../views.ts';

type ImageParams = { Params: { image_id: string } };
type MemberParams = { Params: { image_id: string; member_id: string } };

async function sharedImage(
  ctx: ImageCtx,
  req: FastifyRequest,
  id: string,
  rule: string,
): Promise<ImageAccess> {
  const a = await loadAccess(ctx, req, id);
  if (a.image.visibility !== 'shared') throw new Forbidden('Only shared images have members.');
  authorizeImage(ctx.enforcer, 'get_image', a);
  authorizeImage(ctx.enforcer, rule, a);
  return a;
}

/** Owners and admins see every member; a member only itself. */
const seesAll = (a: ImageAccess) =>
  a.caller.admin || (a.image.owner !== null && a.image.owner === a.caller.project);

function bodyField(body: unknown, field: string, missing: string, form: string): unknown {
  if (body === undefined || body === null) throw badRequest('Body expected in request.');
  if (typeof body !== 'object' || Array.isArray(body) || !(field in body)) throw badRequest(missing);
  const v = (body as Record<string, unknown>)[field];
  if (typeof v !== 'string') throw badRequest(form);
  return v;
}

export function registerMemberRoutes(app: FastifyInstance, ctx: ImageCtx): void {
  app.get<ImageParams>('/v2/images/:image_id/members', async (req) => {
    const a = await sharedImage(ctx, req, req.params.image_id, 'get_members');
    const members = seesAll(a) ? await listMembers(ctx.db, a.image.id) : a.membership ? [a.membership] : [];
    return { members: members.map(memberView), schema: '/v2/schemas/members' };
  });

  app.post<ImageParams>('/v2/images/:image_id/members', async (req) => {
    const member = bodyField(
      req.body,
      'member',
      'Member to be added not specified',
      'Expected a member in the form: {"member": "image_id"}',
    ) as string;
    if (member.trim() === '') throw badRequest("Member can't be empty");
    const a = await sharedImage(ctx, req, req.params.image_id, 'add_member');
    return memberView(await addMember(ctx.db, a.image.id, member, ctx.clock.now()));
  });

  app.get<MemberParams>('/v2/images/:image_id/members/:member_id', async (req) => {
    const a = await sharedImage(ctx, req, req.params.image_id, 'get_member');
    const id = req.params.member_id;
    const m = seesAll(a) || id === a.caller.project ? await findMember(ctx.db, a.image.id, id) : undefined;
    if (!m) throw memberNotFound(id, a.image.id);
    return memberView(m);
  });

  app.put<MemberParams>('/v2/images/:image_id/members/:member_id', async (req) => {
    const status = bodyField(
      req.body,
      'status',
      'Status not specified',
      'Expected a status in the form: {"status": "status"}',
    ) as string;
    if (!(MEMBER_STATUSES as readonly string[]).includes(status))
      throw badRequest('Incorrect request: Status must be "pending", "accepted" or "rejected".');
    const a = await sharedImage(ctx, req, req.params.image_id, 'modify_member');
    const id = req.params.member_id;
    const visible = a.caller.admin || id === a.caller.project;
    const m = visible ? await findMember(ctx.db, a.image.id, id) : undefined;
    if (!m) throw memberNotFound(id, a.image.id);
    const updated = await setMemberStatus(ctx.db, a.image.id, id, status as MemberStatus, ctx.clock.now());
    return memberView(updated ?? m);
  });

  app.delete<MemberParams>('/v2/images/:image_id/members/:member_id', async (req, reply) => {
    const a = await sharedImage(ctx, req, req.params.image_id, 'delete_member');
    if (!(await deleteMember(ctx.db, a.image.id, req.params.member_id)))
      throw memberNotFound(req.params.member_id, a.image.id);
    return reply.code(204).send();
  });
}
