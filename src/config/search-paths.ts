// Which files to read. Explicit --config-file / --config-dir lists, or, when asked, oslo.config's
// default search: in ~/.nova/, ~/, /etc/nova/, /etc/ (then $SNAP_COMMON/etc/nova, $SNAP/etc/nova)
// the first nova.conf found and the first <prog>.conf found; likewise the first nova.conf.d and
// <prog>.conf.d directories. A config directory contributes its *.conf files in sorted order.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors.ts';

const PROJECT = 'nova';

export function defaultSearchDirs(
  env: Readonly<Record<string, string | undefined>>,
  home = homedir(),
): string[] {
  const dirs = [join(home, `.${PROJECT}`), home, join('/etc', PROJECT), '/etc'];
  if (env.SNAP_COMMON) dirs.push(join(env.SNAP_COMMON, 'etc', PROJECT));
  if (env.SNAP) dirs.push(join(env.SNAP, 'etc', PROJECT));
  return dirs;
}

function firstExisting(dirs: readonly string[], basename: string): string | undefined {
  for (const d of dirs) {
    const p = join(d, basename);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function names(prog: string | undefined): string[] {
  return prog && prog !== PROJECT ? [PROJECT, prog] : [PROJECT];
}

export function findConfigFiles(dirs: readonly string[], prog?: string): string[] {
  return names(prog)
    .map((n) => firstExisting(dirs, `${n}.conf`))
    .filter((p): p is string => p !== undefined);
}

export function findConfigDirs(dirs: readonly string[], prog?: string): string[] {
  return names(prog)
    .map((n) => firstExisting(dirs, `${n}.conf.d`))
    .filter((p): p is string => p !== undefined && statSync(p).isDirectory());
}

/** The *.conf files of a config directory, sorted; a missing directory is an error. */
export function listConfigDir(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'not found'
        : code === 'ENOTDIR'
          ? 'is not a directory'
          : `cannot be read (${code})`;
    throw new ConfigError(`Config directory ${dir} ${why}`, { source: dir });
  }
  return entries
    .filter((f) => f.endsWith('.conf') && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

export interface FileListInput {
  readonly configFiles?: readonly string[];
  readonly configDirs?: readonly string[];
  readonly useDefaultSearch?: boolean;
  readonly prog?: string;
  readonly searchDirs: readonly string[];
}

/** Files to read, in order: config files first, then each config directory's files. */
export function configFileList(input: FileListInput): string[] {
  const explicitFiles = input.configFiles ?? [];
  const explicitDirs = input.configDirs ?? [];
  const search = input.useDefaultSearch === true;
  const files =
    explicitFiles.length > 0
      ? [...explicitFiles]
      : search
        ? findConfigFiles(input.searchDirs, input.prog)
        : [];
  const dirs =
    explicitDirs.length > 0 ? [...explicitDirs] : search ? findConfigDirs(input.searchDirs, input.prog) : [];
  return [...files, ...dirs.flatMap(listConfigDir)];
}
