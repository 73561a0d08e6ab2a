import { createCellPool } from '../cells/cell-pool.ts';
import { systemClock } from '../common/clock.ts';
import { ComputeClient } from '../compute/rpcapi.ts';
import type { BuildDeps } from '../conductor/build.ts';
import type { MoveDeps } from '../conductor/move-support.ts';
import { createConductorService } from '../conductor/service.ts';
import type { Database } from '../db/index.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { SchedulerClient } from '../scheduler/client.ts';
import { schedulerPlacement } from '../scheduler/placement.ts';
import { openDatabase, openTransport, runDaemon } from './daemon.ts';
import { placementFromConf } from './service-clients.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-conductor',
    description:
      'nova-conductor: builds and moves instances (with [api_database]) and is the database road for computes.',
    async start(ctx) {
      const cellDb = await openDatabase(ctx, ctx.conf.database.connection, '[database] connection');
      const apiUrl = ctx.conf.api_database.connection;
      const transport = await openTransport(ctx);
      let build: BuildDeps | undefined;
      let moves: MoveDeps | undefined;
      if (apiUrl) {
        const apiDb = (await openDatabase(ctx, apiUrl, '[api_database] connection')) as Database<ApiDb>;
        const cells = createCellPool(ctx.log);
        ctx.onClose(() => cells.closeAll());
        const placement = placementFromConf(ctx.conf, ctx.log, 'nova-conductor');
        build = {
          apiDb,
          cells,
          clock: systemClock,
          scheduler: new SchedulerClient(transport),
          compute: new ComputeClient(transport),
          placement: schedulerPlacement(placement),
          log: ctx.log,
        };
        moves = { ...build, allocations: { move: (from, to) => placement.moveAllocations(from, to) } };
      }
      const service = createConductorService(
        ctx.conf,
        transport,
        { cellDb, clock: systemClock, ...(build ? { build } : {}), ...(moves ? { moves } : {}) },
        ctx.log,
      );
      await service.start();
      return [service];
    },
  });
