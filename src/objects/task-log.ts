// task_log (cell database): one row per run of an audited periodic task per host and period
// (instance_usage_audit), with its state (RUNNING/DONE), item and error counts.
import type { Selectable } from 'kysely';
import type { DbHandle } from '../db/connect.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb, TaskLogTable } from '../db/tables/cell-db.ts';
import { fromDbTimeStrict, toDbTime } from '../db/time.ts';
import { toNumberOrNull } from '../db/values.ts';

export interface TaskLog {
  readonly task_name: string;
  readonly state: string;
  readonly host: string;
  readonly period_beginning: Date;
  readonly period_ending: Date;
  readonly message: string;
  readonly task_items: number;
  readonly errors: number;
}

type Db = DbHandle<CellDb>;

function toTaskLog(r: Selectable<TaskLogTable>): TaskLog {
  return Object.freeze({
    task_name: r.task_name,
    state: r.state,
    host: r.host,
    period_beginning: fromDbTimeStrict(r.period_beginning),
    period_ending: fromDbTimeStrict(r.period_ending),
    message: r.message,
    task_items: toNumberOrNull(r.task_items) ?? 0,
    errors: toNumberOrNull(r.errors) ?? 0,
  });
}

/** Records the start (state RUNNING) of a task run on a host for a period. */
export async function begin(
  db: Db,
  t: {
    task_name: string;
    host: string;
    period_beginning: Date;
    period_ending: Date;
    task_items?: number;
    message?: string;
  },
  now: Date,
): Promise<void> {
  await insertReturningId(db, 'task_log', {
    task_name: t.task_name,
    state: 'RUNNING',
    host: t.host,
    period_beginning: toDbTime(t.period_beginning),
    period_ending: toDbTime(t.period_ending),
    message: t.message ?? '',
    task_items: t.task_items ?? 0,
    errors: 0,
    created_at: toDbTime(now),
  });
}

/** Records the end (state DONE) of a run begun with begin(). */
export async function end(
  db: Db,
  t: {
    task_name: string;
    host: string;
    period_beginning: Date;
    period_ending: Date;
    errors: number;
    message: string;
  },
  now: Date,
): Promise<void> {
  await db.kysely
    .updateTable('task_log')
    .set({ state: 'DONE', errors: t.errors, message: t.message, updated_at: toDbTime(now) })
    .where('task_name', '=', t.task_name)
    .where('host', '=', t.host)
    .where('period_beginning', '=', toDbTime(t.period_beginning))
    .where('period_ending', '=', toDbTime(t.period_ending))
    .where('deleted', '=', 0)
    .execute();
}

/** Every run of a task for exactly this period. */
export async function listForPeriod(
  db: Db,
  taskName: string,
  beginning: Date,
  ending: Date,
): Promise<readonly TaskLog[]> {
  const rows = await db.kysely
    .selectFrom('task_log')
    .selectAll()
    .where('deleted', '=', 0)
    .where('task_name', '=', taskName)
    .where('period_beginning', '=', toDbTime(beginning))
    .where('period_ending', '=', toDbTime(ending))
    .orderBy('id')
    .execute();
  return Object.freeze(rows.map(toTaskLog));
}
