// instance_actions (+ events) in the cell database: what was asked of an instance (one row per
// API request: create, reboot, resize, …) and the steps services ran for it, each event with a
// start, a finish and a result (Success / Error). `openstack server event list` reads these.
import type { Selectable } from 'kysely';
import type { DbHandle } from '../db/connect.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb, InstanceActionsEventsTable, InstanceActionsTable } from '../db/tables/cell-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toNumber, toNumberOrNull } from '../db/values.ts';

export interface InstanceAction {
  readonly id: number;
  readonly action: string;
  readonly instance_uuid: string;
  readonly request_id: string;
  readonly user_id: string | null;
  readonly project_id: string | null;
  readonly start_time: Date | null;
  readonly finish_time: Date | null;
  readonly message: string | null;
  readonly updated_at: Date | null;
}

export interface ActionEvent {
  readonly id: number;
  readonly action_id: number;
  readonly event: string;
  readonly start_time: Date | null;
  readonly finish_time: Date | null;
  readonly result: string | null;
  readonly traceback: string | null;
  readonly host: string | null;
  readonly details: string | null;
}

/** Who asked: the request of the API call that started the action. */
export interface ActionContext {
  readonly request_id: string;
  readonly user_id?: string | null;
  readonly project_id?: string | null;
}

type Db = DbHandle<CellDb>;

function toAction(r: Selectable<InstanceActionsTable>): InstanceAction {
  return Object.freeze({
    id: toNumber(r.id),
    action: r.action ?? '',
    instance_uuid: r.instance_uuid ?? '',
    request_id: r.request_id ?? '',
    user_id: r.user_id,
    project_id: r.project_id,
    start_time: fromDbTime(r.start_time),
    finish_time: fromDbTime(r.finish_time),
    message: r.message,
    updated_at: fromDbTime(r.updated_at),
  });
}

function toEvent(r: Selectable<InstanceActionsEventsTable>): ActionEvent {
  return Object.freeze({
    id: toNumber(r.id),
    action_id: toNumberOrNull(r.action_id) ?? 0,
    event: r.event ?? '',
    start_time: fromDbTime(r.start_time),
    finish_time: fromDbTime(r.finish_time),
    result: r.result,
    traceback: r.traceback,
    host: r.host,
    details: r.details,
  });
}

/** Records a new action on an instance (idempotent per request id and action). */
export async function start(
  db: Db,
  instanceUuid: string,
  action: string,
  ctx: ActionContext,
  now: Date,
): Promise<number> {
  const existing = await db.kysely
    .selectFrom('instance_actions')
    .select('id')
    .where('instance_uuid', '=', instanceUuid)
    .where('request_id', '=', ctx.request_id)
    .where('action', '=', action)
    .executeTakeFirst();
  if (existing) return toNumber(existing.id);
  return insertReturningId(db, 'instance_actions', {
    action,
    instance_uuid: instanceUuid,
    request_id: ctx.request_id,
    user_id: ctx.user_id ?? null,
    project_id: ctx.project_id ?? null,
    start_time: toDbTime(now),
    created_at: toDbTime(now),
    updated_at: toDbTime(now),
  });
}

async function findAction(db: Db, instanceUuid: string, requestId: string): Promise<number | undefined> {
  const row = await db.kysely
    .selectFrom('instance_actions')
    .select('id')
    .where('instance_uuid', '=', instanceUuid)
    .where('request_id', '=', requestId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? toNumber(row.id) : undefined;
}

/** Starts an event of the action of this request (creating the action if the API did not). */
export async function eventStart(
  db: Db,
  instanceUuid: string,
  ctx: ActionContext,
  event: string,
  host: string | null,
  now: Date,
): Promise<void> {
  const actionId =
    (await findAction(db, instanceUuid, ctx.request_id)) ?? (await start(db, instanceUuid, event, ctx, now));
  await insertReturningId(db, 'instance_actions_events', {
    event,
    action_id: actionId,
    start_time: toDbTime(now),
    host,
    created_at: toDbTime(now),
  });
  await db.kysely
    .updateTable('instance_actions')
    .set({ updated_at: toDbTime(now) })
    .where('id', '=', actionId)
    .execute();
}

/** Finishes the newest open event of that name; an error marks the action's message "Error". */
export async function eventFinish(
  db: Db,
  instanceUuid: string,
  ctx: ActionContext,
  event: string,
  error: { readonly message: string; readonly traceback?: string } | null,
  now: Date,
): Promise<void> {
  const actionId = await findAction(db, instanceUuid, ctx.request_id);
  if (actionId === undefined) return;
  const open = await db.kysely
    .selectFrom('instance_actions_events')
    .select('id')
    .where('action_id', '=', actionId)
    .where('event', '=', event)
    .where('finish_time', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!open) return;
  await db.kysely
    .updateTable('instance_actions_events')
    .set({
      finish_time: toDbTime(now),
      result: error ? 'Error' : 'Success',
      traceback: error ? (error.traceback ?? error.message) : null,
      details: error ? error.message.slice(0, 4000) : null,
      updated_at: toDbTime(now),
    })
    .where('id', '=', toNumber(open.id))
    .execute();
  await db.kysely
    .updateTable('instance_actions')
    .set({ updated_at: toDbTime(now), ...(error ? { message: 'Error' } : {}) })
    .where('id', '=', actionId)
    .execute();
}

export interface ActionPage {
  readonly limit?: number;
  /** request_id of the last action of the previous page. */
  readonly marker?: string;
  readonly changesSince?: Date;
  readonly changesBefore?: Date;
}

/** Actions of an instance, newest first. */
export async function listFor(
  db: Db,
  instanceUuid: string,
  page: ActionPage = {},
): Promise<InstanceAction[]> {
  let q = db.kysely
    .selectFrom('instance_actions')
    .selectAll()
    .where('instance_uuid', '=', instanceUuid)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
  if (page.changesSince) q = q.where('updated_at', '>=', toDbTime(page.changesSince));
  if (page.changesBefore) q = q.where('updated_at', '<=', toDbTime(page.changesBefore));
  if (page.marker !== undefined) {
    const m = await db.kysely
      .selectFrom('instance_actions')
      .select('id')
      .where('instance_uuid', '=', instanceUuid)
      .where('request_id', '=', page.marker)
      .executeTakeFirst();
    if (!m) return [];
    q = q.where('id', '<', toNumber(m.id));
  }
  if (page.limit !== undefined) q = q.limit(page.limit);
  return (await q.execute()).map(toAction);
}

/** An action with its events (newest event first), or undefined. */
export async function getByRequestId(
  db: Db,
  instanceUuid: string,
  requestId: string,
): Promise<{ action: InstanceAction; events: ActionEvent[] } | undefined> {
  const row = await db.kysely
    .selectFrom('instance_actions')
    .selectAll()
    .where('instance_uuid', '=', instanceUuid)
    .where('request_id', '=', requestId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!row) return undefined;
  const events = await db.kysely
    .selectFrom('instance_actions_events')
    .selectAll()
    .where('action_id', '=', toNumber(row.id))
    .orderBy('id', 'desc')
    .execute();
  return { action: toAction(row), events: events.map(toEvent) };
}
