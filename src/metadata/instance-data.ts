// An instance (as the cell database holds it) turned into what the metadata service serves: the
// OpenStack record shared with the config drive plus the EC2 facts. Vendor data comes from [api]
// vendordata_providers (StaticJSON: the file [api] vendordata_jsonfile_path names).
import { readFile } from 'node:fs/promises';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { Instance } from '../objects/instance.ts';
import type { ConfigDriveData } from './content.ts';
import { ec2IpInfo, networkData } from './network-data.ts';

/** The guest's hostname with [api] dhcp_domain appended (when set), as upstream's metadata shows it. */
export function metadataHostname(inst: Pick<Instance, 'hostname' | 'display_name' | 'uuid'>, domain: string) {
  const host = inst.hostname ?? inst.display_name ?? inst.uuid;
  return domain ? `${host}.${domain}` : host;
}

/** The key pair the instance was built with: name → public key, and its type. */
function keyOf(inst: Instance): { keys: Record<string, string>; type: string | null } {
  const kp = inst.keypairs[0];
  if (kp && typeof kp.name === 'string' && typeof kp.public_key === 'string')
    return { keys: { [kp.name]: kp.public_key }, type: typeof kp.type === 'string' ? kp.type : null };
  if (inst.key_name && inst.key_data) return { keys: { [inst.key_name]: inst.key_data }, type: null };
  return { keys: {}, type: null };
}

/** The StaticJSON vendor data: the JSON file [api] vendordata_jsonfile_path names, else {}. */
export async function staticVendorData(conf: NovaConf, log?: Logger): Promise<Record<string, unknown>> {
  const path = conf.api.vendordata_jsonfile_path;
  if (!path) return {};
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch (err) {
    log?.warn({ err, path }, 'cannot read [api] vendordata_jsonfile_path; serving no vendor data');
    return {};
  }
}

export interface InstanceDataInput {
  readonly instance: Instance;
  readonly conf: NovaConf;
  /** Security group names of the instance's ports. */
  readonly securityGroups: readonly string[];
  /** The instance's availability zone (its own, else its host's). */
  readonly availabilityZone?: string | null;
  /** The address the request came from. */
  readonly address?: string | null;
  readonly vendorData: Record<string, unknown>;
}

/** The record the service serves for one instance. */
export function instanceData(i: InstanceDataInput): ConfigDriveData {
  const inst = i.instance;
  const key = keyOf(inst);
  const ips = ec2IpInfo(inst.network_info);
  const providers = i.conf.api.vendordata_providers;
  const withStatic = providers.includes('StaticJSON');
  return {
    uuid: inst.uuid,
    name: inst.display_name ?? '',
    hostname: metadataHostname(inst, i.conf.api.dhcp_domain ?? ''),
    availability_zone: i.availabilityZone === undefined ? inst.availability_zone : i.availabilityZone,
    project_id: inst.project_id,
    launch_index: inst.launch_index ?? 0,
    public_keys: key.keys,
    key_type: key.type,
    metadata: inst.metadata,
    user_data: inst.user_data,
    // upstream: {} when the cache is empty
    network_data: networkData(inst.network_info) ?? {},
    vendor_data: withStatic ? i.vendorData : {},
    vendor_data2: withStatic ? { static: i.vendorData } : {},
    ec2: {
      id: inst.id,
      image_ref: inst.image_ref || null,
      kernel_id: inst.kernel_id || null,
      ramdisk_id: inst.ramdisk_id || null,
      reservation_id: inst.reservation_id,
      instance_type: inst.flavor.name,
      root_device_name: inst.root_device_name,
      security_groups: i.securityGroups,
      fixed_ips: ips.fixed_ips,
      floating_ips: ips.floating_ips,
      address: i.address ?? null,
    },
  };
}
