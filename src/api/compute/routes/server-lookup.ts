// Finding the server of a sub-resource request (/servers/{id}/…) and checking the rule against the
// server's project, as upstream's common.get_instance followed by context.can(target=project).
import { type Located, locate } from '../../../compute-api/servers/lookup.ts';
import type { RouteContext } from '../routing/route.ts';

/** The project a located server belongs to. */
export const projectOf = (l: Located): string =>
  l.kind === 'instance' ? l.instance.project_id : l.build.project_id;

/** Locates the server (404 when not visible to the caller), then authorizes `rule` on its project. */
export async function serverFor(ctx: RouteContext, rule: string): Promise<Located> {
  const l = await locate(ctx.deps.apiDb, ctx.deps.cells, ctx.auth, ctx.params.id);
  ctx.authorize(rule, { project_id: projectOf(l) });
  return l;
}
