// Role grants: PUT/GET/HEAD/DELETE /v3/{projects|domains}/{t}/{users|groups}/{a}/roles/{r}, the
// lists without {r}, and the system ones under /v3/system/{users|groups}/{a}/roles.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../../../faults/fault.ts';
import * as assignments from '../../store/assignments.ts';
import * as domains from '../../store/domains.ts';
import * as groups from '../../store/groups.ts';
import * as projects from '../../store/projects.ts';
import * as roles from '../../store/roles.ts';
import * as users from '../../store/users.ts';
import { authorize, params, type RouteCtx } from '../context.ts';
import { roleView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

type Target = assignments.TargetKind;
type Actor = assignments.ActorKind;

interface Family {
  readonly target: Target;
  readonly actor: Actor;
  /** Path up to /roles, e.g. /v3/projects/:target_id/users/:actor_id */
  readonly path: string;
  readonly check: string;
  readonly list: string;
  readonly create: string;
  readonly revoke: string;
}

const FAMILIES: readonly Family[] = (['project', 'domain'] as const)
  .flatMap((target) =>
    (['user', 'group'] as const).map(
      (actor): Family => ({
        target,
        actor,
        path: `/v3/${target}s/:target_id/${actor}s/:actor_id`,
        check: 'check_grant',
        list: 'list_grants',
        create: 'create_grant',
        revoke: 'revoke_grant',
      }),
    ),
  )
  .concat(
    (['user', 'group'] as const).map((actor) => ({
      target: 'system' as const,
      actor,
      path: `/v3/system/${actor}s/:actor_id`,
      check: `check_system_grant_for_${actor}`,
      list: `list_system_grants_for_${actor}`,
      create: `create_system_grant_for_${actor}`,
      revoke: `revoke_system_grant_for_${actor}`,
    })),
  );

function missing(roleId: string, actorId: string, targetId: string): NotFound {
  return new NotFound(
    `Could not find role assignment with role: ${roleId}, user or group: ${actorId}, project, domain, or system: ${targetId}.`,
    'identity.role_assignment_not_found',
  );
}

export function grantRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const db = ctx.svc.core.db;

  /** Loads (404s) the target and actor; returns the policy target and the assignment key. */
  async function resolve(f: Family, req: FastifyRequest) {
    const p = params(req);
    const target: Record<string, unknown> = {};
    let targetId: string = assignments.SYSTEM_TARGET;
    if (f.target === 'project') {
      const project = await projects.get(db, p.target_id);
      target.project = project;
      targetId = project.id;
    } else if (f.target === 'domain') {
      const domain = await domains.get(db, p.target_id);
      target.domain = domain;
      targetId = domain.id;
    }
    if (f.actor === 'user') target.user = await users.get(db, p.actor_id);
    else target.group = await groups.get(db, p.actor_id);
    const key = { actor: f.actor, actor_id: p.actor_id, target: f.target, target_id: targetId };
    return { target, key };
  }

  async function withRole(f: Family, req: FastifyRequest) {
    const r = await resolve(f, req);
    const role = await roles.get(db, params(req).role_id);
    return { target: { ...r.target, role }, key: { ...r.key, role_id: role.id } };
  }

  for (const f of FAMILIES) {
    app.put(`${f.path}/roles/:role_id`, async (req, reply) => {
      const { target, key } = await withRole(f, req);
      authorize(ctx, req, f.create, { target });
      await assignments.grant(db, key);
      reply.status(204).send();
    });

    app.get(`${f.path}/roles/:role_id`, async (req, reply) => {
      const { target, key } = await withRole(f, req);
      authorize(ctx, req, f.check, { target });
      if (!(await assignments.check(db, key))) throw missing(key.role_id, key.actor_id, key.target_id);
      reply.status(204).send();
    });

    app.delete(`${f.path}/roles/:role_id`, async (req, reply) => {
      const { target, key } = await withRole(f, req);
      authorize(ctx, req, f.revoke, { target });
      if (!(await assignments.revoke(db, key))) throw missing(key.role_id, key.actor_id, key.target_id);
      reply.status(204).send();
    });

    app.get(`${f.path}/roles`, async (req) => {
      const { target, key } = await resolve(f, req);
      authorize(ctx, req, f.list, { target });
      const found = await assignments.list(db, {
        actor: key.actor,
        actor_ids: [key.actor_id],
        target: key.target,
        target_ids: [key.target_id],
        inherited: false,
      });
      const list = await roles.list(db, { ids: found.map((a) => a.role_id) });
      const base = ctx.base(req);
      const self = req.url.split('?')[0].replace(/^\/v3\//, '');
      return collection(
        base,
        'roles',
        self,
        list.map((r) => roleView(base, r)),
      );
    });
  }
}
