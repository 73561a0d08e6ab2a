// Server views by microversion (upstream views/servers.py): the brief {id, name, links} of
// GET /servers and the full body of GET /servers/detail and GET /servers/{id}, up to 2.100
// (scheduler hints). Build requests come in as instances with status BUILD.
import { createHash } from 'node:crypto';
import { addressesOf } from '../../../compute-api/server-list/addresses.ts';
import type { ServerExtras } from '../../../compute-api/server-list/extras.ts';
import { statusOf } from '../../../compute-api/server-list/status.ts';
import type { Instance } from '../../../objects/instance.ts';
import { instanceName } from '../../../objects/instance.ts';
import type { ApiVersion } from '../microversion.ts';
import type { Links } from '../routing/links.ts';
import { isoSeconds, isoTime } from './time.ts';

export {
  SERVER_STATUSES,
  STATE_MAP,
  statesForStatuses,
  statusOf,
} from '../../../compute-api/server-list/status.ts';

/** Which host statuses the caller may see (show:host_status, else show:host_status:unknown-only). */
export type HostStatusPolicy = 'all' | 'unknown-only' | null;

export interface ServerViewOptions {
  readonly mv: ApiVersion;
  readonly links: Links;
  /** context.is_admin: fault details of 500 faults are shown to admins only. */
  readonly admin: boolean;
  /** os_compute_api:os-extended-server-attributes passed. */
  readonly extendedAttributes: boolean;
  /** 2.47+: os_compute_api:servers:show:flavor-extra-specs passed. */
  readonly extraSpecs: boolean;
  readonly hostStatus: HostStatusPolicy;
  /** GET /servers/{id} (server groups from 2.71; scheduler hints {} without a request spec). */
  readonly show?: boolean;
  /** The server is only a build request: no cell row id, so no instance name. */
  readonly isBuild?: boolean;
}

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);
const FAULT_STATUSES = new Set(['ERROR', 'DELETED']);

/** Image property names upstream knows (ImageMetaProps fields and their legacy aliases), for 2.98. */
const IMAGE_PROPERTIES: ReadonlySet<string> = new Set([
  ...'architecture auto_disk_config block_device_mapping bdm_v2 bittorrent cache_in_nova hypervisor_type hypervisor_version_requires ipxe_boot mappings owner_id root_device_name vm_mode vmware_disktype vmware_image_version vmware_linked_clone vmware_ostype xenapi_device_id xenapi_image_compression_level xenapi_skip_agent_inject_files_at_boot xenapi_skip_agent_inject_ssh xenapi_use_agent'.split(
    ' ',
  ),
  ...'architecture auto_disk_config boot_menu cdrom_bus cpu_cores cpu_max_cores cpu_max_sockets cpu_max_threads cpu_policy cpu_realtime_mask cpu_sockets cpu_thread_policy cpu_threads device_id disk_bus disk_type emulation_architecture ephemeral_encryption ephemeral_encryption_format ephemeral_encryption_secret_uuid firmware_stateless firmware_type floppy_bus input_bus ipxe_boot locked_memory machine_type maxphysaddr_bits maxphysaddr_mode mem_encryption mem_encryption_model mem_page_size numa_cpus numa_mem numa_nodes pci_numa_affinity_policy pmu pointer_model qemu_guest_agent redirected_usb_ports rescue_bus rescue_device rng_model scsi_model serial_port_count sound_model time_hpet tpm_model tpm_version usb_model video_model video_ram vif_model vif_multiqueue_enabled viommu_model virtio_packed_ring vm_mode watchdog_action'
    .split(' ')
    .map((k) => `hw_${k}`),
  ...'bdm_v2 bittorrent block_device_mapping cache_in_nova compression_level config_drive hide_hypervisor_id hv_requested_version hv_type linked_clone mappings owner_id root_device_name signature signature_certificate_uuid signature_hash_method signature_key_type use_agent version'
    .split(' ')
    .map((k) => `img_${k}`),
  ...'admin_user command_line distro require_quiesce secure_boot skip_agent_inject_files_at_boot skip_agent_inject_ssh type'
    .split(' ')
    .map((k) => `os_${k}`),
  'traits_required',
]);

