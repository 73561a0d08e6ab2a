// Version discovery: `/` answers 300 Multiple Choices with the versions list, `/v3` 200 with v3.
import type { FastifyInstance } from 'fastify';
import type { RouteCtx } from '../context.ts';

function v3(base: string): Record<string, unknown> {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${base}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export function discoveryRoutes(app: FastifyInstance, ctx: RouteCtx): void {
  app.get('/', async (req, reply) => {
    const base = ctx.base(req);
    reply.status(300).header('location', `${base}/v3/`);
    return { versions: { values: [v3(base)] } };
  });
  for (const url of ['/v3', '/v3/']) {
    app.get(url, async (req) => ({ version: v3(ctx.base(req)) }));
  }
}
