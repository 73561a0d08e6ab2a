// GET /v2.0/agents and /v2.0/agents/{id} (Neutron's agent extension, read side): the data plane
// agents that report to this service, with alive from their heartbeats. Admin only, as upstream.
import type { FastifyInstance } from 'fastify';
import { agentView } from '../agents.ts';
import { authorize, callerOf, type NetCtx } from '../context.ts';
import { notFound } from '../faults.ts';
import { type IdParams, listBody, showFields } from './common.ts';

const agentNotFound = (id: string) => notFound('AgentNotFound', `Agent ${id} could not be found.`);

export function registerAgentRoutes(app: FastifyInstance, ctx: NetCtx): void {
  app.get('/v2.0/agents', async (req) => {
    authorize(ctx, callerOf(ctx, req), 'get_agent', {});
    const views = ctx.agents.list().map((a) => agentView(ctx.agents, a));
    return listBody(req, 'agents', views, agentNotFound);
  });

  app.get<IdParams>('/v2.0/agents/:id', async (req) => {
    authorize(ctx, callerOf(ctx, req), 'get_agent', {});
    const a = ctx.agents.list().find((x) => x.id === req.params.id);
    if (!a) throw agentNotFound(req.params.id);
    return { agent: showFields(req, agentView(ctx.agents, a)) };
  });
}