/** upstream utils.generate_hostid: sha224 of project id + host, '' without a host. */
export function hostId(host: string | null, projectId: string): string {
  return host ? createHash('sha224').update(`${projectId}${host}`).digest('hex') : '';
}

const bookmark = (links: Links, collection: string, id: string) =>
  links.item(collection, id).filter((l) => l.rel === 'bookmark');

/** The last path segment of an image href (image_ref may be a URL). */
const idFromHref = (ref: string) => ref.split('?')[0].split('/').pop() ?? ref;

function imageView(inst: Instance, o: ServerViewOptions): unknown {
  if (!inst.image_ref) return '';
  const id = idFromHref(inst.image_ref);
  const image: Record<string, unknown> = { id, links: bookmark(o.links, 'images', id) };
  if (o.mv.atLeast('2.98')) {
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries(inst.system_metadata)) {
      if (!k.startsWith('image_') || v === null || v === undefined) continue;
      const name = k.slice('image_'.length);
      if (IMAGE_PROPERTIES.has(name)) props[name] = v;
    }
    image.properties = props;
  }
  return image;
}

function flavorView(inst: Instance, o: ServerViewOptions): unknown {
  const f = inst.flavor;
  if (!f) return {};
  if (o.mv.atLeast('2.47'))
    return {
      vcpus: f.vcpus,
      ram: f.memory_mb,
      disk: f.root_gb,
      ephemeral: f.ephemeral_gb,
      swap: f.swap,
      original_name: f.name,
      ...(o.extraSpecs && { extra_specs: { ...(f.extra_specs ?? {}) } }),
    };
  return { id: String(f.flavorid), links: bookmark(o.links, 'flavors', String(f.flavorid)) };
}

/** {label: [{version, addr, OS-EXT-IPS:type, OS-EXT-IPS-MAC:mac_addr}]}: fixed then floating per network. */
export function addressesView(inst: Pick<Instance, 'vm_state' | 'network_info'>): Record<string, unknown[]> {
  if (inst.vm_state === 'building') return {};
  const byLabel = new Map<string, { fixed: unknown[]; floating: unknown[] }>();
  for (const a of addressesOf(inst.network_info)) {
    const entry = byLabel.get(a.label) ?? { fixed: [], floating: [] };
    (a.type === 'fixed' ? entry.fixed : entry.floating).push({
      version: a.version,
      addr: a.address,
      'OS-EXT-IPS:type': a.type,
      'OS-EXT-IPS-MAC:mac_addr': a.mac,
    });
    byLabel.set(a.label, entry);
  }
  return Object.fromEntries([...byLabel].map(([label, e]) => [label, [...e.fixed, ...e.floating]]));
}

function faultView(inst: Instance, admin: boolean): Record<string, unknown> | undefined {
  const f = inst.fault;
  if (!f) return undefined;
  return {
    code: f.code,
    created: isoSeconds(f.created_at),
    message: f.message,
    ...(f.details && (admin || f.code !== 500) && { details: f.details }),
  };
}

/** The non-detail view: id, name, links. */
export function serverBrief(inst: Instance, links: Links): Record<string, unknown> {
  return { id: inst.uuid, name: inst.display_name, links: links.item('servers', inst.uuid) };
}

