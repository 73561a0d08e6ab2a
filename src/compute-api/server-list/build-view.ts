// A build request seen as an instance (upstream's BuildRequest.instance): what the API lists and
// shows for a server the conductor has not put in a cell yet — status BUILD, no host, no addresses.
import type { BuildRequest } from '../../objects/build-request.ts';
import type { Instance } from '../../objects/instance.ts';

const date = (v: unknown): Date | null => {
  if (v instanceof Date) return v;
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
};

/** `seq` stands in for the row id (build requests sort by it after created_at). */
export function instanceOfBuild(b: BuildRequest, seq: number): Instance {
  const n = b.instance;
  const created = b.created_at ?? date(n.created_at);
  return Object.freeze({
    id: seq,
    uuid: b.instance_uuid,
    hostname: n.hostname ?? null,
    project_id: b.project_id,
    user_id: b.user_id ?? n.user_id,
    image_ref: n.image_ref,
    kernel_id: n.kernel_id ?? null,
    ramdisk_id: n.ramdisk_id ?? null,
    key_name: n.key_name ?? null,
    key_data: n.key_data ?? null,
    user_data: n.user_data ?? null,
    vm_state: n.vm_state ?? 'building',
    task_state: n.task_state ?? null,
    power_state: n.power_state ?? 0,
    host: null,
    node: null,
    launch_index: n.launch_index ?? 0,
    memory_mb: n.flavor?.memory_mb ?? 0,
    vcpus: n.flavor?.vcpus ?? 0,
    root_gb: n.flavor?.root_gb ?? 0,
    ephemeral_gb: n.flavor?.ephemeral_gb ?? 0,
    instance_type_id: n.instance_type_id ?? null,
    progress: 0,
    reservation_id: n.reservation_id ?? null,
    availability_zone: n.availability_zone ?? null,
    display_name: n.display_name,
    display_description: n.display_description ?? null,
    launched_on: null,
    locked: n.locked ?? false,
    locked_by: n.locked_by ?? null,
    os_type: n.os_type ?? null,
    architecture: n.architecture ?? null,
    vm_mode: n.vm_mode ?? null,
    root_device_name: n.root_device_name ?? null,
    config_drive: n.config_drive ?? '',
    access_ip_v4: n.access_ip_v4 ?? null,
    access_ip_v6: n.access_ip_v6 ?? null,
    auto_disk_config: n.auto_disk_config ?? false,
    hidden: false,
    launched_at: null,
    terminated_at: null,
    scheduled_at: null,
    created_at: created,
    updated_at: created,
    deleted_at: null,
    deleted: false,
    flavor: n.flavor,
    old_flavor: null,
    new_flavor: null,
    metadata: n.metadata ?? {},
    system_metadata: n.system_metadata ?? {},
    tags: b.tags.length > 0 ? b.tags : (n.tags ?? []),
    fault: null,
    network_info: [],
    keypairs: n.keypairs ?? [],
    trusted_certs: n.trusted_certs ?? null,
  });
}
