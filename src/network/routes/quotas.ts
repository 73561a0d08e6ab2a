// /v2.0/quotas: list (projects with limits of their own), show, defaults, details (limit, used,
// reserved), update and reset. Usage counts what a project owns.
import type { FastifyInstance } from 'fastify';
import { authorize, callerOf, type NetCtx, targetOf } from '../context.ts';
import { badRequest, invalidAttr } from '../faults.ts';
import {
  type CountedResource,
  DEFAULT_QUOTAS,
  deleteQuotas,
  projectsWithQuotas,
  QUOTA_TABLES,
  quotasOf,
  setQuotas,
  usage,
} from '../repo/quotas.ts';

type ProjectParams = { Params: { project_id: string } };

function parseLimits(body: unknown): Record<string, number> {
  const quota = (body as { quota?: unknown } | undefined)?.quota;
  if (!quota || typeof quota !== 'object' || Array.isArray(quota))
    throw badRequest("Unable to find 'quota' in request body");
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(quota as Record<string, unknown>)) {
    if (!(k in DEFAULT_QUOTAS)) throw badRequest(`Unrecognized attribute(s) '${k}'`);
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < -1)
      throw invalidAttr(k, `'${String(v)}' should be an integer greater than or equal to -1`);
    out[k] = n;
  }
  return out;
}

export function registerQuotaRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.get('/v2.0/quotas', async (req) => {
    const caller = callerOf(ctx, req);
    const projects = caller.admin ? await projectsWithQuotas(ctx.db) : [caller.project];
    const quotas = [];
    for (const p of projects) {
      if (!ctx.enforcer.enforce('get_quota', targetOf(p), caller.auth)) continue;
      quotas.push({ ...(await quotasOf(ctx.db, p)), project_id: p, tenant_id: p });
    }
    return { quotas };
  });

  app.get<ProjectParams>('/v2.0/quotas/:project_id', async (req) => {
    const caller = callerOf(ctx, req);
    authorize(ctx, caller, 'get_quota', targetOf(req.params.project_id));
    return { quota: await quotasOf(ctx.db, req.params.project_id) };
  });

  app.get<ProjectParams>('/v2.0/quotas/:project_id/default', async (req) => {
    const caller = callerOf(ctx, req);
    authorize(ctx, caller, 'get_quota', targetOf(req.params.project_id));
    return { quota: { ...DEFAULT_QUOTAS } };
  });

  app.get<ProjectParams>('/v2.0/quotas/:project_id/details', async (req) => {
    const caller = callerOf(ctx, req);
    const p = req.params.project_id;
    authorize(ctx, caller, 'get_quota', targetOf(p));
    const limits = await quotasOf(ctx.db, p);
    const quota: Record<string, { limit: number; used: number; reserved: number }> = {};
    for (const [k, limit] of Object.entries(limits)) {
      const used = k in QUOTA_TABLES ? await usage(ctx.db, k as CountedResource, p) : 0;
      quota[k] = { limit, used, reserved: 0 };
    }
    return { quota };
  });

  app.put<ProjectParams>('/v2.0/quotas/:project_id', async (req) => {
    const caller = callerOf(ctx, req);
    authorize(ctx, caller, 'update_quota', targetOf(req.params.project_id));
    await setQuotas(ctx.db, req.params.project_id, parseLimits(req.body));
    return { quota: await quotasOf(ctx.db, req.params.project_id) };
  });

  app.delete<ProjectParams>('/v2.0/quotas/:project_id', async (req, reply) => {
    const caller = callerOf(ctx, req);
    authorize(ctx, caller, 'delete_quota', targetOf(req.params.project_id));
    await deleteQuotas(ctx.db, req.params.project_id);
    return reply.code(204).send();
  });
}
