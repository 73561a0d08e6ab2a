// /resource_classes and /resource_classes/{name} (1.2+; PUT is a bodiless create-or-update from 1.7).
import type { HandlerResult, RequestContext } from '../context.ts';
import { newest } from '../context.ts';
import { badRequest } from '../errors.ts';
import {
  createClass,
  deleteClass,
  findClass,
  getClass,
  listClasses,
  type ResourceClass,
  renameClass,
} from '../objects/resource-class.ts';
import { Rules } from '../policies.ts';
import { RESOURCE_CLASS } from '../schemas/misc.ts';
import { extractJson, schemaError } from '../schemas/validate.ts';

const classUrl = (name: string) => `/resource_classes/${name}`;
const view = (rc: ResourceClass) => ({ name: rc.name, links: [{ rel: 'self', href: classUrl(rc.name) }] });

export async function listResourceClasses(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RC_LIST);
  const rcs = await listClasses(ctx.deps.db);
  return {
    status: 200,
    body: { resource_classes: rcs.map(view) },
    lastModified: newest(
      rcs.map((r) => r.updated_at ?? r.created_at),
      ctx.deps.clock.now(),
    ),
  };
}

export async function getResourceClass(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RC_SHOW);
  const rc = await getClass(ctx.deps.db, ctx.params.name);
  return {
    status: 200,
    body: view(rc),
    lastModified: newest([rc.updated_at ?? rc.created_at], ctx.deps.clock.now()),
  };
}

export async function createResourceClass(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RC_CREATE);
  const { name } = extractJson<{ name: string }>(ctx.body, RESOURCE_CLASS);
  const rc = await createClass(ctx.deps.db, name, ctx.deps.clock.now());
  return { status: 201, location: classUrl(rc.name) };
}

/** 1.2–1.6: rename a custom class. */
export async function renameResourceClass(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RC_UPDATE);
  const { name } = extractJson<{ name: string }>(ctx.body, RESOURCE_CLASS);
  const rc = await getClass(ctx.deps.db, ctx.params.name);
  const renamed = await renameClass(ctx.deps.db, rc, name, ctx.deps.clock.now());
  return { status: 200, body: view(renamed) };
}

/** 1.7+: create the custom class when missing (201), else 204. */
export async function putResourceClass(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RC_UPDATE);
  const name = ctx.params.name;
  const why = schemaError(RESOURCE_CLASS, { name });
  if (why) throw badRequest(`JSON does not validate: ${why}`);
  if (await findClass(ctx.deps.db, name)) return { status: 204, location: classUrl(name) };
  try {
    await createClass(ctx.deps.db, name, ctx.deps.clock.now());
    return { status: 201, location: classUrl(name) };
  } catch (err) {
    if ((err as { status?: number }).status === 409) return { status: 204, location: classUrl(name) };
    throw err;
  }
}

export async function deleteResourceClass(ctx: RequestContext): Promise<HandlerResult> {
  ctx.can(Rules.RC_DELETE);
  const rc = await getClass(ctx.deps.db, ctx.params.name);
  await deleteClass(ctx.deps.db, rc);
  return { status: 204 };
}
