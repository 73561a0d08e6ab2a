// Consumers of resources (instances, migrations…) with their project, user, type and generation.
// Projects, users and consumer types are get-or-create by external id. Owns its SQL.
import { sql } from 'kysely';
import { isDuplicateEntry } from '../../db/errors.ts';
import { toDbTime } from '../../db/time.ts';
import { toNumber, toNumberOrNull } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';
import { ConcurrentUpdate } from '../errors.ts';

export interface Consumer {
  readonly id: number;
  readonly uuid: string;
  readonly project_id: number;
  readonly user_id: number;
  readonly project_external_id: string;
  readonly user_external_id: string;
  readonly generation: number;
  readonly consumer_type_id: number | null;
  readonly consumer_type: string | null;
}

type NamedTable = 'projects' | 'users';

async function ensureExternal(db: Db, table: NamedTable, externalId: string, now: Date): Promise<number> {
  const find = () =>
    db.kysely.selectFrom(table).select('id').where('external_id', '=', externalId).executeTakeFirst();
  const found = await find();
  if (found) return toNumber(found.id);
  try {
    await db.kysely
      .insertInto(table)
      .values({ external_id: externalId, created_at: toDbTime(now) })
      .execute();
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
  }
  const row = await find();
  if (!row) throw new Error(`${table} row ${externalId} vanished`);
  return toNumber(row.id);
}

export const ensureProject = (db: Db, externalId: string, now: Date) =>
  ensureExternal(db, 'projects', externalId, now);
export const ensureUser = (db: Db, externalId: string, now: Date) =>
  ensureExternal(db, 'users', externalId, now);

export async function ensureConsumerType(db: Db, name: string, now: Date): Promise<number> {
  const find = () =>
    db.kysely.selectFrom('consumer_types').select('id').where('name', '=', name).executeTakeFirst();
  const found = await find();
  if (found) return toNumber(found.id);
  try {
    await db.kysely
      .insertInto('consumer_types')
      .values({ name, created_at: toDbTime(now) })
      .execute();
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
  }
  return toNumber((await find())?.id);
}

export async function findConsumer(db: Db, uuid: string): Promise<Consumer | undefined> {
  const r = await db.kysely
    .selectFrom('consumers as c')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('consumer_types as ct', 'ct.id', 'c.consumer_type_id')
    .select([
      'c.id',
      'c.uuid',
      'c.project_id',
      'c.user_id',
      'c.generation',
      'c.consumer_type_id',
      'p.external_id as project_external_id',
      'u.external_id as user_external_id',
      'ct.name as consumer_type',
    ])
    .where('c.uuid', '=', uuid)
    .executeTakeFirst();
  if (!r) return undefined;
  return Object.freeze({
    id: toNumber(r.id),
    uuid: r.uuid,
    project_id: toNumber(r.project_id),
    user_id: toNumber(r.user_id),
    project_external_id: r.project_external_id,
    user_external_id: r.user_external_id,
    generation: toNumber(r.generation),
    consumer_type_id: toNumberOrNull(r.consumer_type_id),
    consumer_type: r.consumer_type ?? null,
  });
}

export interface ConsumerOwner {
  readonly projectId: number;
  readonly userId: number;
  /** undefined: keep (before 1.38). */
  readonly typeId?: number;
}

/** Creates the consumer (generation 0); a concurrent creator wins with 409. */
export async function createConsumer(db: Db, uuid: string, o: ConsumerOwner, now: Date): Promise<Consumer> {
  try {
    await db.kysely
      .insertInto('consumers')
      .values({
        uuid,
        project_id: o.projectId,
        user_id: o.userId,
        generation: 0,
        consumer_type_id: o.typeId ?? null,
        created_at: toDbTime(now),
        updated_at: toDbTime(now),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err))
      throw new ConcurrentUpdate(
        `consumer generation conflict - expected null but got 0 for consumer ${uuid}`,
      );
    throw err;
  }
  const c = await findConsumer(db, uuid);
  if (!c) throw new Error(`consumer ${uuid} vanished`);
  return c;
}

/** Records the request's owner and type when they differ, and bumps the generation (compare-and-set). */
export async function touchConsumer(db: Db, c: Consumer, o: ConsumerOwner, now: Date): Promise<void> {
  const res = await db.kysely
    .updateTable('consumers')
    .set((eb) => ({
      project_id: o.projectId,
      user_id: o.userId,
      consumer_type_id: o.typeId === undefined ? c.consumer_type_id : o.typeId,
      generation: eb('generation', '+', 1),
      updated_at: toDbTime(now),
    }))
    .where('id', '=', c.id)
    .where('generation', '=', c.generation)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1)
    throw new ConcurrentUpdate(
      `consumer generation conflict - expected ${c.generation} but the consumer ${c.uuid} changed concurrently`,
    );
}

/** Deletes the consumers that no longer have allocations. */
export async function deleteConsumersWithoutAllocations(db: Db, uuids: readonly string[]): Promise<void> {
  if (uuids.length === 0) return;
  const k = db.kysely;
  await k
    .deleteFrom('consumers')
    .where('uuid', 'in', [...uuids])
    .where(sql<boolean>`not exists (select 1 from allocations a where a.consumer_id = consumers.uuid)`)
    .execute();
}
