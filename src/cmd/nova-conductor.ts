import { systemClock } from '../common/clock.ts';
import { createConductorService } from '../conductor/service.ts';
import { openDatabase, openTransport, runDaemon } from './daemon.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-conductor',
    description: 'nova-conductor: builds and moves instances and is the database road for computes.',
    async start(ctx) {
      const cellDb = await openDatabase(ctx, ctx.conf.database.connection, '[database] connection');
      const transport = await openTransport(ctx);
      const service = createConductorService(ctx.conf, transport, { cellDb, clock: systemClock }, ctx.log);
      await service.start();
      return [service];
    },
  });
