// loadConfig: files → parsed → raw text per option by precedence → interpolated and typed values →
// legacy fixups → frozen conf. Returns the warnings (deduplicated, in order) for the caller to log;
// throws ConfigError (one line) for anything that must stop the service.
import { readFileSync } from 'node:fs';
import { buildConf } from './conf-object.ts';
import { diagnoseDocuments } from './diagnose.ts';
import { ConfigError } from './errors.ts';
import { indexDocument } from './file-values.ts';
import { detectHostFacts, type HostFacts } from './host-facts.ts';
import { type IniDocument, parseIni } from './ini.ts';
import type { Fixup } from './legacy/fixup.ts';
import { LEGACY_FIXUPS } from './legacy/index.ts';
import { NOVA_REGISTRY, type NovaConf } from './options/index.ts';
import { type ConfigOverride, collectRawValues } from './raw-values.ts';
import { optKey, type Registry } from './registry.ts';
import { resolveValues } from './resolve.ts';
import { configFileList, defaultSearchDirs } from './search-paths.ts';

export interface LoadOptions {
  /** --config-file values, in order. */
  readonly configFiles?: readonly string[];
  /** --config-dir values; their *.conf files are read after configFiles. */
  readonly configDirs?: readonly string[];
  /** Look for nova.conf / <prog>.conf and nova.conf.d where oslo.config looks when none are given. */
  readonly useDefaultSearch?: boolean;
  /** Program name for the default search (nova-compute → nova-compute.conf). */
  readonly prog?: string;
  /** Values from command line flags; they beat everything else. */
  readonly overrides?: readonly ConfigOverride[];
  /** Environment (NOVA_TS_STATE_PATH, OSLO_LOCK_PATH, SNAP…); defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Host name and address used by defaults; detected when absent. */
  readonly hostFacts?: HostFacts;
  /** Directories of the default search, replacing ~/.nova, ~, /etc/nova, /etc (tests). */
  readonly searchDirs?: readonly string[];
}

export interface LoadResult<C = NovaConf> {
  readonly conf: C;
  readonly warnings: readonly string[];
  /** Files actually read, in order. */
  readonly files: readonly string[];
}

/** What a conf is made from: the registry and the fixups for old-style settings. */
export interface ConfigSchema<C> {
  readonly registry: Registry<C>;
  readonly fixups: readonly Fixup[];
}

export const NOVA_SCHEMA: ConfigSchema<NovaConf> = Object.freeze({
  registry: NOVA_REGISTRY,
  fixups: LEGACY_FIXUPS,
});

function readDocument(file: string): IniDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'not found'
        : code === 'EACCES'
          ? 'cannot be read: permission denied'
          : `cannot be read (${code})`;
    throw new ConfigError(`Config file ${file} ${why}`, { source: file });
  }
  return parseIni(text, file);
}

function applyFixups(
  registry: Registry,
  fixups: readonly Fixup[],
  values: Map<string, unknown>,
  explicit: ReadonlySet<string>,
  warn: (msg: string) => void,
): void {
  const key = (group: string, name: string): string => {
    if (!registry.find(group, name)) throw new Error(`config fixup: no option [${group}] ${name}`);
    return optKey(group, name);
  };
  const ctx = {
    get: (group: string, name: string) => values.get(key(group, name)),
    set: (group: string, name: string, value: unknown) => void values.set(key(group, name), value),
    isSet: (group: string, name: string) => explicit.has(key(group, name)),
    warn,
  };
  for (const f of fixups) f.apply(ctx);
}

export function loadConfigWith<C>(schema: ConfigSchema<C>, opts: LoadOptions = {}): LoadResult<C> {
  const env = opts.env ?? process.env;
  const warnings = new Set<string>();
  const warn = (msg: string): void => void warnings.add(msg);
  const files = configFileList({ ...opts, searchDirs: opts.searchDirs ?? defaultSearchDirs(env) });
  const docs = files.map(readDocument);
  diagnoseDocuments(schema.registry, docs, warn);
  const raw = collectRawValues({
    registry: schema.registry,
    files: docs.map(indexDocument),
    overrides: opts.overrides ?? [],
    env,
    warn,
  });
  const host = opts.hostFacts ?? detectHostFacts();
  const values = resolveValues({ registry: schema.registry, raw, ctx: { ...host, env }, warn });
  applyFixups(schema.registry, schema.fixups, values, new Set(raw.keys()), warn);
  return Object.freeze({
    conf: buildConf(schema.registry, values),
    warnings: Object.freeze([...warnings]),
    files: Object.freeze(files),
  });
}

/** Loads nova-ts's configuration. */
export function loadConfig(opts: LoadOptions = {}): LoadResult<NovaConf> {
  return loadConfigWith(NOVA_SCHEMA, opts);
}
