// Upstream's config drive: an ISO 9660 image (Rock Ridge + Joliet) labelled `config-2` holding the
// OpenStack metadata (openstack/<version>/meta_data.json, user_data, network_data.json,
// vendor_data.json, vendor_data2.json, content/NNNN for injected files) and a small EC2 tree, built
// with genisoimage or `xorriso -as mkisofs` from a staging directory.
import { execFile } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join } from 'node:path';
import { Fault } from '../../faults/fault.ts';
import { type ConfigDriveData, driveFiles } from '../../metadata/content.ts';

// The drive's contents are the metadata service's (src/metadata/content.ts), re-exported here.
export { type ConfigDriveData, driveFiles, metaData, OPENSTACK_VERSIONS } from '../../metadata/content.ts';

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
