// Version discovery: GET / answers 300 Multiple Choices, GET /versions 200, both listing the v2
// versions (Glance's shape). Interoperable import (2.6), multiple stores (2.8–2.13), the cache API
// (2.14+) and the locations API (2.17) are not offered, so 2.7 is the current version.
import type { FastifyInstance, FastifyRequest } from 'fastify';

const VERSIONS: readonly (readonly [string, 'CURRENT' | 'SUPPORTED'])[] = [
  ['2.7', 'CURRENT'],
  ['2.6', 'SUPPORTED'],
  ['2.5', 'SUPPORTED'],
  ['2.4', 'SUPPORTED'],
  ['2.3', 'SUPPORTED'],
  ['2.2', 'SUPPORTED'],
  ['2.1', 'SUPPORTED'],
  ['2.0', 'SUPPORTED'],
];

export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/', '/versions']);

function body(req: FastifyRequest, publicEndpoint: string | undefined) {
  const base = (publicEndpoint ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`).replace(/\/+$/, '');
  return {
    versions: VERSIONS.map(([id, status]) => ({
      id: `v${id}`,
      status,
      links: [{ rel: 'self', href: `${base}/v2/` }],
    })),
  };
}

export function registerVersionRoutes(app: FastifyInstance, publicEndpoint: string | undefined): void {
  app.get('/', async (req, reply) => reply.code(300).send(body(req, publicEndpoint)));
  app.get('/versions', async (req) => body(req, publicEndpoint));
}
