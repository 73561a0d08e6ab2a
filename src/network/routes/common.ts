// What every collection route shares: list answers (filters, fields, sorting, pagination), show
// answers (fields), and removing attributes the caller's policy may not read.
import type { FastifyRequest } from 'fastify';
import type { PolicyTarget } from '../../policy/types.ts';
import { type Caller, collectionUrl, type NetCtx } from '../context.ts';
import type { NeutronFault } from '../faults.ts';
import { applyListQuery, parseListQuery, queryOf, selectFields } from '../list-query.ts';

type View = Record<string, unknown>;

export type IdParams = { Params: { id: string } };

export function listBody(
  req: FastifyRequest,
  plural: string,
  views: readonly View[],
  notFound: (id: string) => NeutronFault,
): Record<string, unknown> {
  const known = new Set<string>(views.length > 0 ? Object.keys(views[0]) : []);
  for (const k of ['id', 'name', 'tenant_id', 'project_id', 'description', 'created_at', 'updated_at'])
    known.add(k);
  const params = queryOf(req.url);
  // With nothing to list, any filter matches nothing: accept every key rather than refuse.
  if (views.length === 0) for (const k of params.keys()) known.add(k);
  const q = parseListQuery(params, known);
  const page = applyListQuery(views, q, collectionUrl(req), notFound);
  const body: Record<string, unknown> = { [plural]: page.items };
  if (page.links.length > 0) body[`${plural}_links`] = page.links;
  return body;
}

export function showFields(req: FastifyRequest, view: View): View {
  const fields = queryOf(req.url)
    .getAll('fields')
    .flatMap((f) => f.split(','))
    .filter((f) => f !== '');
  return selectFields(view, fields) as View;
}

/** The view without the attributes `get_<res>:<attr>` refuses the caller. */
export function redact(
  ctx: NetCtx,
  caller: Caller,
  res: string,
  view: View,
  attrs: readonly string[],
  target: PolicyTarget,
): View {
  const out = { ...view };
  for (const a of attrs) if (!ctx.enforcer.enforce(`get_${res}:${a}`, target, caller.auth)) delete out[a];
  return out;
}
