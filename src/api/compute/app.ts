// nova-api's Compute API server (osapi_compute). The frame (microversions, faults, policy) and the
// resources arrive with the Compute API work; today it serves version discovery.
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../common/log.ts';
import type { NovaConf } from '../../config/index.ts';
import { createHttpApp, listen } from '../http.ts';
import { registerVersionRoutes } from './versions.ts';

export function createComputeApiApp(conf: NovaConf, log: Logger): FastifyInstance {
  const app = createHttpApp({ log, requestIdHeaders: ['x-compute-request-id'] });
  registerVersionRoutes(app, conf.api.compute_link_prefix);
  return app;
}

export interface RunningHttp {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startComputeApi(conf: NovaConf, log: Logger): Promise<RunningHttp> {
  const app = createComputeApiApp(conf, log);
  const d = conf.DEFAULT;
  const url = await listen(
    app,
    d.osapi_compute_listen,
    d.osapi_compute_listen_port,
    'the Compute API (osapi_compute)',
  );
  log.info({ url }, 'Compute API listening');
  return { url, stop: () => app.close() };
}
