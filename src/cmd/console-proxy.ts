// What nova-novncproxy and nova-serialproxy share: nova.conf, the API database (to find the cell
// databases holding the console tokens), one console proxy.
import { createCellPool } from '../cells/cell-pool.ts';
import { systemClock } from '../common/clock.ts';
import { type ConsoleProxyDeps, cellDbsOf } from '../console/proxies.ts';
import type { ConsoleProxy } from '../console/proxy-server.ts';
import { openDatabase, runDaemon } from './daemon.ts';

export function runConsoleProxy(
  argv: readonly string[],
  prog: string,
  description: string,
  start: (d: ConsoleProxyDeps) => Promise<ConsoleProxy>,
): Promise<number | undefined> {
  return runDaemon(argv, {
    prog,
    description,
    async start(ctx) {
      const apiDb = await openDatabase(ctx, ctx.conf.api_database.connection, '[api_database] connection');
      const cells = createCellPool(ctx.log);
      ctx.onClose(() => cells.closeAll());
      return [
        await start({ conf: ctx.conf, log: ctx.log, clock: systemClock, cellDbs: cellDbsOf(apiDb, cells) }),
      ];
    },
  });
}
