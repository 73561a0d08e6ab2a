// PUT/DELETE /v2/images/{image_id}/tags/{tag} (guarded by modify_image, as Glance).
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../faults/fault.ts';
import { authorizeImage } from '../access.ts';
import { type ImageCtx, loadAccess } from '../context.ts';
import { badRequest } from '../faults.ts';
import { addTag, removeTag } from '../repo/images.ts';

type TagParams = { Params: { image_id: string; tag: string } };

export function registerTagRoutes(app: FastifyInstance, ctx: ImageCtx): void {
  app.put<TagParams>('/v2/images/:image_id/tags/:tag', async (req, reply) => {
    const a = await loadAccess(ctx, req, req.params.image_id);
    authorizeImage(ctx.enforcer, 'modify_image', a);
    const tag = req.params.tag;
    if (tag.length > 255)
      throw badRequest(`Provided object does not match schema 'image': '${tag}' is too long`);
    await addTag(ctx.db, a.image.id, tag, ctx.clock.now());
    return reply.code(204).send();
  });

  app.delete<TagParams>('/v2/images/:image_id/tags/:tag', async (req, reply) => {
    const a = await loadAccess(ctx, req, req.params.image_id);
    authorizeImage(ctx.enforcer, 'modify_image', a);
    if (!(await removeTag(ctx.db, a.image.id, req.params.tag, ctx.clock.now())))
      throw new NotFound(`Tag ${req.params.tag} not found`, 'image.tag_not_found');
    return reply.code(204).send();
  });
}
