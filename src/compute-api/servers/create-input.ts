// Reading a POST /servers body into what the build needs: flavor, boot source, availability zone
// and forced host, networks, scheduler hints. Each refusal is upstream's 400 with its message.

import type { RequestedNetwork } from '../../compute/rpcapi.ts';
import type { Database } from '../../db/connect.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import { Invalid } from '../../faults/fault.ts';
import * as aggregates from '../../objects/aggregate.ts';
import type { RequestedBdm } from '../../objects/build-request.ts';
import * as flavors from '../../objects/flavor.ts';
import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';

/** The last path segment of a reference that may be a URL (flavorRef, imageRef). */
export function refId(ref: string | number): string {
  const s = String(ref).trim();
  const parts = s.split('/');
  return parts[parts.length - 1];
}

export function embedFlavor(f: flavors.Flavor): EmbeddedFlavor {
  return {
    name: f.name,
    flavorid: f.flavorid,
    memory_mb: f.memory_mb,
    vcpus: f.vcpus,
    root_gb: f.root_gb,
    ephemeral_gb: f.ephemeral_gb,
    swap: f.swap,
    extra_specs: f.extra_specs,
    description: f.description,
  };
}

export async function flavorFor(
  apiDb: Database<ApiDb>,
  ref: string | number,
  projectId: string,
  isAdmin: boolean,
): Promise<flavors.Flavor> {
  const id = refId(ref);
  const notFound = new Invalid(`Flavor ${id} could not be found.`, 'nova.flavor_not_found');
  const f = await flavors.findByFlavorId(apiDb, id);
  if (!f || f.disabled) throw notFound;
  if (!f.is_public && !isAdmin && !(await flavors.projectHasAccess(apiDb, f, projectId))) throw notFound;
  return f;
}

export interface BootSource {
  /** The image to boot from (imageRef, or the image of a local boot BDM), if any. */
  readonly imageId: string | null;
  readonly bootFromVolume: boolean;
  readonly bdms: RequestedBdm[];
}

// biome-ignore lint/suspicious/noExplicitAny: validated request body
export function bootSource(server: any): BootSource {
  const imageRef =
    typeof server.imageRef === 'string' && server.imageRef.trim() !== '' ? refId(server.imageRef) : null;
  const bdms: RequestedBdm[] = [];
  for (const b of (server.block_device_mapping_v2 ?? []) as Record<string, unknown>[]) {
    const source = String(b.source_type ?? (b.volume_id ? 'volume' : b.snapshot_id ? 'snapshot' : 'image'));
    const dest = String(
      b.destination_type ?? (source === 'image' || source === 'blank' ? 'local' : 'volume'),
    );
    const bi = b.boot_index === undefined || b.boot_index === null ? null : Number(b.boot_index);
    bdms.push({
      source_type: source,
      destination_type: dest,
      boot_index: bi !== null && bi < 0 ? null : bi,
      uuid: (b.uuid ?? b.image_id ?? b.volume_id ?? b.snapshot_id ?? null) as string | null,
      volume_size: b.volume_size === undefined ? null : Number(b.volume_size),
      delete_on_termination: b.delete_on_termination === true || b.delete_on_termination === 'true',
      device_name: (b.device_name as string) ?? null,
      guest_format: (b.guest_format as string) ?? null,
      device_type: (b.device_type as string) ?? null,
      disk_bus: (b.disk_bus as string) ?? null,
      tag: (b.tag as string) ?? null,
      volume_type: (b.volume_type as string) ?? null,
    });
  }
  if ((server.block_device_mapping ?? []).length > 0 || bdms.some((b) => b.destination_type === 'volume'))
    throw new Invalid(
      'Block Device Mapping is Invalid: volumes cannot be attached, there is no block storage service.',
      'nova.invalid_bdm_volume',
    );
  const boot = bdms.find((b) => b.boot_index === 0);
  if (boot && boot.source_type === 'image' && boot.destination_type === 'local') {
    if (imageRef && boot.uuid && boot.uuid !== imageRef)
      throw new Invalid(
        'Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.',
        'nova.invalid_bdm_boot_sequence',
      );
    return { imageId: boot.uuid ?? imageRef, bootFromVolume: false, bdms };
  }
  if (!imageRef)
    throw new Invalid(
      'Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.',
      'nova.invalid_bdm_boot_sequence',
    );
  return { imageId: imageRef, bootFromVolume: false, bdms };
}

export interface Placement {
  readonly az: string | null;
  readonly host: string | null;
  readonly node: string | null;
  /** host/node came from `az:host:node` (forced, filters skipped) rather than 2.74 fields. */
  readonly forced: boolean;
}

/** availability_zone `az`, `az:host`, `az:host:node`, `az::node` and the 2.74 host/hypervisor_hostname. */
// biome-ignore lint/suspicious/noExplicitAny: validated request body
export function parsePlacement(server: any): Placement {
  let az: string | null = server.availability_zone ?? null;
  let host: string | null = null;
  let node: string | null = null;
  let forced = false;
  if (az?.includes(':')) {
    const [a, h, n] = az.split(':');
    az = a || null;
    host = h || null;
    node = n || null;
    forced = host !== null || node !== null;
  }
  if (server.host) host = server.host;
  if (server.hypervisor_hostname) node = server.hypervisor_hostname;
  return { az, host, node, forced };
}

/** Availability zones a server may ask for: aggregate zones and the default zone. */
export async function checkAvailabilityZone(
  apiDb: Database<ApiDb>,
  az: string,
  defaultAz: string,
): Promise<void> {
  if (az === defaultAz) return;
  const zones = new Set((await aggregates.list(apiDb)).map((a) => a.availability_zone).filter(Boolean));
  if (!zones.has(az))
    throw new Invalid('The requested availability zone is not available', 'nova.invalid_availability_zone');
}

/**
 * `networks` as the build needs it: `none`, `auto` (also no networks before 2.37), or a list of
 * networks, ports and fixed IPs (checked against the network service by networks.ts).
 */
// biome-ignore lint/suspicious/noExplicitAny: validated request body
export function requestedNetworks(server: any): RequestedNetwork[] | 'auto' | 'none' {
  const n = server.networks;
  if (n === undefined || n === 'auto') return 'auto';
  if (n === 'none') return 'none';
  const out: RequestedNetwork[] = [];
  for (const item of n as Record<string, string>[])
    out.push({
      network_id: item.port ? null : (item.uuid ?? null),
      port_id: item.port ?? null,
      fixed_ip: item.fixed_ip ?? null,
      tag: item.tag ?? null,
    });
  return out;
}

/** Scheduler hints as upstream stores them: every value a list of strings. */
export function normaliseHints(
  hints: Readonly<Record<string, unknown>> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(hints ?? {})) {
    if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    else out[k] = [typeof v === 'string' ? v : JSON.stringify(v)];
  }
  return out;
}

/** Upstream's sanitize_hostname: a DNS-safe label from a display name. */
export function sanitizeHostname(name: string, fallback: string): string {
  let h = name
    .toLowerCase()
    .replace(/[ _]/g, '-')
    .replace(/[^\w.-]+/g, '')
    .replace(/_/g, '');
  h = h.slice(0, 63).replace(/^[-.]+|[-.]+$/g, '');
  return h === '' ? fallback : h;
}
