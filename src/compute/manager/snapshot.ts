// createImage / createBackup / shelve on the compute: the guest's disk uploaded to an image the
// API already created (queued). Task states image_snapshot|image_backup → image_pending_upload →
// image_uploading → none. A backup then rotates: older backups of the instance with the same
// backup_type beyond `rotation` are deleted.
import type { ImageClient } from '../../image-client/client.ts';
import type { Instance } from '../../objects/instance.ts';
import type { RequestContext, RpcMethod } from '../../rpc/index.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { instanceAction, update } from './instance-ops.ts';

export async function imageClient(deps: ComputeManagerDeps): Promise<ImageClient> {
  if (!deps.images)
    throw new Error(`The compute on ${deps.host} has no image service configured ([glance]).`);
  return deps.images();
}

/** Uploads the guest's disk to the image (created by the API, status queued). */
export async function uploadSnapshot(
  deps: ComputeManagerDeps,
  inst: Instance,
  imageId: string,
): Promise<void> {
  const images = await imageClient(deps);
  await deps.driver.snapshot(toDriverInstance(inst), {
    // The image says what the driver wrote (upstream: the snapshot's disk_format, container bare).
    upload: async (data, diskFormat) => {
      const current = await images.show(imageId);
      if (current.disk_format !== diskFormat)
        await images.update(imageId, { set: { disk_format: diskFormat, container_format: 'bare' } });
      await images.upload(imageId, data);
    },
  });
}

interface SnapshotArgs {
  readonly instance_uuid: string;
  readonly image_id: string;
  readonly backup_type?: string;
  readonly rotation?: number;
}

async function rotateBackups(deps: ComputeManagerDeps, inst: Instance, type: string, rotation: number) {
  const images = await imageClient(deps);
  const backups = (
    await images.list({ instance_uuid: inst.uuid, image_type: 'backup', backup_type: type })
  ).filter(
    (i) =>
      i.properties.instance_uuid === inst.uuid &&
      i.properties.backup_type === type &&
      i.properties.image_type === 'backup',
  );
  backups.sort((x, y) => (x.created_at < y.created_at ? 1 : x.created_at > y.created_at ? -1 : 0));
  for (const old of backups.slice(rotation)) {
    await images
      .delete(old.id)
      .catch((err: unknown) => deps.log.warn({ err, image: old.id }, 'rotation: delete failed'));
  }
}

async function snapshotInstance(
  deps: ComputeManagerDeps,
  ctx: RequestContext,
  a: SnapshotArgs,
  backup: boolean,
) {
  await instanceAction(
    deps,
    ctx,
    a.instance_uuid,
    backup ? 'backup_instance' : 'snapshot_instance',
    async (inst) => {
      try {
        await update(deps, ctx, inst.uuid, { task_state: 'image_pending_upload' }, [
          backup ? 'image_backup' : 'image_snapshot',
        ]);
        await update(deps, ctx, inst.uuid, { task_state: 'image_uploading' }, ['image_pending_upload']);
        await uploadSnapshot(deps, inst, a.image_id);
        await update(deps, ctx, inst.uuid, { task_state: null }, ['image_uploading']);
      } catch (err) {
        // A half-made image is of no use to anyone.
        await (await imageClient(deps).catch(() => undefined))?.delete(a.image_id).catch(() => {});
        throw err;
      }
      if (backup && a.backup_type !== undefined && a.rotation !== undefined)
        await rotateBackups(deps, inst, a.backup_type, a.rotation);
    },
  );
}

export function snapshotMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  return {
    snapshot_instance: async (ctx, a: SnapshotArgs) => {
      await snapshotInstance(deps, ctx, a, false);
      return null;
    },
    backup_instance: async (ctx, a: SnapshotArgs) => {
      await snapshotInstance(deps, ctx, a, true);
      return null;
    },
  };
}
