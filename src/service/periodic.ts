// Periodic work as upstream's periodic tasks: one run at a time (a slow run delays the next, never
// overlaps it), failures logged and retried on the next tick, stop() waits for a run in progress.
import type { Logger } from '../common/log.ts';

export interface PeriodicTask {
  readonly name: string;
  readonly intervalMs: number;
  /** Delay before the first run; default: run at once. */
  readonly initialDelayMs?: number;
  run(): Promise<void>;
}

export interface RunningTask {
  /** Runs the task now (waits for a run in progress first). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startPeriodic(task: PeriodicTask, log: Logger): RunningTask {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();

  const runOnce = (): Promise<void> => {
    current = current.then(async () => {
      if (stopped) return;
      try {
        await task.run();
      } catch (err) {
        log.error({ err, task: task.name }, `periodic task ${task.name} failed`);
      }
    });
    return current;
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().then(() => schedule(task.intervalMs));
    }, delay);
    timer.unref();
  };
  schedule(task.initialDelayMs ?? 0);

  return {
    runNow: runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
