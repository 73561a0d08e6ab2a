// PATCH /v2/images/{image_id}: Glance's JSON-patch update of core attributes, properties and tags.
import type { FastifyInstance } from 'fastify';
import { authorizeImage, authorizeVisibility, imageTarget } from '../access.ts';
import { type ImageCtx, loadAccess } from '../context.ts';
import { imageNotFound } from '../faults.ts';
import { applyChanges, draftOf, parseChanges } from '../patch.ts';
import { updateImage } from '../repo/images.ts';
import { imageView } from '../views.ts';

export function registerImagePatchRoute(app: FastifyInstance, ctx: ImageCtx): void {
  app.patch<{ Params: { image_id: string } }>('/v2/images/:image_id', async (req) => {
    const changes = parseChanges(req.body, draftOf(req.headers['content-type']));
    const a = await loadAccess(ctx, req, req.params.image_id);
    const target = imageTarget(a.image, a.caller, a.membership);
    const updates = applyChanges(a.image, changes, {
      admin: a.caller.admin,
      authorize(attr, value) {
        if (attr === 'visibility') authorizeVisibility(ctx.enforcer, String(value), target, a.caller);
        authorizeImage(ctx.enforcer, 'modify_image', a);
      },
    });
    if (changes.length === 0) return imageView(a.image);
    const updated = await updateImage(ctx.db, a.image.id, updates, ctx.clock.now());
    if (!updated) throw imageNotFound(a.image.id);
    return imageView(updated);
  });
}
