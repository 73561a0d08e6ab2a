// POST /v2/images/{image_id}/actions/deactivate|reactivate.
import type { FastifyInstance } from 'fastify';
import { Forbidden } from '../../faults/fault.ts';
import { authorizeImage } from '../access.ts';
import { type ImageCtx, loadAccess } from '../context.ts';
import type { ImageStatus } from '../model.ts';
import { transition } from '../repo/images.ts';

const ACTIONS: Readonly<Record<string, { from: ImageStatus; to: ImageStatus }>> = Object.freeze({
  deactivate: { from: 'active', to: 'deactivated' },
  reactivate: { from: 'deactivated', to: 'active' },
});

export function registerActionRoutes(app: FastifyInstance, ctx: ImageCtx): void {
  for (const [action, { from, to }] of Object.entries(ACTIONS)) {
    app.post<{ Params: { image_id: string } }>(
      `/v2/images/:image_id/actions/${action}`,
      async (req, reply) => {
        const a = await loadAccess(ctx, req, req.params.image_id);
        authorizeImage(ctx.enforcer, action, a);
        const status = a.image.status;
        if (status !== to) {
          if (status !== from || !(await transition(ctx.db, a.image.id, [from], to, {}, ctx.clock.now())))
            throw new Forbidden(`Not allowed to ${action} image in status '${status}'`, 'image.bad_action');
        }
        return reply.code(204).send();
      },
    );
  }
}
