// rebuild_server (a plain rebuild, not an evacuation): with a new image the scheduler re-checks the
// instance's host with the runOnRebuild filters (nothing claimed); a host that no longer suits the
// image puts the instance in ERROR with its old image_ref back, as upstream. Then the compute rebuilds.
import * as requestSpecs from '../objects/request-spec.ts';
import type { RequestContext } from '../rpc/index.ts';
import type { ImageMeta } from '../scheduler/types.ts';
import { conductorEvent, instanceCell, type MoveDeps, moveSpec, undoMove } from './move-support.ts';

export interface RebuildServerArgs {
  readonly instance_uuid: string;
  readonly image_ref: string;
  readonly orig_image_ref: string | null;
  /** The new image as the scheduler sees it (when it changed). */
  readonly image: ImageMeta | null;
  readonly admin_password: string | null;
  readonly preserve_ephemeral: boolean;
}

export async function rebuildServer(d: MoveDeps, ctx: RequestContext, a: RebuildServerArgs): Promise<void> {
  const { cell, inst } = await instanceCell(d, a.instance_uuid);
  if (!inst.host) return;
  if (a.image && a.image_ref !== a.orig_image_ref) {
    const image = a.image;
    try {
      await conductorEvent(d, ctx, cell, inst.uuid, 'rebuild_server', async () => {
        const spec = await moveSpec(d, cell, inst, {
          operation: 'rebuild',
          host: inst.host,
          node: inst.node,
        });
        await d.scheduler.selectDestinations(ctx, { ...spec, image }, [inst.uuid], false);
        const stored = await requestSpecs.find(d.apiDb, inst.uuid);
        if (stored) await requestSpecs.save(d.apiDb, { ...stored, image }, d.clock.now());
      });
    } catch (err) {
      d.log.warn({ err, instance: inst.uuid }, 'rebuild refused by the scheduler');
      await undoMove(d, cell, inst, null, err, {
        vm_state: 'error',
        ...(a.orig_image_ref !== null ? { image_ref: a.orig_image_ref } : {}),
      });
      return;
    }
  }
  await d.compute.cast(ctx, inst.host, 'rebuild_instance', {
    instance_uuid: inst.uuid,
    image_ref: a.image_ref,
    admin_password: a.admin_password,
    preserve_ephemeral: a.preserve_ephemeral,
  });
}
