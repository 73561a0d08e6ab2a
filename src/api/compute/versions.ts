// Version discovery documents of the compute API (GET / and GET /v2.1).
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const MIN_VERSION = '2.1';
export const MAX_VERSION = '2.104';

function baseUrl(req: FastifyRequest, prefix: string | undefined): string {
  if (prefix) return prefix.replace(/\/$/, '');
  const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}

function v21(base: string) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: MAX_VERSION,
    min_version: MIN_VERSION,
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/v2.1/` }],
  };
}

function v20(base: string) {
  return {
    id: 'v2.0',
    status: 'DEPRECATED',
    version: '',
    min_version: '',
    updated: '2025-07-04T12:00:00Z',
    links: [{ rel: 'self', href: `${base}/v2/` }],
  };
}

/** Registers GET / and GET /v2.1 (`linkPrefix` is [api] compute_link_prefix when set). */
export function registerVersionRoutes(app: FastifyInstance, linkPrefix?: string): void {
  app.get('/', async (req) => {
    const base = baseUrl(req, linkPrefix);
    return { versions: [v20(base), v21(base)] };
  });
  const one = (make: typeof v21, mediaVersion: string) => async (req: FastifyRequest) => {
    const doc = make(baseUrl(req, linkPrefix));
    return {
      version: {
        ...doc,
        links: [...doc.links, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
        'media-types': [
          {
            base: 'application/json',
            type: `application/vnd.openstack.compute+json;version=${mediaVersion}`,
          },
        ],
      },
    };
  };
  app.get('/v2.1', one(v21, '2.1'));
  app.get('/v2.1/', one(v21, '2.1'));
  // The legacy v2 endpoint's version document (its self link is listed at /).
  app.get('/v2', one(v20, '2'));
  app.get('/v2/', one(v20, '2'));
}
