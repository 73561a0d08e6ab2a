// /v3/users/{user_id}/application_credentials: a user delegates a subset of the roles of their
// current project token. The secret (given, or 64 random bytes) is returned once, stored hashed.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden, NotFound } from '../../../faults/fault.ts';
import { effectiveRoles } from '../../effective-roles.ts';
import { invalid } from '../../errors.ts';
import { hashSecret } from '../../passwords.ts';
import * as appCreds from '../../store/app-creds.ts';
import { newId } from '../../store/common.ts';
import * as roles from '../../store/roles.ts';
import * as users from '../../store/users.ts';
import {
  authorize,
  entity,
  type Json,
  optBool,
  optNullableString,
  params,
  queryOf,
  queryStr,
  type RouteCtx,
  reqString,
} from '../context.ts';
import { appCredView } from '../views/entities.ts';
import { collection } from '../views/links.ts';

function expiry(b: Json, now: Date): Date | null {
  const v = b.expires_at;
  if (v === undefined || v === null) return null;
  const d = typeof v === 'string' ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw invalid(`Invalid input for field 'expires_at': ${JSON.stringify(v)} is not a valid date`);
  if (d.getTime() <= now.getTime())
    throw invalid("Invalid input for field 'expires_at': the expiration date is in the past");
  return d;
}

/** The roles asked for ({id} or {name}), each one the token holds; default: all the token's roles. */
async function chosenRoles(
  req: FastifyRequest,
  b: Json,
  held: readonly roles.Role[],
): Promise<readonly roles.Role[]> {
  if (b.roles === undefined) return held;
  if (!Array.isArray(b.roles)) throw invalid("Invalid input for field 'roles': is not of type 'array'");
  return b.roles.map((ref: unknown) => {
    const r = ref as Json;
    const found = held.find((h) => (typeof r.id === 'string' ? h.id === r.id : h.name === r.name));
    if (!found)
      throw new NotFound(
        `Could not find role assignment with role: ${String(r.id ?? r.name)}, user or group: ${req.auth.user_id}, project, domain, or system: ${req.auth.project_id}.`,
        'identity.role_assignment_not_found',
      );
    return found;
  });
}

export function appCredRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  const core = ctx.svc.core;
  const PATH = '/v3/users/:user_id/application_credentials';

  app.post(PATH, async (req, reply) => {
    const userId = params(req).user_id;
    authorize(ctx, req, 'create_application_credential', { user_id: userId });
    const a = req.auth;
    if (!a.project_id)
      throw new Forbidden(
        'Application credentials require a project-scoped token.',
        'identity.app_cred_scope',
      );
    if (a.application_credential_id)
      throw new Forbidden('An application credential cannot create another one.', 'identity.app_cred_chain');
    const b = entity(req.body, 'application_credential');
    const held = await effectiveRoles(core.db, userId, { kind: 'project', id: a.project_id });
    const chosen = await chosenRoles(req, b, held);
    const secret =
      typeof b.secret === 'string' && b.secret ? b.secret : randomBytes(64).toString('base64url');
    const cred = await appCreds.create(
      core.db,
      {
        id: newId(),
        name: reqString(b, 'name', 'application_credential'),
        secret_hash: await hashSecret(secret),
        description: optNullableString(b, 'description') ?? null,
        user_id: userId,
        project_id: a.project_id,
        system: null,
        expires_at: expiry(b, core.now()),
        unrestricted: optBool(b, 'unrestricted') ?? false,
        role_ids: chosen.map((r) => r.id),
      },
      core.now(),
    );
    reply.status(201);
    return { application_credential: appCredView(ctx.base(req), cred, chosen, secret) };
  });

  app.get(PATH, async (req) => {
    const user = await users.get(core.db, params(req).user_id);
    authorize(ctx, req, 'list_application_credentials', { user_id: user.id });
    const list = await appCreds.listForUser(core.db, user.id, queryStr(req.query, 'name'));
    const base = ctx.base(req);
    const views = await Promise.all(
      list.map(async (c) => appCredView(base, c, await roles.list(core.db, { ids: c.role_ids }))),
    );
    return collection(
      base,
      'application_credentials',
      `users/${user.id}/application_credentials`,
      views,
      queryOf(req),
    );
  });

  const owned = async (req: FastifyRequest) => {
    const p = params(req);
    const cred = await appCreds.find(core.db, p.application_credential_id);
    if (!cred || cred.user_id !== p.user_id)
      throw new NotFound(
        `Could not find Application Credential: ${p.application_credential_id}.`,
        'identity.app_cred_not_found',
      );
    return cred;
  };

  app.get(`${PATH}/:application_credential_id`, async (req) => {
    authorize(ctx, req, 'get_application_credential', { user_id: params(req).user_id });
    const cred = await owned(req);
    return {
      application_credential: appCredView(
        ctx.base(req),
        cred,
        await roles.list(core.db, { ids: cred.role_ids }),
      ),
    };
  });

  app.delete(`${PATH}/:application_credential_id`, async (req, reply) => {
    authorize(ctx, req, 'delete_application_credential', { user_id: params(req).user_id });
    await appCreds.remove(core.db, (await owned(req)).id);
    reply.status(204).send();
  });
}
