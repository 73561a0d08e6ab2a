// Turns route declarations into Fastify routes under /v2.1 and /v2.1/{project_id}: picks the
// declaration whose microversion range holds the request (else 404), checks the project in the URL,
// validates query and body against the version's schemas, checks policy, runs the handler.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Invalid } from '../../../faults/fault.ts';
import type { PolicyTarget } from '../../../policy/types.ts';
import type { ComputeApiDeps } from '../deps.ts';
import { ResourceNotFound } from '../faults/faults.ts';
import type { SchemaValidator } from '../validation/validator.ts';
import { createLinks } from './links.ts';
import { pickVersion, type Query, type RouteContext, type RouteDef, type RouteTable } from './route.ts';

/** Upstream's ProjectMapper only takes hex-and-dash project ids in URLs. */
const PROJECT_RE = /^[0-9a-f-]+$/;

export const API_PREFIX = '/v2.1';

export function parseQuery(url: string): Query {
  const i = url.indexOf('?');
  const out: Record<string, string[]> = {};
  if (i < 0) return out;
  for (const [k, v] of new URLSearchParams(url.slice(i + 1))) {
    const list = out[k] ?? [];
    list.push(v);
    out[k] = list;
  }
  return out;
}

function checkProject(req: FastifyRequest, project: string | undefined): void {
  if (project === undefined) return;
  if (!PROJECT_RE.test(project)) throw new ResourceNotFound();
  const own = req.auth?.project_id;
  if (own !== undefined && project !== own) {
    throw new Invalid(
      `Malformed request URL: URL's project_id '${project}' doesn't match Context's project_id '${own}'`,
    );
  }
}

function makeContext(
  deps: ComputeApiDeps,
  validator: SchemaValidator,
  req: FastifyRequest,
  reply: FastifyReply,
  params: Record<string, string>,
  project: string | undefined,
): RouteContext {
  const query = parseQuery(req.url);
  const defaultTarget = (): PolicyTarget => ({ project_id: req.auth.project_id, user_id: req.auth.user_id });
  return {
    req,
    reply,
    mv: req.computeMv,
    auth: req.auth,
    params,
    body: req.body ?? null,
    query,
    deps,
    links: createLinks(req, { prefix: deps.conf.api.compute_link_prefix, project }),
    authorize: (rule, target) => deps.enforcer.authorize(rule, target ?? defaultTarget(), req.auth),
    can: (rule, target) => deps.enforcer.enforce(rule, target ?? defaultTarget(), req.auth),
    checkBody: (schema) => validator.check(schema, req.body ?? null, 'body'),
    param: (name) => {
      const v = query[name];
      return v && v.length > 0 ? v[v.length - 1] : undefined;
    },
  };
}

function checkPolicy(def: RouteDef, ctx: RouteContext): void {
  const p = def.policy;
  if (typeof p === 'string') ctx.authorize(p);
  else if ('rule' in p) ctx.authorize(p.rule, p.target(ctx));
}

async function run(def: RouteDef, ctx: RouteContext, validator: SchemaValidator): Promise<unknown> {
  const querySchema = pickVersion(def.query, ctx.mv);
  if (querySchema) validator.check(querySchema, ctx.query, 'query');
  const hasBody = ctx.req.method === 'POST' || ctx.req.method === 'PUT';
  const bodySchema = hasBody ? pickVersion(def.body, ctx.mv) : undefined;
  if (bodySchema) validator.check(bodySchema, ctx.body, 'body');
  checkPolicy(def, ctx);
  const result = await def.handler(ctx);
  const status = typeof def.status === 'function' ? def.status(ctx.mv) : (def.status ?? ctx.reply.statusCode);
  ctx.reply.status(status);
  if (result === undefined || status === 204) return ctx.reply.send();
  return ctx.reply.type('application/json').send(result);
}

/** The declaration (of those sharing method and URL) whose range holds the request's version. */
function select(defs: readonly RouteDef[], req: FastifyRequest): RouteDef {
  const def = defs.find((d) => req.computeMv.between(d.minVersion, d.maxVersion));
  if (!def) throw new ResourceNotFound();
  return def;
}

export function registerRoutes(
  app: FastifyInstance,
  table: RouteTable,
  deps: ComputeApiDeps,
  validator: SchemaValidator,
): void {
  const groups = new Map<string, RouteDef[]>();
  for (const def of table) {
    const k = `${def.method} ${def.url}`;
    const list = groups.get(k) ?? [];
    list.push(def);
    groups.set(k, list);
  }
  for (const defs of groups.values()) {
    const { method, url } = defs[0];
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const { project_id: project, ...params } = req.params as Record<string, string>;
      checkProject(req, project);
      if (Object.values(params).some((v) => v === '')) throw new ResourceNotFound();
      const def = select(defs, req);
      return run(def, makeContext(deps, validator, req, reply, params, project), validator);
    };
    app.route({ method, url: `${API_PREFIX}${url}`, handler });
    app.route({ method, url: `${API_PREFIX}/:project_id${url}`, handler });
  }
}