/** The full server body of show and detail at the request's microversion. */
export function serverDetail(
  inst: Instance,
  extras: ServerExtras,
  o: ServerViewOptions,
): Record<string, unknown> {
  const mv = o.mv;
  const status = statusOf(inst.vm_state, inst.task_state, inst.deleted);
  const v: Record<string, unknown> = {
    id: inst.uuid,
    name: inst.display_name,
    status,
    tenant_id: inst.project_id || '',
    user_id: inst.user_id || '',
    metadata: { ...inst.metadata },
    hostId: hostId(inst.host, inst.project_id),
    image: imageView(inst, o),
    flavor: flavorView(inst, o),
    created: isoSeconds(inst.created_at),
    updated: isoSeconds(inst.updated_at ?? inst.created_at),
    addresses: addressesView(inst),
    accessIPv4: inst.access_ip_v4 ?? '',
    accessIPv6: inst.access_ip_v6 ?? '',
    links: o.links.item('servers', inst.uuid),
    'OS-DCF:diskConfig': inst.auto_disk_config ? 'AUTO' : 'MANUAL',
  };
  if (FAULT_STATUSES.has(status)) {
    const fault = faultView(inst, o.admin);
    if (fault) v.fault = fault;
  }
  if (PROGRESS_STATUSES.has(status)) v.progress = inst.progress ?? 0;
  v['OS-EXT-AZ:availability_zone'] = extras.availabilityZone ?? '';
  v.config_drive = inst.config_drive ?? '';
  v.key_name = inst.key_name;
  v['OS-SRV-USG:launched_at'] = isoTime(inst.launched_at);
  v['OS-SRV-USG:terminated_at'] = isoTime(inst.terminated_at);
  // As upstream, a server whose ports have no security group shows no security_groups key.
  if (extras.securityGroups.length > 0)
    v.security_groups = extras.securityGroups.map((g) => ({ name: g.name }));
  if (o.extendedAttributes) {
    v['OS-EXT-SRV-ATTR:host'] = inst.host;
    v['OS-EXT-SRV-ATTR:instance_name'] = o.isBuild ? '' : instanceName(inst.id);
    v['OS-EXT-SRV-ATTR:hypervisor_hostname'] = inst.node;
    if (mv.atLeast('2.3')) {
      v['OS-EXT-SRV-ATTR:hostname'] = inst.hostname;
      v['OS-EXT-SRV-ATTR:kernel_id'] = inst.kernel_id;
      v['OS-EXT-SRV-ATTR:launch_index'] = inst.launch_index;
      v['OS-EXT-SRV-ATTR:ramdisk_id'] = inst.ramdisk_id;
      v['OS-EXT-SRV-ATTR:reservation_id'] = inst.reservation_id;
      v['OS-EXT-SRV-ATTR:root_device_name'] = inst.root_device_name;
      v['OS-EXT-SRV-ATTR:user_data'] = inst.user_data;
    }
  }
  v['OS-EXT-STS:task_state'] = inst.task_state;
  v['OS-EXT-STS:vm_state'] = inst.vm_state;
  v['OS-EXT-STS:power_state'] = inst.power_state;
  v['os-extended-volumes:volumes_attached'] = extras.volumes.map((x) =>
    mv.atLeast('2.3') ? { id: x.id, delete_on_termination: x.delete_on_termination } : { id: x.id },
  );
  if (mv.atLeast('2.9')) v.locked = Boolean(inst.locked_by);
  if (mv.atLeast('2.16') && o.hostStatus !== null && extras.hostStatus !== undefined) {
    if (o.hostStatus === 'all' || extras.hostStatus === 'UNKNOWN') v.host_status = extras.hostStatus;
  }
  if (mv.atLeast('2.19')) v.description = inst.display_description;
  if (mv.atLeast('2.26')) v.tags = [...inst.tags];
  if (mv.atLeast('2.63')) v.trusted_image_certificates = inst.trusted_certs ? [...inst.trusted_certs] : null;
  if (o.show && mv.atLeast('2.71')) v.server_groups = [...(extras.serverGroups ?? [])];
  if (mv.atLeast('2.73')) v.locked_reason = inst.system_metadata.locked_reason ?? null;
  if (mv.atLeast('2.90') && !o.extendedAttributes) v['OS-EXT-SRV-ATTR:hostname'] = inst.hostname;
  if (mv.atLeast('2.96')) v.pinned_availability_zone = extras.spec?.availability_zone ?? null;
  if (mv.atLeast('2.100'))
    v.scheduler_hints = extras.spec ? { ...extras.spec.scheduler_hints } : o.show ? {} : null;
  return v;
}
