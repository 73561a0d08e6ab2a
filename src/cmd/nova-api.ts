import { startComputeApi } from '../api/compute/app.ts';
import { COMPUTE_POLICY_DEFAULTS } from '../api/compute/policies/index.ts';
import { createCellPool } from '../cells/cell-pool.ts';
import { systemClock } from '../common/clock.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import { validatorFromConf } from './api-security.ts';
import { openDatabase, runDaemon } from './daemon.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-api',
    description:
      'nova-api: the Compute API (osapi_compute) on [DEFAULT] osapi_compute_listen:osapi_compute_listen_port.',
    async start(ctx) {
      const apiDb = await openDatabase(ctx, ctx.conf.api_database.connection, '[api_database] connection');
      const cells = createCellPool(ctx.log);
      ctx.onClose(() => cells.closeAll());
      const api = await startComputeApi({
        conf: ctx.conf,
        log: ctx.log,
        validator: validatorFromConf(ctx.conf, ctx.log),
        enforcer: enforcerFromConf(ctx.conf, COMPUTE_POLICY_DEFAULTS, ctx.configFiles, ctx.log),
        apiDb,
        cells,
        clock: systemClock,
      });
      return [api];
    },
  });
