// Schemas, import/store info and an image's tasks: what clients read to learn the API.
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../faults/fault.ts';
import { authorizeImage } from '../access.ts';
import { type ImageCtx, loadAccess } from '../context.ts';
import { IMAGE_SCHEMA, IMAGES_SCHEMA, MEMBER_SCHEMA, MEMBERS_SCHEMA } from '../schemas.ts';

const SCHEMAS = Object.freeze({
  image: IMAGE_SCHEMA,
  images: IMAGES_SCHEMA,
  member: MEMBER_SCHEMA,
  members: MEMBERS_SCHEMA,
});

export function registerDiscoveryRoutes(app: FastifyInstance, ctx: ImageCtx): void {
  for (const [name, schema] of Object.entries(SCHEMAS)) app.get(`/v2/schemas/${name}`, async () => schema);

  // Interoperable import is not offered: an empty method list, as Glance with none enabled.
  app.get('/v2/info/import', async () => ({
    'import-methods': { description: 'Import methods available.', type: 'array', value: [] },
  }));
  app.get('/v2/info/stores', async () => {
    throw new NotFound('Multi backend is not supported at this site.', 'image.no_multistore');
  });

  app.get<{ Params: { image_id: string } }>('/v2/images/:image_id/tasks', async (req) => {
    const a = await loadAccess(ctx, req, req.params.image_id);
    authorizeImage(ctx.enforcer, 'get_image', a);
    return { tasks: [] };
  });
}
