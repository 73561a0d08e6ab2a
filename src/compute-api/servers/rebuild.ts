// rebuild (POST /servers/{id}/action {"rebuild": …}): the server re-created from an image on its
// host, with what the request changes (name, metadata, key pair 2.54, user data 2.57, trusted
// certificates 2.63, hostname 2.90, access IPs, description 2.19). A new image is checked against
// the flavor and recorded in system metadata. ACTIVE/STOPPED/ERROR → REBUILD → ACTIVE (or STOPPED).
import { Conflict, Invalid } from '../../faults/fault.ts';
import type { ImageClient, ImageInfo } from '../../image-client/client.ts';
import { ImageNotFound } from '../../image-client/errors.ts';
import type { InstanceChanges } from '../../objects/instance.ts';
import * as instances from '../../objects/instance.ts';
import * as meta from '../../objects/instance-metadata.ts';
import * as keypairs from '../../objects/keypair.ts';
import { refId } from './create-input.ts';
import { checkImageFitsFlavor, imageMetaOf, imageSystemMetadata } from './image-meta.ts';
import { checkLock, checkState } from './lookup.ts';
import { type Acting, ctxOf, type MoveApiDeps, recordAction } from './move-support.ts';
import { changesOf } from './update.ts';

export interface RebuildRequest {
  readonly imageRef: string;
  readonly adminPass: string | null;
  readonly preserveEphemeral: boolean;
  readonly name?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly description?: string | null;
  /** null removes the key pair (2.54). */
  readonly keyName?: string | null;
  readonly userData?: string | null;
  readonly trustedCerts?: readonly string[] | null;
  readonly hostname?: string;
  readonly accessIPv4?: string | null;
  readonly accessIPv6?: string | null;
}

async function imageFor(images: ImageClient, id: string): Promise<ImageInfo> {
  try {
    return await images.show(id);
  } catch (err) {
    if (err instanceof ImageNotFound)
      throw new Invalid(`Image ${id} could not be found.`, 'nova.image_not_found');
    throw err;
  }
}

export async function rebuild(
  d: MoveApiDeps,
  a: Acting,
  images: ImageClient,
  r: RebuildRequest,
): Promise<void> {
  const { inst } = a;
  checkLock(inst, a.auth);
  checkState(inst, 'rebuild', { vmStates: ['active', 'stopped', 'error'] });
  if (!inst.host) throw new Conflict(`Instance ${inst.uuid} has no host.`, 'nova.instance_invalid_state');
  const imageId = refId(r.imageRef);
  const image = await imageFor(images, imageId);
  const changed = imageId !== inst.image_ref;
  if (changed) checkImageFitsFlavor(image, inst.flavor, false);
  const changes: Record<string, unknown> = { task_state: 'rebuilding', progress: 0 };
  if (changed) changes.image_ref = imageId;
  // name, description, hostname and access IPs as PUT /servers/{id} maps them (IPv6 canonical).
  Object.assign(
    changes,
    changesOf({
      name: r.name,
      description: r.description,
      hostname: r.hostname,
      accessIPv4: r.accessIPv4,
      accessIPv6: r.accessIPv6,
    }),
  );
  if (r.userData !== undefined) changes.user_data = r.userData;
  let keypairList: Record<string, unknown>[] | undefined;
  if (r.keyName !== undefined) {
    if (r.keyName === null) {
      changes.key_name = null;
      changes.key_data = null;
      keypairList = [];
    } else {
      const kp = await keypairs.find(d.apiDb, inst.user_id, r.keyName);
      if (!kp) throw new Invalid('Invalid key_name provided.', 'nova.invalid_key_name');
      changes.key_name = kp.name;
      changes.key_data = kp.public_key;
      keypairList = [
        { name: kp.name, public_key: kp.public_key, fingerprint: kp.fingerprint, type: kp.type },
      ];
    }
  }
  const now = d.clock.now();
  await instances.update(a.cell.db, inst.uuid, changes as InstanceChanges, now, {
    expectedTaskState: [null],
  });
  if (keypairList) await instances.setExtra(a.cell.db, inst.uuid, 'keypairs', keypairList, now);
  if (r.trustedCerts !== undefined)
    await instances.setExtra(a.cell.db, inst.uuid, 'trusted_certs', r.trustedCerts, now);
  if (r.metadata !== undefined)
    await meta.set(a.cell.db, 'instance_metadata', inst.uuid, r.metadata, true, now);
  if (changed) {
    const stale = Object.keys(inst.system_metadata).filter((k) => k.startsWith('image_'));
    await meta.removeKeys(a.cell.db, 'instance_system_metadata', inst.uuid, stale, now);
    await meta.set(a.cell.db, 'instance_system_metadata', inst.uuid, imageSystemMetadata(image), false, now);
  }
  await recordAction(d, a, 'rebuild');
  await d.backend.conductor.rebuildServer(ctxOf(a), {
    instance_uuid: inst.uuid,
    image_ref: imageId,
    orig_image_ref: inst.image_ref,
    image: changed ? imageMetaOf(image) : null,
    admin_password: r.adminPass,
    preserve_ephemeral: r.preserveEphemeral,
  });
}
