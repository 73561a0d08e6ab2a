// The image of a new server: looked up for the caller, checked against the flavor, and recorded
// in system metadata (image_* keys) as upstream does, so later operations know it without Glance.
import { Invalid } from '../../faults/fault.ts';
import type { ImageInfo } from '../../image-client/client.ts';
import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';
import type { ImageMeta } from '../../scheduler/types.ts';

const GiB = 1024 ** 3;

export function checkImageFitsFlavor(
  image: ImageInfo,
  flavor: EmbeddedFlavor,
  bootFromVolume: boolean,
): void {
  if (image.status !== 'active')
    throw new Invalid(`Image ${image.id} is not active.`, 'nova.image_not_active');
  if (flavor.memory_mb < (image.min_ram ?? 0))
    throw new Invalid("Flavor's memory is too small for requested image.", 'nova.flavor_memory_too_small');
  if (bootFromVolume || flavor.root_gb === 0) return;
  if ((image.min_disk ?? 0) > flavor.root_gb || (image.size ?? 0) > flavor.root_gb * GiB)
    throw new Invalid("Flavor's disk is too small for requested image.", 'nova.flavor_disk_too_small');
}

export function imageMetaOf(image: ImageInfo): ImageMeta {
  return {
    id: image.id,
    name: image.name,
    min_ram: image.min_ram ?? 0,
    min_disk: image.min_disk ?? 0,
    size: image.size,
    disk_format: image.disk_format,
    container_format: image.container_format,
    properties: image.properties,
  };
}

/** image_* system metadata of an instance booted from this image. */
export function imageSystemMetadata(image: ImageInfo): Record<string, string> {
  const out: Record<string, string> = {
    image_base_image_ref: image.id,
    image_min_ram: String(image.min_ram ?? 0),
    image_min_disk: String(image.min_disk ?? 0),
  };
  if (image.name) out.image_name = image.name;
  if (image.disk_format) out.image_disk_format = image.disk_format;
  if (image.container_format) out.image_container_format = image.container_format;
  if (image.size !== null && image.size !== undefined) out.image_size = String(image.size);
  for (const [k, v] of Object.entries(image.properties)) {
    const key = `image_${k}`.slice(0, 255);
    out[key] = String(v).slice(0, 255);
  }
  return out;
}
