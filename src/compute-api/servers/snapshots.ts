// createImage, createBackup and the image of a shelve: the image record is made here (queued, with
// upstream's snapshot properties: image_type, instance_uuid, base_image_ref, user_id, owner, the
// inheritable image_* system metadata, min_ram/min_disk) and the instance's compute uploads it.

import { Conflict } from '../../faults/fault.ts';
import type { ImageClient, ImageInfo } from '../../image-client/client.ts';
import { ImageNotFound } from '../../image-client/errors.ts';
import type { Instance } from '../../objects/instance.ts';
import * as instances from '../../objects/instance.ts';
import { checkState } from './lookup.ts';
import { type Acting, ctxOf, type MoveApiDeps, recordAction } from './move-support.ts';

/** System metadata image_* keys that are not image properties. */
const NOT_PROPERTIES = new Set([
  'base_image_ref',
  'min_ram',
  'min_disk',
  'disk_format',
  'container_format',
  'name',
  'size',
  'checksum',
]);

/** The new image's attributes, as upstream's create_image builds them. */
export function snapshotImageMeta(
  d: Pick<MoveApiDeps, 'conf'>,
  inst: Instance,
  name: string,
  imageType: 'snapshot' | 'backup',
  userId: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const sm = inst.system_metadata;
  const skip = new Set(d.conf.DEFAULT.non_inheritable_image_properties);
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(sm)) {
    if (!k.startsWith('image_')) continue;
    const key = k.slice('image_'.length);
    if (NOT_PROPERTIES.has(key) || skip.has(key)) continue;
    props[key] = v;
  }
  return {
    name,
    visibility: 'private',
    disk_format: sm.image_disk_format ?? 'raw',
    container_format: sm.image_container_format ?? 'bare',
    min_ram: Math.max(Number(sm.image_min_ram ?? 0) || 0, 0),
    min_disk: Math.max(Number(sm.image_min_disk ?? 0) || 0, inst.flavor.root_gb),
    ...props,
    owner: inst.project_id,
    image_type: imageType,
    instance_uuid: inst.uuid,
    user_id: userId,
    ...(inst.image_ref ? { base_image_ref: inst.image_ref } : {}),
    // The caller's metadata wins over the defaults (upstream: properties.update(extra_properties)).
    ...extra,
  };
}

const SNAPSHOT_STATES = ['active', 'stopped', 'paused', 'suspended'];

async function startUpload(
  d: MoveApiDeps,
  a: Acting,
  images: ImageClient,
  meta: Record<string, unknown>,
  o: { task: string; action: string; rpc: string; args?: Record<string, unknown> },
): Promise<ImageInfo> {
  if (!a.inst.host) throw new Conflict(`Instance ${a.inst.uuid} has no host.`, 'nova.instance_invalid_state');
  const image = await images.create(meta);
  try {
    await instances.update(a.cell.db, a.inst.uuid, { task_state: o.task }, d.clock.now(), {
      expectedTaskState: [null],
    });
  } catch (err) {
    await images.delete(image.id).catch(() => {});
    throw err;
  }
  await recordAction(d, a, o.action);
  await d.backend.compute.cast(ctxOf(a), a.inst.host, o.rpc, {
    instance_uuid: a.inst.uuid,
    image_id: image.id,
    ...o.args,
  });
  return image;
}

/** createImage: task image_snapshot; the compute uploads. */
export async function createImage(
  d: MoveApiDeps,
  a: Acting,
  images: ImageClient,
  name: string,
  metadata: Readonly<Record<string, string>>,
): Promise<ImageInfo> {
  checkState(a.inst, 'createImage', { vmStates: SNAPSHOT_STATES });
  const meta = snapshotImageMeta(d, a.inst, name, 'snapshot', a.auth.user_id, metadata);
  return startUpload(d, a, images, meta, {
    task: 'image_snapshot',
    action: 'createImage',
    rpc: 'snapshot_instance',
  });
}

/** createBackup: task image_backup; the compute uploads then rotates. */
export async function createBackup(
  d: MoveApiDeps,
  a: Acting,
  images: ImageClient,
  r: { name: string; backupType: string; rotation: number; metadata: Readonly<Record<string, string>> },
): Promise<ImageInfo | null> {
  checkState(a.inst, 'createBackup', { vmStates: SNAPSHOT_STATES });
  const meta = snapshotImageMeta(d, a.inst, r.name, 'backup', a.auth.user_id, {
    ...r.metadata,
    backup_type: r.backupType,
  });
  return startUpload(d, a, images, meta, {
    task: 'image_backup',
    action: 'createBackup',
    rpc: 'backup_instance',
    args: { backup_type: r.backupType, rotation: r.rotation },
  });
}

/** The shelved image of a server, if Glance still has it. */
export async function shelvedImage(images: ImageClient, id: string): Promise<ImageInfo | undefined> {
  try {
    return await images.show(id);
  } catch (err) {
    if (err instanceof ImageNotFound) return undefined;
    throw err;
  }
}
