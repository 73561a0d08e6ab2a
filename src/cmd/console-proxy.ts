// What nova-novncproxy and nova-serialproxy share: nova.conf, the databases holding the console
// tokens, one console proxy. With [api_database] connection the proxy serves every cell (their
// databases come from the cell mappings); with only [database] connection it serves that one cell,
// as upstream's per-cell proxies do.
import { createCellPool } from '../cells/cell-pool.ts';
import { systemClock } from '../common/clock.ts';
import { type ConsoleProxyDeps, cellDbsOf } from '../console/proxies.ts';
import type { ConsoleProxy } from '../console/proxy-server.ts';
import type { CellDbs } from '../console/token-check.ts';
import { StartupError } from '../faults/fault.ts';
import { type DaemonContext, openDatabase, runDaemon } from './daemon.ts';

async function tokenDatabases(ctx: DaemonContext): Promise<CellDbs> {
  const { api_database, database } = ctx.conf;
  if (api_database.connection) {
    const apiDb = await openDatabase(ctx, api_database.connection, '[api_database] connection');
    const cells = createCellPool(ctx.log);
    ctx.onClose(() => cells.closeAll());
    return cellDbsOf(apiDb, cells);
  }
  if (database.connection) {
    const cell = await openDatabase(ctx, database.connection, '[database] connection');
    return async () => [cell];
  }
  throw new StartupError(
    'Neither [api_database] connection nor [database] connection is set: the console proxy needs the databases holding the console tokens.',
  );
}

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
      const cellDbs = await tokenDatabases(ctx);
      return [await start({ conf: ctx.conf, log: ctx.log, clock: systemClock, cellDbs })];
    },
  });
}
