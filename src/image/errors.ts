// Glance's error bodies, in ONE place: Glance raises webob HTTP exceptions, whose body follows the
// request's Accept header (text/html when absent or */*, application/json when preferred, else
// text/plain). 401s come from keystonemiddleware and are its JSON. python-glanceclient and
// openstacksdk read all three forms.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Unauthorized } from '../auth/types.ts';
import { Fault } from '../faults/fault.ts';

const TITLES: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
});

const DEFAULT_EXPLANATION: Readonly<Record<number, string>> = Object.freeze({
  404: 'The resource could not be found.',
  500: 'The server has either erred or is incapable of performing the requested operation.',
});

type BodyType = 'text/html' | 'application/json' | 'text/plain';

/** webob's pick between text/html and application/json (first wins on equal quality). */
export function negotiate(accept: string | undefined): BodyType {
  if (!accept || accept.trim() === '') return 'text/html';
  const ranges = accept.split(',').map((part) => {
    const [range, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { range: range.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
  });
  const quality = (offer: string): number => {
    const [type] = offer.split('/');
    const exact = ranges.find((r) => r.range === offer);
    const typeWild = ranges.find((r) => r.range === `${type}/*`);
    const any = ranges.find((r) => r.range === '*/*');
    return (exact ?? typeWild ?? any)?.q ?? 0;
  };
  const html = quality('text/html');
  const json = quality('application/json');
  if (html <= 0 && json <= 0) return 'text/plain';
  return json > html ? 'application/json' : 'text/html';
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The body webob writes for status/explanation in the negotiated type. */
export function renderError(status: number, explanation: string, type: BodyType): string {
  const title = TITLES[status] ?? 'Error';
  const statusLine = `${status} ${title}`;
  const text = explanation || DEFAULT_EXPLANATION[status] || '';
  if (type === 'application/json')
    return JSON.stringify({ message: `${text}<br /><br />\n\n\n`, code: statusLine, title });
  if (type === 'text/html')
    return `<html>\n <head>\n  <title>${statusLine}</title>\n </head>\n <body>\n  <h1>${statusLine}</h1>\n  ${escapeHtml(text)}<br /><br />\n\n\n\n </body>\n</html>`;
  return `${statusLine}\n\n${text}\n\n   `;
}

export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, explanation: string) {
  if (status === 204) return reply.code(204).send();
  const type = negotiate(req.headers.accept);
  return reply
    .code(status)
    .header('content-type', `${type}; charset=UTF-8`)
    .send(renderError(status, explanation, type));
}

/** Fastify's own errors (body parsing, content types) as Glance's. */
function frameworkError(err: FastifyError): { status: number; message: string } | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: 'Malformed JSON in request body.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 415, message: 'The request media type is not supported by this server.' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'Request body too large.' };
    default:
      if (err instanceof SyntaxError) return { status: 400, message: 'Malformed JSON in request body.' };
      if (err.validation) return { status: 400, message: err.message };
      return undefined;
  }
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof Unauthorized) {
      return reply.code(401).send({ error: { code: 401, title: 'Unauthorized', message: err.message } });
    }
    const known = err instanceof Fault && err.status < 500 ? err : frameworkError(err);
    if (known) {
      if (known.status === 415 && req.method === 'PATCH')
        reply.header('accept-patch', PATCH_TYPES.join(', '));
      return sendError(req, reply, known.status, known.message);
    }
    req.log.error({ err }, 'unexpected error in the image API');
    return sendError(req, reply, 500, '');
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404, ''));
}

/** The PATCH media types Glance accepts (draft 4 and draft 10 of JSON Patch). */
export const PATCH_TYPES = [
  'application/openstack-images-v2.0-json-patch',
  'application/openstack-images-v2.1-json-patch',
] as const;
