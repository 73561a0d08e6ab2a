// Deprecated volume proxies (until 2.35; 404 above): os-volumes, os-snapshots (the network ones
// are forwarded to the network service by floating-ips.ts and security-groups.ts). Upstream
// forwards them to Cinder. nova-ts has no volume service yet, so after the policy check these
// answer what upstream answers when no such endpoint exists:
// a 500 naming keystoneauth's EndpointNotFound. (Forwarding to a configured Neutron/Cinder is not
// implemented.)
import { UnexpectedApiError } from '../faults/faults.ts';
import { PROXY_RULE_OF } from '../policies/proxies.ts';
import type { HttpMethod, RouteDef } from '../routing/route.ts';

const PROXY_MAX = '2.35';

const ROUTES: readonly (readonly [HttpMethod, string])[] = [
  ['GET', '/os-volumes'],
  ['POST', '/os-volumes'],
  ['GET', '/os-volumes/detail'],
  ['GET', '/os-volumes/:id'],
  ['DELETE', '/os-volumes/:id'],
  ['GET', '/os-snapshots'],
  ['POST', '/os-snapshots'],
  ['GET', '/os-snapshots/detail'],
  ['GET', '/os-snapshots/:id'],
  ['DELETE', '/os-snapshots/:id'],
];

const ENDPOINT_NOT_FOUND = 'keystoneauth1.exceptions.catalog.EndpointNotFound';

/** A deprecated proxy route (until 2.35) under its os_compute_api policy rule, owner = the caller. */
export function proxyRoute(
  method: HttpMethod,
  url: string,
  handler: RouteDef['handler'],
  status?: number,
): RouteDef {
  const rule = PROXY_RULE_OF.get(`${method} ${url}`);
  if (!rule) throw new Error(`no policy rule for ${method} ${url}`);
  return {
    method,
    url,
    maxVersion: PROXY_MAX,
    policy: { rule, target: (ctx) => ({ project_id: ctx.auth.project_id }) },
    ...(status ? { status } : {}),
    handler,
  };
}

export const PROXY_ROUTES: readonly RouteDef[] = Object.freeze(
  ROUTES.map(([method, url]) =>
    proxyRoute(method, url, async () => {
      throw new UnexpectedApiError(ENDPOINT_NOT_FOUND);
    }),
  ),
);
