// The EC2-compatible tree (/<version>/meta-data/…, /<version>/user-data) as upstream serves it:
// which keys each dated version has, the ids in EC2 form (i-%08x, ami-%08x), and the text
// rendering of a subtree (keys one a line, subtrees with a trailing slash, public-keys as
// `0=<key name>`).
import type { ConfigDriveData } from './content.ts';

/** EC2 metadata versions (upstream's VERSIONS), oldest first; `latest` is the last. */
export const EC2_VERSIONS = Object.freeze([
  '1.0',
  '2007-01-19',
  '2007-03-01',
  '2007-08-29',
  '2007-10-10',
  '2007-12-15',
  '2008-02-01',
  '2008-09-01',
  '2009-04-04',
]);

/** What the EC2 tree says beyond the OpenStack record. */
export interface Ec2Facts {
  /** The instance's row id (instance-id is i-%08x of it). */
  readonly id: number;
  readonly image_ref: string | null;
  readonly kernel_id: string | null;
  readonly ramdisk_id: string | null;
  readonly reservation_id: string | null;
  /** The flavor's name. */
  readonly instance_type: string;
  readonly root_device_name: string | null;
  readonly security_groups: readonly string[];
  /** IPv4 fixed and floating addresses from the network info cache, in VIF order. */
  readonly fixed_ips: readonly string[];
  readonly floating_ips: readonly string[];
  /** The address the request came from (local-ipv4 when the instance has no fixed IPv4). */
  readonly address?: string | null;
}

/** A tree of strings; a subtree may carry `_name`, the line its parent lists it by. */
export type Ec2Node = string | number | null | Buffer | readonly string[] | { readonly [k: string]: Ec2Node };

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** i-%08x of the instance id. */
export const ec2InstanceId = (id: number) => `i-${hex8(id)}`;

/**
 * An image id in EC2 form (ami-/aki-/ari-%08x). Upstream numbers images in its s3_images table;
 * nova-ts has none, so the number is the first 32 bits of the image uuid (stable per image).
 */
export function ec2ImageId(imageId: string | null, kind: 'ami' | 'aki' | 'ari'): string | null {
  if (!imageId) return null;
  const hex = imageId.replace(/-/g, '').slice(0, 8);
  const n = /^[0-9a-f]{8}$/i.test(hex) ? Number.parseInt(hex, 16) : 0;
  return `${kind}-${hex8(n)}`;
}

/** Upstream's block device mapping of an image-backed instance (defaults without a root device). */
export function blockDeviceMapping(rootDeviceName: string | null): Record<string, string> {
  if (!rootDeviceName) return { ami: 'sda1', ephemeral0: 'sda2', root: '/dev/sda1', swap: 'sda3' };
  return { ami: rootDeviceName.replace(/^\/dev\//, ''), root: rootDeviceName };
}

const atLeast = (version: string, min: string) => EC2_VERSIONS.indexOf(version) >= EC2_VERSIONS.indexOf(min);

/** The EC2 tree of one version ({'meta-data', 'user-data'}); undefined for an unknown version. */
export function ec2Tree(
  d: ConfigDriveData,
  f: Ec2Facts,
  requested: string,
): Record<string, Ec2Node> | undefined {
  const version = requested === 'latest' ? EC2_VERSIONS[EC2_VERSIONS.length - 1] : requested;
  if (!version || !EC2_VERSIONS.includes(version)) return undefined;
  const md: Record<string, Ec2Node> = {
    'ami-id': ec2ImageId(f.image_ref, 'ami'),
    'ami-launch-index': d.launch_index ?? 0,
    'ami-manifest-path': 'FIXME',
    'instance-id': ec2InstanceId(f.id),
    hostname: d.hostname,
    'local-ipv4': f.fixed_ips[0] || f.address || null,
    'reservation-id': f.reservation_id,
    'security-groups': [...f.security_groups],
  };
  const [key] = Object.entries(d.public_keys ?? {});
  if (key) md['public-keys'] = { '0': { _name: `0=${key[0]}`, 'openssh-key': key[1] } };
  if (atLeast(version, '2007-01-19')) {
    md['local-hostname'] = d.hostname;
    md['public-hostname'] = d.hostname;
    md['public-ipv4'] = f.floating_ips[0] ?? '';
  }
  if (atLeast(version, '2007-08-29')) md['instance-type'] = f.instance_type;
  if (atLeast(version, '2007-12-15')) {
    md['block-device-mapping'] = blockDeviceMapping(f.root_device_name);
    const kernel = ec2ImageId(f.kernel_id, 'aki');
    const ramdisk = ec2ImageId(f.ramdisk_id, 'ari');
    if (kernel) md['kernel-id'] = kernel;
    if (ramdisk) md['ramdisk-id'] = ramdisk;
  }
  if (atLeast(version, '2008-02-01')) md.placement = { 'availability-zone': d.availability_zone };
  if (atLeast(version, '2008-09-01')) md['instance-action'] = 'none';
  const tree: Record<string, Ec2Node> = { 'meta-data': md };
  if (d.user_data) tree['user-data'] = Buffer.from(d.user_data, 'base64');
  return tree;
}

const isTree = (n: Ec2Node): n is { readonly [k: string]: Ec2Node } =>
  n !== null && typeof n === 'object' && !Array.isArray(n) && !Buffer.isBuffer(n);

/** The node at `path` below `root`; undefined when there is none. */
export function findPath(root: Ec2Node, path: readonly string[]): Ec2Node | undefined {
  let node: Ec2Node = root;
  for (const token of path) {
    if (!isTree(node) || token === '_name' || !Object.hasOwn(node, token)) return undefined;
    node = node[token] as Ec2Node;
  }
  return node;
}

/** A node as the service prints it. */
export function ec2Print(node: Ec2Node): string | Buffer {
  if (Buffer.isBuffer(node)) return node;
  if (Array.isArray(node)) return node.join('\n');
  if (isTree(node))
    return Object.keys(node)
      .filter((k) => k !== '_name')
      .sort()
      .map((k) => {
        const v = node[k] as Ec2Node;
        if (!isTree(v)) return k;
        return typeof v._name === 'string' ? v._name : `${k}/`;
      })
      .join('\n');
  return node === null ? 'None' : String(node);
}
