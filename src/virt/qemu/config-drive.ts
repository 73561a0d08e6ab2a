// Upstream's config drive: an ISO 9660 image (Rock Ridge + Joliet) labelled `config-2` holding the
// OpenStack metadata (openstack/<version>/meta_data.json, user_data, network_data.json,
// vendor_data.json, vendor_data2.json, content/NNNN for injected files) and a small EC2 tree, built
// with genisoimage or `xorriso -as mkisofs` from a staging directory.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join } from 'node:path';
import { Fault } from '../../faults/fault.ts';

/** OpenStack metadata versions written to the drive (upstream's OPENSTACK_VERSIONS), oldest first. */
export const OPENSTACK_VERSIONS = Object.freeze([
  '2012-08-10', // Folsom: meta_data.json, user_data
  '2013-04-04', // Grizzly: random_seed
  '2013-10-17', // Havana: vendor_data.json
  '2015-10-15', // Liberty: network_data.json, project_id
  '2016-06-30', // Newton: devices
  '2016-10-06', // Newton: vendor_data2.json
  '2017-02-22', // Ocata
  '2018-08-27', // Rocky
  '2020-10-14', // Victoria
]);
const GRIZZLY = '2013-04-04';
const HAVANA = '2013-10-17';
const LIBERTY = '2015-10-15';
const NEWTON_ONE = '2016-06-30';
const NEWTON_TWO = '2016-10-06';
/** The EC2 metadata version written besides `latest` (the newest upstream keeps on drives). */
const EC2_VERSION = '2009-04-04';

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
  /** Base64 as the API took it; written decoded as `user_data`. */
  readonly user_data?: string | null;
  readonly admin_pass?: string | null;
  /** Injected (personality) files: guest path and base64 contents. */
  readonly files?: readonly { readonly path: string; readonly contents: string }[];
  /** network_data.json; defaults to no links, networks or services. */
  readonly network_data?: object;
  readonly vendor_data?: object;
  readonly vendor_data2?: object;
}

export interface ConfigDriveOptions {
  /** [DEFAULT] mkisofs_cmd: tried first when set; then genisoimage, then xorriso. */
  readonly mkisofsCmd?: string;
  /** Directory for the staging tree (default: the drive's own directory). */
  readonly tmpDir?: string;
  /** Directories searched for the tool (default: PATH plus the sbin directories). */
  readonly searchPath?: readonly string[];
}

/** The config drive could not be built (missing tool or the tool failed). */
export class ConfigDriveError extends Fault {
  constructor(message: string) {
    super(message, 500, 'nova.config_drive_error');
  }
}

async function executable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const defaultSearchPath = () => [
  ...(process.env.PATH ?? '').split(delimiter),
  '/usr/bin',
  '/bin',
  '/usr/sbin',
  '/sbin',
];

/** Finds a command in `dirs`, as an absolute path. */
async function which(cmd: string, dirs: readonly string[]): Promise<string | null> {
  if (isAbsolute(cmd)) return (await executable(cmd)) ? cmd : null;
  for (const d of dirs) if (d && (await executable(join(d, cmd)))) return join(d, cmd);
  return null;
}

/** The ISO builder: its path and the arguments that put it in mkisofs mode. */
export async function findIsoTool(
  mkisofsCmd?: string,
  searchPath: readonly string[] = defaultSearchPath(),
): Promise<{ file: string; prefix: string[] }> {
  const candidates = [...(mkisofsCmd ? [mkisofsCmd] : []), 'genisoimage', 'mkisofs', 'xorrisofs', 'xorriso'];
  for (const c of candidates) {
    const file = await which(c, searchPath);
    if (file) return { file, prefix: basename(file) === 'xorriso' ? ['-as', 'mkisofs'] : [] };
  }
  throw new ConfigDriveError(
    'Cannot build a config drive: neither genisoimage nor xorriso is installed (Debian packages genisoimage or xorriso).',
  );
}

const isAtLeast = (version: string, min: string) => version === 'latest' || version >= min;

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
  return md;
}

const contentKey = (i: number) => String(i).padStart(4, '0');

/** Every file of the drive: path inside the ISO → bytes. */
export function driveFiles(d: ConfigDriveData): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const userData = d.user_data ? Buffer.from(d.user_data, 'base64') : null;
  for (const version of [...OPENSTACK_VERSIONS, 'latest']) {
    const dir = `openstack/${version}`;
    out.set(`${dir}/meta_data.json`, json(metaData(d, version)));
    if (userData) out.set(`${dir}/user_data`, userData);
    if (isAtLeast(version, HAVANA)) out.set(`${dir}/vendor_data.json`, json(d.vendor_data ?? {}));
    if (isAtLeast(version, LIBERTY))
      out.set(`${dir}/network_data.json`, json(d.network_data ?? { links: [], networks: [], services: [] }));
    if (isAtLeast(version, NEWTON_TWO)) out.set(`${dir}/vendor_data2.json`, json(d.vendor_data2 ?? {}));
  }
  (d.files ?? []).forEach((f, i) => {
    out.set(`openstack/content/${contentKey(i)}`, Buffer.from(f.contents, 'base64'));
  });
  for (const version of [EC2_VERSION, 'latest']) {
    out.set(`ec2/${version}/meta-data.json`, json(ec2MetaData(d)));
    if (userData) out.set(`ec2/${version}/user-data`, userData);
  }
  return out;
}

/** The EC2-style meta-data.json, limited to what the compute host knows. */
function ec2MetaData(d: ConfigDriveData): Record<string, unknown> {
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

/** Builds the config drive ISO at `path` (written under a temporary name, then renamed). */
export async function buildConfigDrive(
  path: string,
  d: ConfigDriveData,
  opts: ConfigDriveOptions = {},
): Promise<void> {
  const tool = await findIsoTool(opts.mkisofsCmd, opts.searchPath);
  const parent = opts.tmpDir ?? dirname(path);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, '.config-drive-'));
  const part = `${path}.part`;
  try {
    const tree = join(staging, 'root');
    for (const [rel, data] of driveFiles(d)) {
      await mkdir(dirname(join(tree, rel)), { recursive: true });
      await writeFile(join(tree, rel), data);
    }
    const args = [
      ...tool.prefix,
      ...['-o', part, '-ldots', '-allow-lowercase', '-allow-multidot', '-l'],
      ...['-publisher', 'nova-ts', '-quiet', '-J', '-r', '-V', 'config-2', tree],
    ];
    await new Promise<void>((ok, fail) =>
      execFile(tool.file, args, { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (err, _out, stderr) =>
        err
          ? fail(
              new ConfigDriveError(
                `${basename(tool.file)} failed to build the config drive: ${String(stderr).replace(/\s+/g, ' ').trim() || err.message}`,
              ),
            )
          : ok(),
      ),
    );
    await rename(part, path);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
