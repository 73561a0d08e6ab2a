// aggregates (+ aggregate_hosts, aggregate_metadata) in the API database. The availability zone
// of an aggregate is its `availability_zone` metadata.
import type { Selectable } from 'kysely';
import { newUuid } from '../common/ids.ts';
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { AggregatesTable, ApiDb } from '../db/tables/api-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { inTransaction } from '../db/transaction.ts';
import { toNumber } from '../db/values.ts';
import { Conflict, NotFound } from '../faults/fault.ts';

export interface Aggregate {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly hosts: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly availability_zone: string | null;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

type Db = DbHandle<ApiDb>;

export const aggregateNotFound = (id: number | string) =>
  new NotFound(`Aggregate ${id} could not be found.`, 'nova.aggregate_not_found');

const nameExists = (name: string) =>
  new Conflict(`Aggregate ${name} already exists.`, 'nova.aggregate_name_exists');

async function load(db: Db, rows: readonly Selectable<AggregatesTable>[]): Promise<Aggregate[]> {
  const ids = rows.map((r) => toNumber(r.id));
  const hosts = new Map<number, string[]>();
  const meta = new Map<number, Record<string, string>>();
  if (ids.length > 0) {
    const hrows = await db.kysely
      .selectFrom('aggregate_hosts')
      .select(['aggregate_id', 'host'])
      .where('aggregate_id', 'in', ids)
      .orderBy('id')
      .execute();
    for (const h of hrows)
      if (h.host)
        hosts.set(toNumber(h.aggregate_id), [...(hosts.get(toNumber(h.aggregate_id)) ?? []), h.host]);
    const mrows = await db.kysely
      .selectFrom('aggregate_metadata')
      .select(['aggregate_id', 'key', 'value'])
      .where('aggregate_id', 'in', ids)
      .orderBy('key')
      .execute();
    for (const m of mrows)
      meta.set(toNumber(m.aggregate_id), { ...(meta.get(toNumber(m.aggregate_id)) ?? {}), [m.key]: m.value });
  }
  return rows.map((r) => {
    const id = toNumber(r.id);
    const metadata = Object.freeze(meta.get(id) ?? {});
    return Object.freeze({
      id,
      uuid: r.uuid ?? '',
      name: r.name ?? '',
      hosts: Object.freeze(hosts.get(id) ?? []),
      metadata,
      availability_zone: metadata.availability_zone ?? null,
      created_at: fromDbTime(r.created_at),
      updated_at: fromDbTime(r.updated_at),
    });
  });
}

export async function create(
  db: Db,
  name: string,
  metadata: Readonly<Record<string, string>>,
  now: Date,
): Promise<Aggregate> {
  const id = await inTransaction(db, async (trx) => {
    const clash = await trx.kysely
      .selectFrom('aggregates')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (clash) throw nameExists(name);
    const newId = await insertReturningId(trx, 'aggregates', {
      uuid: newUuid(),
      name,
      created_at: toDbTime(now),
    });
    for (const [key, value] of Object.entries(metadata))
      await insertReturningId(trx, 'aggregate_metadata', {
        aggregate_id: newId,
        key,
        value,
        created_at: toDbTime(now),
      });
    return newId;
  });
  return getById(db, id);
}

export async function getById(db: Db, id: number): Promise<Aggregate> {
  const row = await db.kysely.selectFrom('aggregates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw aggregateNotFound(id);
  return (await load(db, [row]))[0];
}

export async function list(db: Db): Promise<readonly Aggregate[]> {
  return Object.freeze(
    await load(db, await db.kysely.selectFrom('aggregates').selectAll().orderBy('id').execute()),
  );
}

/** Aggregates having the metadata key, optionally only those holding one of `hosts`. */
export async function listByMetadataKey(
  db: Db,
  key: string,
  hosts?: readonly string[],
): Promise<readonly Aggregate[]> {
  const all = await list(db);
  return all.filter((a) => key in a.metadata && (!hosts || a.hosts.some((h) => hosts.includes(h))));
}

export async function rename(db: Db, id: number, name: string, now: Date): Promise<void> {
  const clash = await db.kysely
    .selectFrom('aggregates')
    .select('id')
    .where('name', '=', name)
    .where('id', '!=', id)
    .executeTakeFirst();
  if (clash) throw nameExists(name);
  try {
    await db.kysely
      .updateTable('aggregates')
      .set({ name, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw nameExists(name);
    throw err;
  }
}

/** Sets keys (null deletes one), as Aggregate.update_metadata. */
export async function updateMetadata(
  db: Db,
  id: number,
  changes: Readonly<Record<string, string | null>>,
  now: Date,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const [key, value] of Object.entries(changes)) {
      await trx.kysely
        .deleteFrom('aggregate_metadata')
        .where('aggregate_id', '=', id)
        .where('key', '=', key)
        .execute();
      if (value !== null)
        await insertReturningId(trx, 'aggregate_metadata', {
          aggregate_id: id,
          key,
          value,
          created_at: toDbTime(now),
        });
    }
    await trx.kysely
      .updateTable('aggregates')
      .set({ updated_at: toDbTime(now) })
      .where('id', '=', id)
      .execute();
  });
}

export async function addHost(db: Db, id: number, host: string, now: Date): Promise<void> {
  const agg = await getById(db, id);
  if (agg.hosts.includes(host))
    throw new Conflict(`Aggregate ${id} already has host ${host}.`, 'nova.aggregate_host_exists');
  await insertReturningId(db, 'aggregate_hosts', { aggregate_id: id, host, created_at: toDbTime(now) });
}

export async function removeHost(db: Db, id: number, host: string): Promise<void> {
  const res = await db.kysely
    .deleteFrom('aggregate_hosts')
    .where('aggregate_id', '=', id)
    .where('host', '=', host)
    .executeTakeFirst();
  if (res.numDeletedRows === 0n)
    throw new NotFound(`Aggregate ${id} has no host ${host}.`, 'nova.aggregate_host_not_found');
}

export async function destroy(db: Db, id: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.kysely.deleteFrom('aggregate_metadata').where('aggregate_id', '=', id).execute();
    await trx.kysely.deleteFrom('aggregate_hosts').where('aggregate_id', '=', id).execute();
    await trx.kysely.deleteFrom('aggregates').where('id', '=', id).execute();
  });
}
