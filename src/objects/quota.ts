// Quota limits in the API database: per project (quotas), per user in a project
// (project_user_quotas) and per class (quota_classes; class 'default' overrides [quota] options).
import type { DbHandle } from '../db/connect.ts';
import { insertReturningId } from '../db/insert.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { toDbTime } from '../db/time.ts';
import { toNumberOrNull } from '../db/values.ts';

type Db = DbHandle<ApiDb>;
export type Limits = Readonly<Record<string, number>>;

function toLimits(rows: readonly { resource: string | null; hard_limit: unknown }[]): Limits {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.resource !== null) out[r.resource] = toNumberOrNull(r.hard_limit) ?? -1;
  return Object.freeze(out);
}

export async function getProjectLimits(db: Db, projectId: string): Promise<Limits> {
  const rows = await db.kysely
    .selectFrom('quotas')
    .select(['resource', 'hard_limit'])
    .where('project_id', '=', projectId)
    .execute();
  return toLimits(rows);
}

export async function getUserLimits(db: Db, projectId: string, userId: string): Promise<Limits> {
  const rows = await db.kysely
    .selectFrom('project_user_quotas')
    .select(['resource', 'hard_limit'])
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute();
  return toLimits(rows);
}

/** Sum of every user's limit per resource in the project (for the settable maximum). */
export async function getAllUserLimits(
  db: Db,
  projectId: string,
): Promise<readonly { resource: string; hard_limit: number }[]> {
  const rows = await db.kysely
    .selectFrom('project_user_quotas')
    .select(['resource', 'hard_limit'])
    .where('project_id', '=', projectId)
    .execute();
  return rows.map((r) => ({ resource: r.resource, hard_limit: toNumberOrNull(r.hard_limit) ?? -1 }));
}

export async function getClassLimits(db: Db, className: string): Promise<Limits> {
  const rows = await db.kysely
    .selectFrom('quota_classes')
    .select(['resource', 'hard_limit'])
    .where('class_name', '=', className)
    .execute();
  return toLimits(rows);
}

export async function setProjectLimit(
  db: Db,
  projectId: string,
  resource: string,
  limit: number,
  now: Date,
): Promise<void> {
  const res = await db.kysely
    .updateTable('quotas')
    .set({ hard_limit: limit, updated_at: toDbTime(now) })
    .where('project_id', '=', projectId)
    .where('resource', '=', resource)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n)
    await insertReturningId(db, 'quotas', {
      project_id: projectId,
      resource,
      hard_limit: limit,
      created_at: toDbTime(now),
    });
}

export async function setUserLimit(
  db: Db,
  projectId: string,
  userId: string,
  resource: string,
  limit: number,
  now: Date,
): Promise<void> {
  const res = await db.kysely
    .updateTable('project_user_quotas')
    .set({ hard_limit: limit, updated_at: toDbTime(now) })
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .where('resource', '=', resource)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n)
    await insertReturningId(db, 'project_user_quotas', {
      project_id: projectId,
      user_id: userId,
      resource,
      hard_limit: limit,
      created_at: toDbTime(now),
    });
}

export async function setClassLimit(
  db: Db,
  className: string,
  resource: string,
  limit: number,
  now: Date,
): Promise<void> {
  const res = await db.kysely
    .updateTable('quota_classes')
    .set({ hard_limit: limit, updated_at: toDbTime(now) })
    .where('class_name', '=', className)
    .where('resource', '=', resource)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n)
    await insertReturningId(db, 'quota_classes', {
      class_name: className,
      resource,
      hard_limit: limit,
      created_at: toDbTime(now),
    });
}

/** Drops the project's limits and every per-user limit in it. */
export async function destroyProject(db: Db, projectId: string): Promise<void> {
  await db.kysely.deleteFrom('quotas').where('project_id', '=', projectId).execute();
  await db.kysely.deleteFrom('project_user_quotas').where('project_id', '=', projectId).execute();
}

export async function destroyUser(db: Db, projectId: string, userId: string): Promise<void> {
  await db.kysely
    .deleteFrom('project_user_quotas')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute();
}
