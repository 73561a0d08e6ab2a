// An Instance (as the conductor returns it) as the virt driver sees it.
import type { Instance } from '../../objects/instance.ts';
import type { ImageMeta } from '../../scheduler/types.ts';
import type { DriverInstance, DriverVif } from '../../virt/driver.ts';

/** The image as recorded in system metadata at build (image_* keys, upstream's convention). */
export function imageMetaOf(inst: Pick<Instance, 'image_ref' | 'system_metadata'>): ImageMeta {
  const sm = inst.system_metadata;
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(sm)) {
    if (!k.startsWith('image_')) continue;
    const key = k.slice('image_'.length);
    if (
      ['min_ram', 'min_disk', 'disk_format', 'container_format', 'base_image_ref', 'name', 'size'].includes(
        key,
      )
    )
      continue;
    props[key] = v;
  }
  return {
    ...(inst.image_ref ? { id: inst.image_ref } : {}),
    name: sm.image_name ?? null,
    min_ram: Number(sm.image_min_ram ?? 0) || 0,
    min_disk: Number(sm.image_min_disk ?? 0) || 0,
    size: sm.image_size ? Number(sm.image_size) : null,
    disk_format: sm.image_disk_format ?? null,
    container_format: sm.image_container_format ?? null,
    properties: props,
  };
}

function vifs(inst: Instance): DriverVif[] {
  return inst.network_info.map((v) => {
    const net = (v.network ?? {}) as { id?: unknown; bridge?: unknown };
    return {
      id: String(v.id ?? ''),
      address: String(v.address ?? ''),
      ...(typeof v.devname === 'string' ? { devname: v.devname } : {}),
      ...(typeof net.id === 'string' ? { network_id: net.id } : {}),
      ...(typeof net.bridge === 'string' ? { bridge: net.bridge } : {}),
      ...(typeof v.active === 'boolean' ? { active: v.active } : {}),
    };
  });
}

export function toDriverInstance(inst: Instance): DriverInstance {
  return {
    uuid: inst.uuid,
    name: `instance-${inst.id.toString(16).padStart(8, '0')}`,
    hostname: inst.hostname ?? inst.display_name ?? inst.uuid,
    display_name: inst.display_name ?? '',
    project_id: inst.project_id,
    user_id: inst.user_id,
    flavor: inst.flavor,
    image_ref: inst.image_ref,
    image: imageMetaOf(inst),
    key_data: inst.key_data,
    user_data: inst.user_data,
    metadata: inst.metadata,
    config_drive: inst.config_drive === 'True' || inst.config_drive === 'true' || inst.config_drive === '1',
    availability_zone: inst.availability_zone,
    network_info: vifs(inst),
    node: inst.node,
    power_state: inst.power_state,
  };
}
