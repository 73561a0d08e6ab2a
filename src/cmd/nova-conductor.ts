import { systemClock } from '../common/clock.ts';
import { CONDUCTOR_TOPIC } from '../conductor/api.ts';
import { conductorEndpoint } from '../conductor/service.ts';
import { dbServiceStore } from '../service/db-service-store.ts';
import { NovaService } from '../service/service.ts';
import { openDatabase, openTransport, runDaemon } from './daemon.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-conductor',
    description: 'nova-conductor: builds and moves instances and is the database road for computes.',
    async start(ctx) {
      const cellDb = await openDatabase(ctx, ctx.conf.database.connection, '[database] connection');
      const transport = await openTransport(ctx);
      const service = new NovaService({
        binary: 'nova-conductor',
        topic: CONDUCTOR_TOPIC,
        host: ctx.conf.DEFAULT.host,
        transport,
        store: dbServiceStore(cellDb, systemClock),
        endpoints: [conductorEndpoint({ cellDb, clock: systemClock })],
        reportIntervalMs: ctx.conf.DEFAULT.report_interval * 1000,
        log: ctx.log,
      });
      await service.start();
      return [service];
    },
  });
