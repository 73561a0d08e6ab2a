// What a guest reads about itself, the same bytes whether it comes from the metadata service or a
// config drive: the OpenStack tree (openstack/<version>/meta_data.json, user_data,
// vendor_data.json, network_data.json, vendor_data2.json, content/NNNN) and the EC2 tree. Plain
// data in, plain data out: nothing here reads a database, so the virt layer can use it too.
import { randomBytes } from 'node:crypto';
import { type Ec2Facts, ec2Tree } from './ec2.ts';

/** OpenStack metadata versions (upstream's OPENSTACK_VERSIONS), oldest first. */
export const OPENSTACK_VERSIONS = Object.freeze([
  '2012-08-10', // Folsom: meta_data.json, user_data
  '2013-04-04', // Grizzly: random_seed, password
  '2013-10-17', // Havana: vendor_data.json
  '2015-10-15', // Liberty: network_data.json, project_id
  '2016-06-30', // Newton: devices
  '2016-10-06', // Newton: vendor_data2.json
  '2017-02-22', // Ocata
  '2018-08-27', // Rocky
  '2020-10-14', // Victoria: dedicated_cpus
]);
export const GRIZZLY = '2013-04-04';
export const HAVANA = '2013-10-17';
export const LIBERTY = '2015-10-15';
export const NEWTON_ONE = '2016-06-30';
export const NEWTON_TWO = '2016-10-06';
export const VICTORIA = '2020-10-14';
/** The EC2 metadata version written to config drives besides `latest`. */
const EC2_DRIVE_VERSION = '2009-04-04';

/** Everything the OpenStack tree is made of (the config drive's input, named so before the move). */
export interface ConfigDriveData {
  readonly uuid: string;
  /** The server's display name (meta_data.json `name`). */
  readonly name: string;
  /** The guest's hostname (meta_data.json `hostname`). */
  readonly hostname: string;
  readonly availability_zone: string | null;
  readonly project_id: string;
  readonly launch_index?: number;
  /** Key pair name (or "0" when unknown) → public key; also listed as keys [{name, type, data}]. */
  readonly public_keys?: Readonly<Record<string, string>>;
  /** The keys' type (upstream: ssh or x509); ssh by default. */
  readonly key_type?: string | null;
  /** Server metadata (meta_data.json `meta`). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Base64 as the API took it; served decoded as `user_data`. */
  readonly user_data?: string | null;
  readonly admin_pass?: string | null;
  /** Injected (personality) files: guest path and base64 contents. */
  readonly files?: readonly { readonly path: string; readonly contents: string }[];
  /** network_data.json; defaults to no links, networks or services. */
  readonly network_data?: object;
  readonly vendor_data?: object;
  readonly vendor_data2?: object;
  /** The EC2 facts; without them the EC2 tree holds only what the rest of this record says. */
  readonly ec2?: Ec2Facts;
}

/** The metadata this service and the config drive serve (another name for the same record). */
export type InstanceContent = ConfigDriveData;

export const isAtLeast = (version: string, min: string) => version === 'latest' || version >= min;

const contentKey = (i: number) => String(i).padStart(4, '0');

/** meta_data.json of one metadata version. */
export function metaData(d: ConfigDriveData, version: string): Record<string, unknown> {
  const files = (d.files ?? []).map((f, i) => ({ path: f.path, content_path: `/content/${contentKey(i)}` }));
  const md: Record<string, unknown> = { uuid: d.uuid };
  if (d.metadata && Object.keys(d.metadata).length > 0) md.meta = { ...d.metadata };
  if (files.length > 0) md.files = files;
  if (d.admin_pass) md.admin_pass = d.admin_pass;
  const keys = Object.entries(d.public_keys ?? {});
  if (keys.length > 0) {
    md.public_keys = Object.fromEntries(keys);
    md.keys = keys.map(([name, data]) => ({ name, type: d.key_type || 'ssh', data }));
  }
  md.hostname = d.hostname;
  md.name = d.name;
  md.launch_index = d.launch_index ?? 0;
  md.availability_zone = d.availability_zone;
  if (isAtLeast(version, GRIZZLY)) md.random_seed = randomBytes(512).toString('base64');
  if (isAtLeast(version, LIBERTY)) md.project_id = d.project_id;
  if (isAtLeast(version, NEWTON_ONE)) md.devices = [];
  if (isAtLeast(version, VICTORIA)) md.dedicated_cpus = [];
  return md;
}

