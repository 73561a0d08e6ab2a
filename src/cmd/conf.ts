// Loading nova.conf for a command: --config-file/--config-dir as oslo.config takes them, the default
// search when none is given, and warnings printed once. `$NOVA_TS_STATE_PATH/nova.conf` (written by
// the all-in-one) is searched too, so `nova-manage` finds an all-in-one's databases.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '../common/log.ts';
import {
  type LoadOptions as ConfigLoadOptions,
  type ConfigOverride,
  type LoadResult,
  loadConfig,
  type NovaConf,
  parseCliConfigArgs,
} from '../config/index.ts';

export interface CommandConfig {
  readonly conf: NovaConf;
  readonly loaded: LoadResult;
  /** What the configuration was loaded from: pass it to reloadConfig on SIGHUP. */
  readonly loadOptions: ConfigLoadOptions;
  /** argv with the config flags taken out. */
  readonly rest: readonly string[];
  readonly configFiles: readonly string[];
  readonly configDirs: readonly string[];
}

export interface LoadOptions {
  readonly prog: string;
  readonly overrides?: readonly ConfigOverride[];
  /** Files read before the ones on the command line (the all-in-one's own nova.conf). */
  readonly baseFiles?: readonly string[];
}

export function loadCommandConfig(argv: readonly string[], opts: LoadOptions): CommandConfig {
  const cli = parseCliConfigArgs(argv);
  let configFiles = [...(opts.baseFiles ?? []), ...cli.configFiles];
  const stateConf = process.env.NOVA_TS_STATE_PATH
    ? join(process.env.NOVA_TS_STATE_PATH, 'nova.conf')
    : undefined;
  const useDefaultSearch = configFiles.length === 0 && cli.configDirs.length === 0;
  if (useDefaultSearch && stateConf && existsSync(stateConf)) configFiles = [stateConf];
  const loadOptions: ConfigLoadOptions = {
    configFiles,
    configDirs: cli.configDirs,
    useDefaultSearch: useDefaultSearch && configFiles.length === 0,
    prog: opts.prog,
    overrides: opts.overrides ?? [],
    env: process.env,
  };
  const loaded = loadConfig(loadOptions);
  return { conf: loaded.conf, loaded, loadOptions, rest: cli.rest, configFiles, configDirs: cli.configDirs };
}

/** The daemon logger: [DEFAULT] log_file / log_dir when set, else stderr; debug → debug level. */
export function daemonLogger(conf: NovaConf, name: string): Logger {
  const d = conf.DEFAULT;
  const file = d.log_file
    ? d.log_dir
      ? join(d.log_dir, d.log_file)
      : d.log_file
    : d.log_dir
      ? join(d.log_dir, `${name}.log`)
      : undefined;
  return createLogger({ name, file, level: d.debug ? 'debug' : undefined });
}

export function printWarnings(loaded: LoadResult, log: Logger): void {
  for (const w of loaded.warnings) log.warn(w);
}
