// What every daemon command shares: nova.conf, the logger, the transport and databases it needs
// (each missing one is a one-line StartupError), SIGTERM drain, SIGHUP reload of mutable options.
import type { Logger } from '../common/log.ts';
import { type NovaConf, type ReloadResult, reloadConfig } from '../config/index.ts';
import { connectDatabase, type Database } from '../db/index.ts';
import { StartupError } from '../faults/fault.ts';
import { createTransport, type Transport } from '../rpc/index.ts';
import { createLauncher, type Stoppable } from '../service/launcher.ts';
import { type CommandSpec, type ParsedArgs, parseArgs } from './args.ts';
import { daemonLogger, loadCommandConfig, printWarnings } from './conf.ts';

export interface DaemonContext {
  readonly conf: NovaConf;
  readonly log: Logger;
  /** The configuration files actually read, in order. */
  readonly configFiles: readonly string[];
  /** Registers something to close after the services stopped (transports, databases). */
  onClose(fn: () => Promise<void>): void;
  /** The daemon's own flags (DaemonSpec.flags), parsed. */
  readonly args: ParsedArgs;
}

export interface DaemonSpec {
  readonly prog: string;
  readonly description: string;
  /** Flags beyond the common ones (--config-file, --config-dir, --debug). */
  readonly flags?: CommandSpec['flags'];
  start(ctx: DaemonContext): Promise<readonly Stoppable[]>;
}

const CONFIG_FLAGS = [
  {
    name: '--config-file',
    metavar: 'PATH',
    help: 'Path to a config file to use (repeatable); later files win.',
  },
  {
    name: '--config-dir',
    metavar: 'DIR',
    help: 'Directory of *.conf files, read in sorted order after --config-file.',
  },
] as const;

export function daemonCommandSpec(
  prog: string,
  description: string,
  extra: CommandSpec['flags'] = [],
): CommandSpec {
  return {
    usage: prog,
    description,
    flags: [
      ...CONFIG_FLAGS,
      { name: '--debug', boolean: true, help: 'Log at debug level ([DEFAULT] debug).' },
      ...extra,
    ],
  };
}

/** Applies the mutable options of a reloaded configuration that the daemon honours live. */
export function applyMutable(loaded: ReloadResult, log: Logger): void {
  for (const w of loaded.warnings) log.warn(w);
  for (const c of loaded.changed)
    log.info({ group: c.group, option: c.name }, `reloaded [${c.group}] ${c.name}`);
  log.level = loaded.conf.DEFAULT.debug ? 'debug' : 'info';
}

export async function runDaemon(argv: readonly string[], spec: DaemonSpec): Promise<number | undefined> {
  const cfg = loadCommandConfig(argv, { prog: spec.prog });
  const args = parseArgs(daemonCommandSpec(spec.prog, spec.description, spec.flags), cfg.rest);
  if (args === null) return 0;
  let loaded = cfg.loaded;
  const log = daemonLogger(loaded.conf, spec.prog);
  if (args.debug) log.level = 'debug';
  printWarnings(loaded, log);
  const closers: (() => Promise<void>)[] = [];
  const launcher = createLauncher({
    log,
    onReload: () => {
      const next = reloadConfig(loaded, cfg.loadOptions);
      applyMutable(next, log);
      loaded = next;
    },
    onStopped: async () => {
      for (const close of closers.reverse()) await close().catch(() => {});
    },
  });
  try {
    const parts = await spec.start({
      conf: loaded.conf,
      log,
      configFiles: loaded.files,
      onClose: (fn) => closers.push(fn),
      args,
    });
    for (const p of parts) launcher.add(p);
  } catch (err) {
    await launcher.shutdown();
    throw err;
  }
  await launcher.done;
  return 0;
}

export async function openTransport(ctx: DaemonContext): Promise<Transport> {
  const url = ctx.conf.DEFAULT.transport_url;
  if (!url) {
    throw new StartupError(
      '[DEFAULT] transport_url is not set. Set it to the message broker, e.g. rabbit://user:pass@controller:5672/.',
    );
  }
  const transport = await createTransport(url, {
    exchange: ctx.conf.DEFAULT.control_exchange,
    log: ctx.log,
    responseTimeoutMs: ctx.conf.DEFAULT.rpc_response_timeout * 1000,
  });
  ctx.onClose(() => transport.close());
  return transport;
}

export async function openDatabase(
  ctx: DaemonContext,
  url: string | undefined,
  option: string,
): Promise<Database> {
  if (!url)
    throw new StartupError(
      `${option} is not set. Set it in nova.conf (e.g. mysql+pymysql://nova:…@controller/nova).`,
    );
  const db = await connectDatabase(url, { log: ctx.log });
  ctx.onClose(() => db.close());
  return db;
}
