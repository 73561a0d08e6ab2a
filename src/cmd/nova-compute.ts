import { createComputeService } from '../compute/service.ts';
import { openTransport, runDaemon } from './daemon.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-compute',
    description: 'nova-compute: runs instances on this host. Needs transport_url only (no database access).',
    async start(ctx) {
      const transport = await openTransport(ctx);
      const service = createComputeService(ctx.conf, transport, ctx.log);
      await service.start();
      return [service];
    },
  });
