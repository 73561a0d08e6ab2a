// GET / : the version document (no token needed).
import type { HandlerResult, RequestContext } from '../context.ts';
import { MAX_VERSION, MIN_VERSION } from '../microversion.ts';

export function versionDocument() {
  return {
    versions: [
      {
        id: `v${MIN_VERSION}`,
        max_version: MAX_VERSION,
        min_version: MIN_VERSION,
        status: 'CURRENT',
        links: [{ rel: 'self', href: '' }],
      },
    ],
  };
}

export async function home(ctx: RequestContext): Promise<HandlerResult> {
  return { status: 200, body: versionDocument(), lastModified: ctx.deps.clock.now() };
}
