// GET /os-migrations (filters; migration_type and links 2.23; paging, uuid, changes-since 2.59;
// changes-before 2.66; user_id/project_id 2.80) and POST /os-server-external-events — upstream
// migrations.py and server_external_events.py.
import { processEvents } from '../../../compute-api/external-events.ts';
import { listMigrations } from '../../../compute-api/migrations.ts';
import { Invalid } from '../../../faults/fault.ts';
import type { Migration, MigrationFilter } from '../../../objects/migration.ts';
import { USAGE_POLICIES as P } from '../policies/usage.ts';
import { pageOf } from '../routing/pagination.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/usage.ts';
import { boolFromString } from '../validation/params.ts';
import { isoTime } from '../views/time.ts';
import { cellDeps } from './infra.ts';

const LIVE_IN_PROGRESS = ['queued', 'preparing', 'running', 'post-migrating'];

function parseTime(ctx: RouteContext, name: string): Date | undefined {
  const v = ctx.param(name);
  if (v === undefined) return undefined;
  const d = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}Z`);
  if (Number.isNaN(d.getTime())) throw new Invalid(`Invalid ${name} value: ${v}`);
  return d;
}

function filterOf(ctx: RouteContext): MigrationFilter {
  const p = (n: string) => ctx.param(n);
  const since = ctx.mv.atLeast('2.59') ? parseTime(ctx, 'changes-since') : undefined;
  const before = ctx.mv.atLeast('2.66') ? parseTime(ctx, 'changes-before') : undefined;
  if (since && before && before < since)
    throw new Invalid('The value of changes-since must be less than or equal to changes-before.');
  const hidden = p('hidden');
  return {
    ...(p('status') !== undefined && { status: [p('status') as string] }),
    ...(p('host') !== undefined && { host: p('host') }),
    ...(p('source_compute') !== undefined && { source_compute: p('source_compute') }),
    ...(p('node') !== undefined && { node: p('node') }),
    ...(p('migration_type') !== undefined && { migration_type: p('migration_type') }),
    ...(hidden !== undefined && { hidden: boolFromString(hidden) }),
    ...(p('instance_uuid') !== undefined && { instance_uuid: p('instance_uuid') }),
    ...(p('user_id') !== undefined && { user_id: p('user_id') }),
    ...(p('project_id') !== undefined && { project_id: p('project_id') }),
    ...(since && { changesSince: since }),
    ...(before && { changesBefore: before }),
  };
}

function migrationView(ctx: RouteContext, m: Migration, withHost: boolean) {
  const mv = ctx.mv;
  const host = (v: string | null) => (withHost ? v : null);
  const liveInProgress = m.migration_type === 'live-migration' && LIVE_IN_PROGRESS.includes(m.status ?? '');
  return {
    created_at: isoTime(m.created_at),
    dest_compute: host(m.dest_compute),
    dest_host: host(m.dest_host),
    dest_node: host(m.dest_node),
    id: m.id,
    instance_uuid: m.instance_uuid,
    new_instance_type_id: m.new_instance_type_id,
    old_instance_type_id: m.old_instance_type_id,
    source_compute: host(m.source_compute),
    source_node: host(m.source_node),
    status: m.status,
    updated_at: isoTime(m.updated_at),
    ...(mv.atLeast('2.23') && { migration_type: m.migration_type }),
    ...(mv.atLeast('2.23') &&
      liveInProgress && { links: ctx.links.item(`servers/${m.instance_uuid}/migrations`, m.id) }),
    ...(mv.atLeast('2.59') && { uuid: m.uuid }),
    ...(mv.atLeast('2.80') && { user_id: m.user_id, project_id: m.project_id }),
  };
}

async function index(ctx: RouteContext) {
  ctx.authorize(P.migrationsIndex);
  const project = ctx.param('project_id');
  if (!project || project !== ctx.auth.project_id) ctx.authorize(P.migrationsAllProjects);
  const withHost = ctx.can(P.migrationsHost);
  const paged = ctx.mv.atLeast('2.59');
  const page = paged ? pageOf(ctx) : undefined;
  const list = (await listMigrations(cellDeps(ctx), filterOf(ctx), page)).filter((m) => !m.hidden);
  const views = list.map((m) => migrationView(ctx, m, withHost));
  const links = page
    ? ctx.links.collection('os-migrations', views, () => views[views.length - 1].uuid as string, page.limit)
    : [];
  return { migrations: views, ...(links.length > 0 && { migrations_links: links }) };
}

async function createEvents(ctx: RouteContext) {
  const outcome = await processEvents(cellDeps(ctx), ctx.body.events);
  if (outcome.accepted.length > 0) {
    if (ctx.deps.eventSink) await ctx.deps.eventSink.deliver(outcome.accepted);
    else
      ctx.deps.log.warn(
        { events: outcome.accepted.length },
        'external events accepted but not delivered: no event sink (compute RPC) configured',
      );
  }
  ctx.reply.status(outcome.status);
  return { events: outcome.results };
}

export const MIGRATION_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/os-migrations',
    policy: { inHandler: [P.migrationsIndex, P.migrationsAllProjects, P.migrationsHost] },
    query: S.migrationsQuery,
    handler: index,
  },
  {
    method: 'POST',
    url: '/os-server-external-events',
    policy: { rule: P.externalEvents, target: () => ({}) },
    body: S.externalEventsBody,
    handler: createEvents,
  },
];
