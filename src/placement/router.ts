// The route table's machinery (upstream handler.py): each path maps methods to operations; a method
// missing on a known path is a 405 with Allow; an operation outside its microversion range is a
// 404 (or the status it names). Accept and Content-Type checks are declared, not coded per handler.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PolicyTarget } from '../policy/types.ts';
import type { Handler, HandlerDeps, RequestContext } from './context.ts';
import { queryParams } from './context.ts';
import { PlacementError } from './errors.ts';
import type { Microversion } from './microversion.ts';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface Operation {
  readonly handler: Handler;
  /** Microversion range; outside it the request gets `outOfRange` (404 by default). */
  readonly min?: string;
  readonly max?: string;
  readonly outOfRange?: 404 | 405;
  /** 'accept': the client must accept application/json; 'content': the body must be JSON. */
  readonly json?: 'accept' | 'content';
}

export type RouteTable = Readonly<Record<string, Partial<Record<Method, Operation | readonly Operation[]>>>>;

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** Whether an Accept header admits application/json (absent: yes). */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) <= 0) return false;
    return type === '*/*' || type === 'application/*' || type === 'application/json';
  });
}

function pick(ops: Operation | readonly Operation[], mv: Microversion): Operation | PlacementError {
  const list = Array.isArray(ops) ? (ops as readonly Operation[]) : [ops as Operation];
  for (const op of list) if (mv.within(op.min ?? '1.0', op.max)) return op;
  const status = list[0].outOfRange ?? 404;
  return status === 405
    ? new PlacementError(405, 'The method specified is not allowed for this resource.')
    : new PlacementError(404, '');
}

function checkMedia(op: Operation, req: FastifyRequest): void {
  if (op.json === 'accept' && !acceptsJson(req.headers.accept))
    throw new PlacementError(406, 'Only application/json is provided');
  if (op.json === 'content') {
    const type = mediaType(req.headers['content-type']);
    if (type !== 'application/json')
      throw new PlacementError(
        415,
        `The media type ${type || 'None'} is not supported, use application/json`,
      );
  }
}

function contextOf(req: FastifyRequest, deps: HandlerDeps): RequestContext {
  const mv = req.mv as Microversion;
  const auth = req.auth;
  return {
    mv,
    params: (req.params ?? {}) as Record<string, string>,
    query: queryParams(req.url),
    headers: req.headers,
    body: typeof req.body === 'string' ? req.body : undefined,
    auth,
    requestId: req.requestId,
    deps,
    can(rule: string, target?: PolicyTarget) {
      deps.enforcer.authorize(rule, target ?? { project_id: auth.project_id, user_id: auth.user_id }, auth);
    },
  };
}

async function run(op: Operation, req: FastifyRequest, reply: FastifyReply, deps: HandlerDeps) {
  checkMedia(op, req);
  const res = await op.handler(contextOf(req, deps));
  if (res.location) reply.header('location', res.location);
  if (res.lastModified && req.mv?.atLeast('1.15')) {
    reply.header('last-modified', res.lastModified.toUTCString());
    reply.header('cache-control', 'no-cache');
  }
  reply.code(res.status);
  if (res.body === undefined) return reply.removeHeader('content-type').send();
  return reply.type('application/json').send(JSON.stringify(res.body));
}

/** Registers every path of the table; `prefixes` mounts it more than once ('' and '/placement'). */
export function registerRoutes(app: FastifyInstance, table: RouteTable, deps: HandlerDeps): void {
  for (const [path, methods] of Object.entries(table)) {
    const allow = Object.keys(methods).join(', ');
    app.route({
      method: [...ALL_METHODS],
      url: path,
      exposeHeadRoute: false,
      handler: async (req, reply) => {
        const ops = methods[req.method as Method];
        if (!ops) {
          throw new PlacementError(
            405,
            `The method ${req.method} is not allowed for this resource.`,
            undefined,
            {
              allow,
            },
          );
        }
        const op = pick(ops, req.mv as Microversion);
        if (op instanceof PlacementError) throw op;
        return run(op, req, reply, deps);
      },
    });
  }
}
