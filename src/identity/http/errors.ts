// The identity API's one error handler: every failure becomes Keystone's
// {"error": {"code": <status>, "title": "<reason>", "message": "…"}}; unexpected errors are a 500
// with a generic message (details go to the log only).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Fault } from '../../faults/fault.ts';
import { TITLES } from '../errors.ts';

export function errorBody(status: number, message: string): Record<string, unknown> {
  return { error: { code: status, title: TITLES[status] ?? 'Error', message } };
}

function fastifyMessage(err: FastifyError): string {
  if (err.validation && err.validation.length > 0) {
    const v = err.validation[0];
    const field =
      (v.params as { missingProperty?: string })?.missingProperty ??
      v.instancePath.split('/').filter(Boolean).pop();
    return `Invalid input for field '${field ?? err.validationContext ?? 'body'}': ${v.message ?? 'is invalid'}`;
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'The request media type is not supported.';
  if (
    err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    err instanceof SyntaxError
  )
    return 'The request body is not valid JSON.';
  return err.message;
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof Fault && err.status < 500) {
      return reply.status(err.status).send(errorBody(err.status, err.message));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const s = status === 422 ? 400 : status;
      return reply.status(s).send(errorBody(s, fastifyMessage(err)));
    }
    req.log.error({ err }, 'unexpected error in the identity API');
    return reply
      .status(500)
      .send(errorBody(500, 'An unexpected error prevented the server from fulfilling your request.'));
  });
  app.setNotFoundHandler((_req, reply) => {
    reply.status(404).send(errorBody(404, 'The resource could not be found.'));
  });
}
