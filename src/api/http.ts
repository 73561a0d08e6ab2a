// The HTTP frame every nova-ts API (compute, placement, identity, image) shares: Fastify with Ajv set
// to reject (never strip or coerce) what a schema does not allow, a request id per request
// (x-openstack-request-id, req-<uuid>), and listen/close with a clear error for a busy port.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import { newRequestId } from '../common/ids.ts';
import type { Logger } from '../common/log.ts';
import { StartupError } from '../faults/fault.ts';

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string;
  }
}

export interface HttpAppOptions {
  readonly log: Logger;
  /** Extra response headers that repeat the request id (compute adds x-compute-request-id). */
  readonly requestIdHeaders?: readonly string[];
}

export function createHttpApp(opts: HttpAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.log as FastifyBaseLogger,
    // Our own access line (onResponse below) replaces Fastify's two per-request lines.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    genReqId: () => newRequestId(),
    // Errors Fastify detects itself (over-long path parameters, malformed URLs) go through the
    // API's own error handler too, so they get that API's error body.
    frameworkErrors: (err, _req, reply) => {
      (reply as unknown as FastifyReply).send(err);
    },
  });
  app.decorateRequest('requestId', '');
  const headers = ['x-openstack-request-id', ...(opts.requestIdHeaders ?? [])];
  app.addHook('onRequest', async (req, reply) => {
    req.requestId = String(req.id);
    for (const h of headers) reply.header(h, req.requestId);
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      `${req.ip} "${req.method} ${req.url}" status: ${reply.statusCode}`,
    );
  });
  return app;
}

/** Listens on host:port; a port in use or a bad address becomes a one-line StartupError. */
export async function listen(
  app: FastifyInstance,
  host: string,
  port: number,
  what: string,
): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? 'the port is already in use' : (e.message ?? String(err));
    throw new StartupError(
      `Cannot listen on ${host}:${port} for ${what}: ${why}. Stop what uses it or change the port option.`,
    );
  }
}
