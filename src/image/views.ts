// Records → Glance's JSON bodies.
import type { Image, ImageMember } from './model.ts';

/** Glance's timeutils.isotime: seconds precision, Z. */
export const isoTime = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

export function imageView(img: Image): Record<string, unknown> {
  return {
    ...img.properties,
    name: img.name,
    disk_format: img.disk_format,
    container_format: img.container_format,
    visibility: img.visibility,
    size: img.size,
    virtual_size: img.virtual_size,
    status: img.status,
    checksum: img.checksum,
    protected: img.protected,
    min_ram: img.min_ram,
    min_disk: img.min_disk,
    owner: img.owner,
    os_hidden: img.os_hidden,
    os_hash_algo: img.os_hash_algo,
    os_hash_value: img.os_hash_value,
    id: img.id,
    created_at: isoTime(img.created_at),
    updated_at: isoTime(img.updated_at),
    tags: [...img.tags],
    self: `/v2/images/${img.id}`,
    file: `/v2/images/${img.id}/file`,
    schema: '/v2/schemas/image',
  };
}

export function memberView(m: ImageMember): Record<string, unknown> {
  return {
    created_at: isoTime(m.created_at),
    image_id: m.image_id,
    member_id: m.member_id,
    schema: '/v2/schemas/member',
    status: m.status,
    updated_at: isoTime(m.updated_at),
  };
}
