// Neutron's error body, in ONE place: every fault, framework error and unknown route becomes
// {"NeutronError": {"type", "message", "detail"}} with its status; 401s are keystonemiddleware's.
import type { FastifyError, FastifyInstance } from 'fastify';
import { Unauthorized } from '../auth/types.ts';
import { Fault } from '../faults/fault.ts';
import { PolicyNotAuthorized } from '../policy/types.ts';
import { NeutronFault } from './faults.ts';

export const neutronError = (type: string, message: string) => ({
  NeutronError: { type, message, detail: '' },
});

function classify(err: FastifyError): { status: number; type: string; message: string } | undefined {
  if (err instanceof NeutronFault) return { status: err.status, type: err.type, message: err.message };
  if (err instanceof PolicyNotAuthorized)
    return { status: 403, type: 'PolicyNotAuthorized', message: `rule:${err.rule} is disallowed by policy` };
  if (err instanceof Fault && err.status < 500)
    return { status: err.status, type: 'HTTPBadRequest', message: err.message };
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, type: 'MalformedRequestBody', message: 'Malformed request body' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, type: 'HTTPUnsupportedMediaType', message: 'Unsupported Content-Type' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, type: 'HTTPRequestEntityTooLarge', message: 'Request body too large' };
    default:
      if (err instanceof SyntaxError)
        return { status: 400, type: 'MalformedRequestBody', message: 'Malformed request body' };
      if (err.validation) return { status: 400, type: 'HTTPBadRequest', message: err.message };
      if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
        return { status: err.statusCode, type: 'HTTPBadRequest', message: err.message };
      return undefined;
  }
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof Unauthorized) {
      return reply.code(401).send({ error: { code: 401, title: 'Unauthorized', message: err.message } });
    }
    const known = classify(err);
    if (known) return reply.code(known.status).send(neutronError(known.type, known.message));
    req.log.error({ err }, 'unexpected error in the network API');
    return reply
      .code(500)
      .send(
        neutronError(
          'HTTPInternalServerError',
          'Request Failed: internal server error while processing your request.',
        ),
      );
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send(neutronError('HTTPNotFound', 'The resource could not be found.')),
  );
}
