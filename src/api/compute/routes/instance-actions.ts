// /servers/{id}/os-instance-actions[/{request_id}] — upstream instance_actions.py: the actions of a
// server (deleted ones too from 2.21), paged with limit/marker and changes-since from 2.58,
// changes-before from 2.66; one action with events (always for admins, for everyone from 2.51;
// traceback and host for admins, hostId from 2.62, details from 2.84 by policy).
import { getAction, listActions, locateForActions } from '../../../compute-api/instance-actions.ts';
import { Invalid, NotFound } from '../../../faults/fault.ts';
import type { ActionPage } from '../../../objects/instance-action.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import { pageOf } from '../routing/pagination.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/instance-actions.ts';
import { actionView, eventView } from '../views/instance-actions.ts';

const P = SERVER_POLICIES.instanceActions;

/** The server, read with deleted rows from 2.21, and the rule checked on its project. */
async function scopeFor(ctx: RouteContext, rule: string) {
  const scope = await locateForActions(ctx.deps.apiDb, ctx.deps.cells, ctx.auth, ctx.params.id, {
    readDeleted: ctx.mv.atLeast('2.21'),
  });
  ctx.authorize(rule, { project_id: scope.project_id });
  return scope;
}

/** timeutils.parse_isotime: an ISO 8601 time, UTC when no zone is given. */
function parseTime(ctx: RouteContext, name: string): Date | undefined {
  const v = ctx.param(name);
  if (v === undefined) return undefined;
  const text = v.replace(' ', 'T');
  const d = new Date(/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(d.getTime())) throw new Invalid(`Invalid ${name} value: ${v}`);
  return d;
}

function pageFor(ctx: RouteContext): ActionPage {
  if (!ctx.mv.atLeast('2.58')) return {};
  const since = parseTime(ctx, 'changes-since');
  const before = ctx.mv.atLeast('2.66') ? parseTime(ctx, 'changes-before') : undefined;
  if (since && before && before < since)
    throw new Invalid('The value of changes-since must be less than or equal to changes-before.');
  return {
    ...pageOf(ctx),
    ...(since && { changesSince: since }),
    ...(before && { changesBefore: before }),
  };
}

export const INSTANCE_ACTION_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/servers/:id/os-instance-actions',
    policy: { inHandler: [P.list] },
    query: S.indexQuery,
    handler: async (ctx) => {
      const scope = await scopeFor(ctx, P.list);
      const page = pageFor(ctx);
      const list = await listActions(scope, ctx.params.id, page);
      const body: Record<string, unknown> = { instanceActions: list.map((a) => actionView(a, ctx.mv)) };
      if (ctx.mv.atLeast('2.58') && page.limit !== undefined) {
        const links = ctx.links.collection(
          `servers/${ctx.params.id}/os-instance-actions`,
          list,
          () => list[list.length - 1].request_id,
          page.limit,
        );
        if (links.length > 0) body.links = links;
      }
      return body;
    },
  },
  {
    method: 'GET',
    url: '/servers/:id/os-instance-actions/:request_id',
    policy: { inHandler: [P.show, P.events, P.eventsDetails] },
    query: S.showQuery,
    handler: async (ctx) => {
      const scope = await scopeFor(ctx, P.show);
      const requestId = ctx.params.request_id;
      const found = await getAction(scope, ctx.params.id, requestId);
      if (!found) throw new NotFound(`Action ${requestId} not found`, 'nova.instance_action_not_found');
      const action = actionView(found.action, ctx.mv);
      const target = { project_id: scope.project_id };
      const admin = ctx.can(P.events, target);
      if (!admin && !ctx.mv.atLeast('2.51')) return { instanceAction: action };
      const show = {
        traceback: admin,
        host: admin && ctx.mv.atLeast('2.62'),
        hostId: ctx.mv.atLeast('2.62'),
        details: ctx.mv.atLeast('2.84') && ctx.can(P.eventsDetails, target),
      };
      const project = found.action.project_id || scope.project_id;
      return {
        instanceAction: { ...action, events: found.events.map((e) => eventView(e, project, show)) },
      };
    },
  },
];
