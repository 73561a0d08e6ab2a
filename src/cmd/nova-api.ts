import { startComputeApi } from '../api/compute/app.ts';
import { runDaemon } from './daemon.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-api',
    description:
      'nova-api: the Compute API (osapi_compute) on [DEFAULT] osapi_compute_listen:osapi_compute_listen_port.',
    async start(ctx) {
      return [await startComputeApi(ctx.conf, ctx.log)];
    },
  });
