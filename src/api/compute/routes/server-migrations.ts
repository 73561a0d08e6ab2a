// /servers/{id}/migrations (upstream server_migrations.py): list and show a server's in-progress
// live migrations (2.23), force one to complete (2.22) and abort one (2.24; queued ones too from
// 2.65). uuid from 2.59, user_id/project_id from 2.80.
import {
  abortLiveMigration,
  forceComplete,
  inProgressLiveMigration,
  LIVE_IN_PROGRESS,
} from '../../../compute-api/servers/moves.ts';
import { Invalid } from '../../../faults/fault.ts';
import type { Migration } from '../../../objects/migration.ts';
import * as migrations from '../../../objects/migration.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import { actionRoute } from '../routing/actions.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as N from '../schemas/server-actions.ts';
import { isoTime } from '../views/time.ts';
import { acting, moveDeps } from './server-move-actions.ts';

const P = SERVER_POLICIES.migrations;
const URL = '/servers/:id/migrations';

function view(ctx: RouteContext, m: Migration) {
  return {
    created_at: isoTime(m.created_at),
    dest_compute: m.dest_compute,
    dest_host: m.dest_host,
    dest_node: m.dest_node,
    disk_processed_bytes: m.disk_processed ?? null,
    disk_remaining_bytes: m.disk_remaining ?? null,
    disk_total_bytes: m.disk_total ?? null,
    id: m.id,
    memory_processed_bytes: m.memory_processed ?? null,
    memory_remaining_bytes: m.memory_remaining ?? null,
    memory_total_bytes: m.memory_total ?? null,
    server_uuid: m.instance_uuid,
    source_compute: m.source_compute,
    source_node: m.source_node,
    status: m.status,
    updated_at: isoTime(m.updated_at),
    ...(ctx.mv.atLeast('2.59') ? { uuid: m.uuid } : {}),
    ...(ctx.mv.atLeast('2.80') ? { user_id: m.user_id, project_id: m.project_id } : {}),
  };
}

function migrationId(ctx: RouteContext): number {
  const raw = ctx.params.mid;
  if (!/^\d+$/.test(raw)) throw new Invalid(`Invalid migration id ${raw}.`);
  return Number(raw);
}

export const SERVER_MIGRATION_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: URL,
    minVersion: '2.23',
    policy: { inHandler: [P.index] },
    handler: async (ctx) => {
      const a = await acting(ctx, P.index, 'list migrations');
      const all = await migrations.list(a.cell.db, {
        instance_uuid: a.inst.uuid,
        migration_type: 'live-migration',
        status: [...LIVE_IN_PROGRESS],
      });
      return { migrations: all.map((m) => view(ctx, m)) };
    },
  },
  {
    method: 'GET',
    url: `${URL}/:mid`,
    minVersion: '2.23',
    policy: { inHandler: [P.show] },
    handler: async (ctx) => {
      const a = await acting(ctx, P.show, 'show migration');
      return { migration: view(ctx, await inProgressLiveMigration(a, migrationId(ctx))) };
    },
  },
  {
    method: 'DELETE',
    url: `${URL}/:mid`,
    minVersion: '2.24',
    policy: { inHandler: [P.delete] },
    status: 202,
    handler: async (ctx) => {
      const a = await acting(ctx, P.delete, 'abort live migration');
      await abortLiveMigration(moveDeps(ctx), a, migrationId(ctx), ctx.mv.atLeast('2.65'));
      return undefined;
    },
  },
  actionRoute({
    url: `${URL}/:mid/action`,
    rules: [P.forceComplete],
    actions: {
      force_complete: {
        minVersion: '2.22',
        body: N.nullBody('force_complete'),
        status: 202,
        handler: async (ctx) => {
          const a = await acting(ctx, P.forceComplete, 'force_complete');
          await forceComplete(moveDeps(ctx), a, migrationId(ctx));
          return undefined;
        },
      },
    },
  }),
];
