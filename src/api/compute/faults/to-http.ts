// The ONE place Compute API errors become HTTP: Nova's fault body
// `{"<faultName>": {"code": N, "message": "…"}}`, version headers, Retry-After for over-limit.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Unauthorized } from '../../../auth/types.ts';
import { Fault } from '../../../faults/fault.ts';
import { setVersionHeaders } from '../microversion.ts';
import { OverQuota, RESOURCE_NOT_FOUND, UnexpectedApiError, ValidationFailed } from './faults.ts';

/** wsgi.Fault._fault_names: anything else is computeFault. */
const FAULT_NAMES: Readonly<Record<number, string>> = Object.freeze({
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
});

/** webob's HTTPInternalServerError text: nothing about the cause leaks to the caller. */
export const GENERIC_500 =
  'The server has either erred or is incapable of performing the requested operation.';

export interface HttpError {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export function faultBody(status: number, message: string, extra: Record<string, unknown> = {}): unknown {
  const name = FAULT_NAMES[status] ?? 'computeFault';
  return { [name]: { code: status, message, ...extra } };
}

/** Fastify's own errors (body parsing, size limits) in Nova's words. */
function fromFastify(err: FastifyError): HttpError | undefined {
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return { status: 415, body: faultBody(415, 'Unsupported Content-Type'), headers: {} };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, body: faultBody(413, 'Request is too large.'), headers: {} };
  if (err.code?.startsWith('FST_ERR_CTP') || err.code === 'FST_ERR_VALIDATION')
    return { status: 400, body: faultBody(400, 'Malformed request body'), headers: {} };
  if (err instanceof SyntaxError || err.statusCode === 400)
    return { status: 400, body: faultBody(400, 'Malformed request body'), headers: {} };
  return undefined;
}

/** Any thrown value → status, body and headers. Unexpected errors are a generic 500. */
export function toHttp(err: unknown): HttpError {
  if (err instanceof Unauthorized) {
    // keystonemiddleware's own body, not a Nova fault.
    return {
      status: 401,
      body: { error: { code: 401, title: 'Unauthorized', message: err.message } },
      headers: {},
    };
  }
  if (err instanceof OverQuota) {
    const retry = err.retryAfter === undefined ? undefined : String(err.retryAfter);
    const headers: Record<string, string> = retry === undefined ? {} : { 'retry-after': retry };
    const extra = err.status === 413 && retry !== undefined ? { retryAfter: retry } : {};
    return { status: err.status, body: faultBody(err.status, err.message, extra), headers };
  }
  if (err instanceof UnexpectedApiError)
    return { status: 500, body: faultBody(500, err.message), headers: {} };
  if (err instanceof ValidationFailed || err instanceof Fault) {
    const status = err.status >= 400 && err.status < 600 ? err.status : 500;
    const message = status === 500 ? GENERIC_500 : err.message;
    return { status, body: faultBody(status, message), headers: {} };
  }
  const fastify = fromFastify(err as FastifyError);
  if (fastify) return fastify;
  return { status: 500, body: faultBody(500, GENERIC_500), headers: {} };
}

function send(req: FastifyRequest, reply: FastifyReply, e: HttpError): FastifyReply {
  if (req.computeMv) setVersionHeaders(reply, req.computeMv);
  for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
  return reply.status(e.status).type('application/json; charset=UTF-8').send(e.body);
}

/** Installs the error and not-found handlers of the Compute API app. */
export function registerFaultHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const e = toHttp(err);
    if (e.status >= 500) req.log.error({ err }, 'Unexpected API error');
    else req.log.info({ status: e.status, message: (err as Error).message }, 'API fault');
    return send(req, reply, e);
  });
  app.setNotFoundHandler((req, reply) =>
    send(req, reply, { status: 404, body: faultBody(404, RESOURCE_NOT_FOUND), headers: {} }),
  );
}
