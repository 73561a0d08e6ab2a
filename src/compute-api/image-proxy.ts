// What upstream's deprecated images proxy (GET /images…, image metadata) does with the image
// service: translate Nova's v1-style filters to Glance v2 ones, page locally by id, and rewrite
// metadata (free-form properties) with the metadata_items quota checked.
import type { AuthContext } from '../auth/types.ts';
import type { NovaConf } from '../config/index.ts';
import { Forbidden, NotFound } from '../faults/fault.ts';
import { ImageClient, type ImageInfo } from '../image-client/client.ts';
import { imageEndpoints } from '../image-client/endpoint.ts';
import { ImageNotAuthorized, ImageNotFound } from '../image-client/errors.ts';
import { getProjectQuotas, type QuotaDeps } from './quotas.ts';

export function defaultImageClient(conf: NovaConf, auth: AuthContext): ImageClient {
  return new ImageClient({
    endpoints: imageEndpoints(conf, auth.catalog),
    token: auth.token,
    retries: conf.glance.num_retries,
  });
}

/** The image service's root URL (for the `alternate` link), without /v2. */
export function glanceRoot(conf: NovaConf, auth: AuthContext): string {
  return imageEndpoints(conf, auth.catalog)[0].replace(/\/+$/, '').replace(/\/v2$/, '');
}

const SUPPORTED: Readonly<Record<string, string>> = Object.freeze({
  name: 'name',
  status: 'status',
  'changes-since': 'changes-since',
  server: 'property-instance_uuid',
  type: 'property-image_type',
  minRam: 'min_ram',
  minDisk: 'min_disk',
});

/** Nova's query parameters → Glance v2 filters (images.py _get_filters + glance.py v2 mapping). */
export function glanceFilters(params: Readonly<Record<string, string>>): Record<string, string> {
  const nova: Record<string, string> = {};
  for (const [k, v] of Object.entries(params))
    if (k in SUPPORTED || k.startsWith('property-')) nova[SUPPORTED[k] ?? k] = v;
  const server = nova['property-instance_uuid'];
  if (server?.includes('/')) nova['property-instance_uuid'] = server.slice(server.lastIndexOf('/') + 1);
  if (nova.status) nova.status = nova.status.toLowerCase();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(nova)) {
    if (k.startsWith('property-')) out[k.slice('property-'.length)] = v;
    else if (k === 'changes-since') out.updated_at = `gte:${v}`;
    else out[k] = v;
  }
  return out;
}

/** Image lookups answer 404 "Image not found." (403 for metadata writes the caller may not do). */
export async function getImage(client: ImageClient, id: string): Promise<ImageInfo> {
  try {
    return await client.show(id);
  } catch (err) {
    if (err instanceof ImageNotFound) throw new NotFound('Image not found.', 'nova.image_not_found');
    throw err;
  }
}

/** 403 "Image metadata limit exceeded" beyond the project's metadata_items quota. */
export async function checkMetadataQuota(d: QuotaDeps, projectId: string, count: number): Promise<void> {
  if (count === 0) return;
  const limit = (await getProjectQuotas(d, projectId)).metadata_items?.limit ?? -1;
  if (limit >= 0 && count > limit) throw new Forbidden('Image metadata limit exceeded', 'nova.over_quota');
}

/** Replaces the image's free-form properties with `props` (purge_props=True). */
export async function replaceProperties(
  client: ImageClient,
  image: ImageInfo,
  props: Readonly<Record<string, string>>,
): Promise<ImageInfo> {
  const remove = Object.keys(image.properties).filter((k) => !(k in props));
  try {
    return await client.update(image.id, { set: props, remove });
  } catch (err) {
    if (err instanceof ImageNotAuthorized) throw new Forbidden(err.message, 'nova.image_not_authorized');
    throw err;
  }
}

/** DELETE /images/{id}: 404 not found, 403 when the image service refuses. */
export async function deleteImage(client: ImageClient, id: string): Promise<void> {
  try {
    await client.delete(id);
  } catch (err) {
    if (err instanceof ImageNotFound) throw new NotFound('Image not found.', 'nova.image_not_found');
    if (err instanceof ImageNotAuthorized)
      throw new Forbidden('You are not allowed to delete the image.', 'nova.image_not_authorized');
    throw err;
  }
}
