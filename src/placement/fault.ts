// The one place errors become HTTP (placement's fault_wrap + json_error_formatter): the body is
// {"errors": [{status, title, detail, code (from 1.23), request_id}]}; anything unexpected is a
// logged 500. The detail reads as webob writes it: "<explanation>\n\n <message>  ".
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Fault } from '../faults/fault.ts';
import { ErrorCode, PlacementError } from './errors.ts';
import { MAX_VERSION, MIN_VERSION, type Microversion } from './microversion.ts';

const TITLES: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
});

const EXPLANATIONS: Readonly<Record<number, string>> = Object.freeze({
  400: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  401: 'This server could not verify that you are authorized to access the document you requested.',
  403: 'Access was denied to this resource.',
  404: 'The resource could not be found.',
  405: 'The method specified is not allowed for this resource.',
  406: 'The resource could not be generated that was acceptable to your browser.',
  409: 'There was a conflict when trying to complete your request.',
  413: 'The request is larger than the server is willing or able to process.',
  415: 'The request media type is not supported by this server.',
  500: 'The server has either erred or is incapable of performing the requested operation.',
});

declare module 'fastify' {
  interface FastifyRequest {
    /** The negotiated placement microversion (unset when negotiation failed). */
    mv: Microversion | undefined;
  }
}

export interface ErrorBodyEntry {
  status: number;
  title: string;
  detail: string;
  code?: string;
  request_id?: string;
  max_version?: string;
  min_version?: string;
}

/** The error body for a status and message, as the request's microversion wants it. */
export function errorBody(req: FastifyRequest, status: number, message: string, code?: string) {
  const explanation = EXPLANATIONS[status] ?? '';
  const entry: ErrorBodyEntry = {
    status,
    title: TITLES[status] ?? 'Error',
    detail: message ? `${explanation}\n\n ${message}  ` : `${explanation}\n\n   `,
  };
  if (req.mv?.atLeast('1.23')) entry.code = code?.startsWith('placement.') ? code : ErrorCode.DEFAULT;
  if (req.requestId) entry.request_id = req.requestId;
  if (status === 406 && !req.mv) {
    entry.max_version = MAX_VERSION;
    entry.min_version = MIN_VERSION;
  }
  return { errors: [entry] };
}

function send(req: FastifyRequest, reply: FastifyReply, status: number, message: string, code?: string) {
  return reply
    .code(status)
    .type('application/json')
    .send(errorBody(req, status, message, code));
}

/** Maps a thrown error to status, message and code. */
function classify(err: unknown): { status: number; message: string; code?: string } | undefined {
  if (err instanceof Fault && err.status < 500)
    return { status: err.status, message: err.message, code: err.code };
  const fe = err as FastifyError;
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, message: fe.message };
  if (fe?.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return { status: 400, message: fe.message };
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    return { status: fe.statusCode, message: fe.message };
  return undefined;
}

export function registerFaultHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const known = classify(err);
    if (err instanceof PlacementError) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
    if (known) return send(req, reply, known.status, known.message, known.code);
    req.log.error({ err }, 'Placement API unexpected error');
    return send(req, reply, 500, err instanceof Error ? err.message : String(err));
  });
  app.setNotFoundHandler((req, reply) => send(req, reply, 404, ''));
}
