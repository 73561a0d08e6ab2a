// /v2/images and /v2/images/{image_id}: create, list, show, delete.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { newUuid } from '../../common/ids.ts';
import { authorizeImage, authorizeVisibility, proposedTarget } from '../access.ts';
import { callerOfRequest, type ImageCtx, loadAccess } from '../context.ts';
import { badRequest, imageProtected, notAuthorized, notPermittedOwner, readOnly } from '../faults.ts';
import { listImages } from '../list-images.ts';
import { parseListQuery, type Query } from '../list-query.ts';
import type { Visibility, WritableCore } from '../model.ts';
import { checkPropertyName } from '../properties.ts';
import { createImage, markDeleted } from '../repo/images.ts';
import { checkImage } from '../schemas.ts';
import { imageView } from '../views.ts';

type IdParams = { Params: { image_id: string } };

/** Keys a create body may not carry at all, and those only the service sets. */
const DISALLOWED = ['direct_url', 'self', 'file', 'schema', 'stores'];
const READ_ONLY_ON_CREATE = [
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
];
const CORE_WRITABLE = [
  'id',
  'name',
  'visibility',
  'protected',
  'os_hidden',
  'owner',
  'min_disk',
  'min_ram',
  'disk_format',
  'container_format',
  'tags',
];

export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) throw badRequest('Body expected in request.');
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest("Provided object does not match schema 'image': body is not of type 'object'");
  return body as Record<string, unknown>;
}

function parseCreate(body: Record<string, unknown>) {
  for (const k of DISALLOWED) if (k in body) throw readOnly(k);
  checkImage(body);
  for (const k of READ_ONLY_ON_CREATE) if (k in body) throw readOnly(k);
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (CORE_WRITABLE.includes(k)) continue;
    checkPropertyName(k);
    properties[k] = v as string;
  }
  return { core: body as Partial<WritableCore> & { id?: string; tags?: string[] }, properties };
}

async function create(ctx: ImageCtx, req: FastifyRequest) {
  const caller = callerOfRequest(ctx, req);
  const { core, properties } = parseCreate(bodyObject(req.body));
  const target = proposedTarget(core.owner, core.visibility, caller);
  if (!ctx.enforcer.enforce('add_image', target, caller.auth)) {
    if (target.owner !== caller.project) throw notPermittedOwner(String(target.owner));
    throw notAuthorized('add_image');
  }
  if (core.visibility) authorizeVisibility(ctx.enforcer, core.visibility, target, caller);
  return createImage(
    ctx.db,
    {
      id: core.id ?? newUuid(),
      name: core.name ?? null,
      visibility: (core.visibility ?? 'shared') as Visibility,
      min_disk: core.min_disk ?? 0,
      min_ram: core.min_ram ?? 0,
      owner: core.owner ?? caller.project ?? null,
      protected: core.protected ?? false,
      os_hidden: core.os_hidden ?? false,
      disk_format: core.disk_format ?? null,
      container_format: core.container_format ?? null,
      tags: core.tags ?? [],
      properties,
    },
    ctx.clock.now(),
  );
}

/** The query string without `marker`, as Glance echoes it in `first` and `next`. */
function queryWithout(url: string, drop: string): URLSearchParams {
  const params = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  params.delete(drop);
  return params;
}

export function registerImageRoutes(app: FastifyInstance, ctx: ImageCtx): void {
  app.post('/v2/images', async (req, reply) => {
    const image = await create(ctx, req);
    const host = req.headers.host ?? 'localhost';
    return reply
      .code(201)
      .header('location', `${req.protocol}://${host}/v2/images/${image.id}`)
      .send(imageView(image));
  });

  app.get('/v2/images', async (req) => {
    const caller = callerOfRequest(ctx, req);
    if (!ctx.enforcer.enforce('get_images', { project_id: caller.project }, caller.auth))
      throw notAuthorized('get_images');
    const page = await listImages(ctx, caller, parseListQuery(req.query as Query));
    const params = queryWithout(req.url, 'marker');
    const qs = params.toString();
    const body: Record<string, unknown> = {
      images: page.images.map(imageView),
      first: qs ? `/v2/images?${qs}` : '/v2/images',
      schema: '/v2/schemas/images',
    };
    if (page.nextMarker) {
      params.set('marker', page.nextMarker);
      body.next = `/v2/images?${params.toString()}`;
    }
    return body;
  });

  app.get<IdParams>('/v2/images/:image_id', async (req) => {
    const a = await loadAccess(ctx, req, req.params.image_id);
    authorizeImage(ctx.enforcer, 'get_image', a);
    return imageView(a.image);
  });

  app.delete<IdParams>('/v2/images/:image_id', async (req, reply) => {
    const a = await loadAccess(ctx, req, req.params.image_id);
    authorizeImage(ctx.enforcer, 'delete_image', a);
    if (a.image.protected) throw imageProtected(a.image.id);
    await markDeleted(ctx.db, a.image.id, ctx.clock.now());
    await ctx.store.remove(a.image.id);
    return reply.code(204).send();
  });
}