/** network_data.json as served (no links, networks or services when the instance has none). */
export function networkDataOf(d: ConfigDriveData): object {
  return d.network_data ?? { links: [], networks: [], services: [] };
}

/** The decoded user data, or null when the server has none. */
export function userDataOf(d: ConfigDriveData): Buffer | null {
  return d.user_data ? Buffer.from(d.user_data, 'base64') : null;
}

/** The file names of one OpenStack version's directory, as its listing shows them. */
export function versionListing(d: ConfigDriveData, version: string): string[] {
  const out = ['meta_data.json'];
  if (userDataOf(d)) out.push('user_data');
  if (isAtLeast(version, GRIZZLY)) out.push('password');
  if (isAtLeast(version, HAVANA)) out.push('vendor_data.json');
  if (isAtLeast(version, LIBERTY)) out.push('network_data.json');
  if (isAtLeast(version, NEWTON_TWO)) out.push('vendor_data2.json');
  return out;
}

/** Every file of a config drive: path inside the ISO → bytes. */
export function driveFiles(d: ConfigDriveData): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const userData = userDataOf(d);
  for (const version of [...OPENSTACK_VERSIONS, 'latest']) {
    const dir = `openstack/${version}`;
    out.set(`${dir}/meta_data.json`, json(metaData(d, version)));
    if (userData) out.set(`${dir}/user_data`, userData);
    if (isAtLeast(version, HAVANA)) out.set(`${dir}/vendor_data.json`, json(d.vendor_data ?? {}));
    if (isAtLeast(version, LIBERTY)) out.set(`${dir}/network_data.json`, json(networkDataOf(d)));
    if (isAtLeast(version, NEWTON_TWO)) out.set(`${dir}/vendor_data2.json`, json(d.vendor_data2 ?? {}));
  }
  (d.files ?? []).forEach((f, i) => {
    out.set(`openstack/content/${contentKey(i)}`, Buffer.from(f.contents, 'base64'));
  });
  for (const version of [EC2_DRIVE_VERSION, 'latest']) {
    out.set(`ec2/${version}/meta-data.json`, json(driveEc2MetaData(d, version)));
    if (userData) out.set(`ec2/${version}/user-data`, userData);
  }
  return out;
}

/** The EC2 meta-data.json of a drive: the full tree when the EC2 facts are known. */
function driveEc2MetaData(d: ConfigDriveData, version: string): Record<string, unknown> {
  if (d.ec2) {
    const md = { ...(ec2Tree(d, d.ec2, version)?.['meta-data'] as Record<string, unknown>) };
    const keys = md['public-keys'] as Record<string, Record<string, unknown>> | undefined;
    // On a drive the key carries no listing name (upstream drops `_name`).
    if (keys?.['0']) md['public-keys'] = { '0': { 'openssh-key': keys['0']['openssh-key'] } };
    return md;
  }
  const md: Record<string, unknown> = {
    'ami-launch-index': d.launch_index ?? 0,
    hostname: d.hostname,
    'local-hostname': d.hostname,
    'public-hostname': d.hostname,
    placement: { 'availability-zone': d.availability_zone },
    'instance-action': 'none',
  };
  const [key] = Object.entries(d.public_keys ?? {});
  if (key) md['public-keys'] = { '0': { _name: `0=${key[0]}`, 'openssh-key': key[1] } };
  return md;
}
