// What the servers routes need from a request's context.
import { defaultImageClient } from '../../../compute-api/image-proxy.ts';
import type { ServersBackend } from '../../../compute-api/servers/backend.ts';
import { Fault } from '../../../faults/fault.ts';
import type { ImageClient } from '../../../image-client/client.ts';
import type { RouteContext } from '../routing/route.ts';

export function backendOf(ctx: RouteContext): ServersBackend {
  const b = ctx.deps.servers;
  if (!b) throw new Fault('The compute RPC backend is not configured.', 503, 'compute.no_backend');
  return b;
}

export function imagesOf(ctx: RouteContext): ImageClient {
  return ctx.deps.imageClient ? ctx.deps.imageClient(ctx.auth) : defaultImageClient(ctx.deps.conf, ctx.auth);
}

export const requestIdOf = (ctx: RouteContext): string =>
  String((ctx.req as { requestId?: string }).requestId ?? ctx.req.id);
