// tags (cell database): server tags (API 2.26+). A tag is a string of 1–60 characters without
// '/' or ','; at most 50 per server (the API checks both).
import type { DbHandle } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { inTransaction } from '../db/transaction.ts';

export const MAX_TAGS = 50;

type Db = DbHandle<CellDb>;

export async function getFor(db: Db, uuids: readonly string[]): Promise<ReadonlyMap<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const u of uuids) out.set(u, []);
  if (uuids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('tags')
    .selectAll()
    .where('resource_id', 'in', [...uuids])
    .orderBy('tag')
    .execute();
  for (const r of rows) out.get(r.resource_id)?.push(r.tag);
  return out;
}

export async function list(db: Db, uuid: string): Promise<string[]> {
  return (await getFor(db, [uuid])).get(uuid) ?? [];
}

export async function replaceAll(db: Db, uuid: string, tags: readonly string[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.kysely.deleteFrom('tags').where('resource_id', '=', uuid).execute();
    const unique = [...new Set(tags)];
    if (unique.length > 0)
      await trx.kysely
        .insertInto('tags')
        .values(unique.map((tag) => ({ resource_id: uuid, tag })))
        .execute();
  });
}

/** Adds one tag; false when it was already there. */
export async function add(db: Db, uuid: string, tag: string): Promise<boolean> {
  const exists = await db.kysely
    .selectFrom('tags')
    .select('tag')
    .where('resource_id', '=', uuid)
    .where('tag', '=', tag)
    .executeTakeFirst();
  if (exists) return false;
  await db.kysely.insertInto('tags').values({ resource_id: uuid, tag }).execute();
  return true;
}

/** Removes one tag; false when it was not there. */
export async function remove(db: Db, uuid: string, tag: string): Promise<boolean> {
  const res = await db.kysely
    .deleteFrom('tags')
    .where('resource_id', '=', uuid)
    .where('tag', '=', tag)
    .executeTakeFirst();
  return res.numDeletedRows > 0n;
}

export async function removeAll(db: Db, uuid: string): Promise<void> {
  await db.kysely.deleteFrom('tags').where('resource_id', '=', uuid).execute();
}
