import { createCellPool } from '../cells/cell-pool.ts';
import { systemClock } from '../common/clock.ts';
import { schedulerPlacement } from '../scheduler/placement.ts';
import { createSchedulerService } from '../scheduler/service.ts';
import { openDatabase, openTransport, runDaemon } from './daemon.ts';
import { placementFromConf } from './service-clients.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-scheduler',
    description: 'nova-scheduler: picks hosts for instances.',
    async start(ctx) {
      const cellDb = await openDatabase(ctx, ctx.conf.database.connection, '[database] connection');
      const apiUrl = ctx.conf.api_database.connection;
      const apiDb = apiUrl ? await openDatabase(ctx, apiUrl, '[api_database] connection') : undefined;
      const cells = createCellPool(ctx.log);
      ctx.onClose(() => cells.closeAll());
      const openCell = (url: string) => cells.open(url);
      const transport = await openTransport(ctx);
      const service = createSchedulerService({
        conf: ctx.conf,
        transport,
        cellDb,
        apiDb,
        openCell,
        clock: systemClock,
        log: ctx.log,
        cells,
        placement: schedulerPlacement(placementFromConf(ctx.conf, ctx.log, 'nova-scheduler')),
      });
      await service.start();
      return [service];
    },
  });
