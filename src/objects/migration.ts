// migrations (cell database): every move of an instance between hosts or nodes (cold migration,
// resize, live migration, evacuation), with its status. Soft-deleted as upstream.
import type { Selectable } from 'kysely';
import { newUuid } from '../common/ids.ts';
import type { DbHandle } from '../db/connect.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb, MigrationsTable } from '../db/tables/cell-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toBool, toNumber, toNumberOrNull } from '../db/values.ts';
import { NotFound } from '../faults/fault.ts';

export type MigrationType = 'migration' | 'resize' | 'live-migration' | 'evacuation';

export interface Migration {
  readonly id: number;
  readonly uuid: string | null;
  readonly instance_uuid: string | null;
  readonly source_compute: string | null;
  readonly dest_compute: string | null;
  readonly source_node: string | null;
  readonly dest_node: string | null;
  readonly dest_host: string | null;
  readonly dest_compute_id: number | null;
  readonly old_instance_type_id: number | null;
  readonly new_instance_type_id: number | null;
  readonly status: string | null;
  readonly migration_type: string | null;
  readonly hidden: boolean;
  readonly cross_cell_move: boolean;
  readonly user_id: string | null;
  readonly project_id: string | null;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
  /** Live-migration progress (bytes), null until the hypervisor reports. */
  readonly memory_total?: number | null;
  readonly memory_processed?: number | null;
  readonly memory_remaining?: number | null;
  readonly disk_total?: number | null;
  readonly disk_processed?: number | null;
  readonly disk_remaining?: number | null;
}

/** Columns a move updates as it goes (status, destination, live-migration progress). */
export type MigrationChanges = Partial<
  Pick<
    Migration,
    | 'status'
    | 'source_compute'
    | 'source_node'
    | 'dest_compute'
    | 'dest_node'
    | 'dest_host'
    | 'memory_total'
    | 'memory_processed'
    | 'memory_remaining'
    | 'disk_total'
    | 'disk_processed'
    | 'disk_remaining'
  >
>;

export interface NewMigration {
  readonly uuid?: string;
  readonly instance_uuid: string;
  readonly source_compute?: string | null;
  readonly dest_compute?: string | null;
  readonly source_node?: string | null;
  readonly dest_node?: string | null;
  readonly dest_host?: string | null;
  readonly old_instance_type_id?: number | null;
  readonly new_instance_type_id?: number | null;
  readonly status: string;
  readonly migration_type: MigrationType;
  readonly hidden?: boolean;
  readonly user_id?: string | null;
  readonly project_id?: string | null;
}

/** What upstream's migration_get_all_by_filters understands. */
export interface MigrationFilter {
  readonly status?: readonly string[];
  /** Source or destination compute. */
  readonly host?: string;
  /** Used only when host is not given. */
  readonly source_compute?: string;
  readonly node?: string;
  readonly migration_type?: string;
  readonly hidden?: boolean;
  readonly instance_uuid?: string;
  readonly user_id?: string;
  readonly project_id?: string;
  readonly changesSince?: Date;
  readonly changesBefore?: Date;
}

/** A migration in one of these states is over (upstream's in-progress query excludes them). */
export const FINISHED_STATUSES = Object.freeze([
  'confirmed',
  'reverted',
  'error',
  'failed',
  'completed',
  'cancelled',
  'done',
]);

type Db = DbHandle<CellDb>;

function toMigration(r: Selectable<MigrationsTable>): Migration {
  return Object.freeze({
    id: toNumber(r.id),
    uuid: r.uuid,
    instance_uuid: r.instance_uuid,
    source_compute: r.source_compute,
    dest_compute: r.dest_compute,
    source_node: r.source_node,
    dest_node: r.dest_node,
    dest_host: r.dest_host,
    dest_compute_id: toNumberOrNull(r.dest_compute_id),
    old_instance_type_id: toNumberOrNull(r.old_instance_type_id),
    new_instance_type_id: toNumberOrNull(r.new_instance_type_id),
    status: r.status,
    migration_type: r.migration_type,
    hidden: toBool(r.hidden),
    cross_cell_move: toBool(r.cross_cell_move),
    user_id: r.user_id,
    project_id: r.project_id,
    created_at: fromDbTime(r.created_at),
    updated_at: fromDbTime(r.updated_at),
    memory_total: toNumberOrNull(r.memory_total),
    memory_processed: toNumberOrNull(r.memory_processed),
    memory_remaining: toNumberOrNull(r.memory_remaining),
    disk_total: toNumberOrNull(r.disk_total),
    disk_processed: toNumberOrNull(r.disk_processed),
    disk_remaining: toNumberOrNull(r.disk_remaining),
  });
}

