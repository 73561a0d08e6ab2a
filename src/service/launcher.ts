// Process lifecycle for daemons: SIGTERM/SIGINT drain every running part and exit 0 (a second
// signal exits at once); SIGHUP reloads the mutable options.
import type { Logger } from '../common/log.ts';

export interface Stoppable {
  stop(): Promise<void>;
}

export interface LauncherOptions {
  readonly log: Logger;
  readonly onReload?: () => Promise<void> | void;
  /** Called after everything stopped, before exit (close databases, transports). */
  readonly onStopped?: () => Promise<void> | void;
  readonly exit?: (code: number) => void;
}

export interface Launcher {
  add(part: Stoppable): void;
  /** Stops every part in reverse order of adding. */
  shutdown(): Promise<void>;
  /** Resolves once a signal (or shutdown()) stopped everything. */
  readonly done: Promise<void>;
}

export function createLauncher(opts: LauncherOptions): Launcher {
  const parts: Stoppable[] = [];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;
  let firstSignalAt = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });

  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      for (const part of [...parts].reverse()) {
        try {
          await part.stop();
        } catch (err) {
          opts.log.error({ err }, 'error while stopping');
        }
      }
      await opts.onStopped?.();
      resolveDone();
    })();
    return stopping;
  };

  const onTerm = (signal: string) => {
    // One Ctrl-C or `timeout` reaches both the bin launcher and this process (same process group),
    // and the launcher forwards it: a repeat within 2 s is that echo, not an impatient operator.
    if (stopping && Date.now() - firstSignalAt < 2000) return;
    if (stopping) {
      opts.log.warn(`${signal} again: exiting without draining`);
      exit(1);
      return;
    }
    firstSignalAt = Date.now();
    opts.log.info(`caught ${signal}, draining and stopping`);
    void shutdown().then(() => exit(0));
  };
  const onHup = () => {
    opts.log.info('caught SIGHUP, reloading mutable configuration');
    void Promise.resolve(opts.onReload?.()).catch((err: unknown) => opts.log.error({ err }, 'reload failed'));
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onTerm);
  process.on('SIGHUP', onHup);
  void done.then(() => {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onTerm);
    process.off('SIGHUP', onHup);
  });

  return { add: (p) => parts.push(p), shutdown, done };
}