function live(db: Db) {
  return db.kysely.selectFrom('migrations').selectAll().where('deleted', '=', 0);
}

export async function create(db: Db, m: NewMigration, now: Date): Promise<Migration> {
  const id = await insertReturningId(db, 'migrations', {
    uuid: m.uuid ?? newUuid(),
    instance_uuid: m.instance_uuid,
    source_compute: m.source_compute ?? null,
    dest_compute: m.dest_compute ?? null,
    source_node: m.source_node ?? null,
    dest_node: m.dest_node ?? null,
    dest_host: m.dest_host ?? null,
    old_instance_type_id: m.old_instance_type_id ?? null,
    new_instance_type_id: m.new_instance_type_id ?? null,
    status: m.status,
    migration_type: m.migration_type,
    hidden: m.hidden ?? false,
    user_id: m.user_id ?? null,
    project_id: m.project_id ?? null,
    created_at: toDbTime(now),
  });
  return getById(db, id);
}

export async function getById(db: Db, id: number): Promise<Migration> {
  const row = await live(db).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`Migration ${id} could not be found.`, 'nova.migration_not_found');
  return toMigration(row);
}

export async function findByUuid(db: Db, uuid: string): Promise<Migration | undefined> {
  const row = await live(db).where('uuid', '=', uuid).executeTakeFirst();
  return row ? toMigration(row) : undefined;
}

/** Sets a migration's status (and updated_at). */
export async function setStatus(db: Db, id: number, status: string, now: Date): Promise<Migration> {
  await db.kysely
    .updateTable('migrations')
    .set({ status, updated_at: toDbTime(now) })
    .where('id', '=', id)
    .execute();
  return getById(db, id);
}

/** Updates a migration's columns (and updated_at). */
export async function update(db: Db, id: number, changes: MigrationChanges, now: Date): Promise<Migration> {
  await db.kysely
    .updateTable('migrations')
    .set({ ...changes, updated_at: toDbTime(now) })
    .where('id', '=', id)
    .execute();
  return getById(db, id);
}

/** Matching live migrations, newest first (created_at desc, id desc). */
export async function list(db: Db, f: MigrationFilter = {}): Promise<readonly Migration[]> {
  let q = live(db);
  if (f.changesSince) q = q.where('updated_at', '>=', toDbTime(f.changesSince));
  if (f.changesBefore) q = q.where('updated_at', '<=', toDbTime(f.changesBefore));
  if (f.status) q = q.where('status', 'in', f.status.length > 0 ? [...f.status] : ['']);
  if (f.host !== undefined) {
    const host = f.host;
    q = q.where((eb) => eb.or([eb('source_compute', '=', host), eb('dest_compute', '=', host)]));
  } else if (f.source_compute !== undefined) q = q.where('source_compute', '=', f.source_compute);
  if (f.node !== undefined) {
    const node = f.node;
    q = q.where((eb) => eb.or([eb('source_node', '=', node), eb('dest_node', '=', node)]));
  }
  if (f.migration_type !== undefined) q = q.where('migration_type', '=', f.migration_type);
  if (f.hidden !== undefined) q = q.where('hidden', '=', f.hidden);
  if (f.instance_uuid !== undefined) q = q.where('instance_uuid', '=', f.instance_uuid);
  if (f.user_id !== undefined) q = q.where('user_id', '=', f.user_id);
  if (f.project_id !== undefined) q = q.where('project_id', '=', f.project_id);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return Object.freeze(rows.map(toMigration));
}

/** Migrations from or to (host, node) that are not over yet. */
export async function listInProgressByHostAndNode(
  db: Db,
  host: string,
  node: string,
): Promise<readonly Migration[]> {
  const rows = await live(db)
    .where((eb) =>
      eb.or([
        eb.and([eb('source_compute', '=', host), eb('source_node', '=', node)]),
        eb.and([eb('dest_compute', '=', host), eb('dest_node', '=', node)]),
      ]),
    )
    .where((eb) => eb.or([eb('status', 'is', null), eb('status', 'not in', [...FINISHED_STATUSES])]))
    .orderBy('id')
    .execute();
  return Object.freeze(rows.map(toMigration));
}
