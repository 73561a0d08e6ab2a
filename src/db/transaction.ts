import type { DbHandle } from './connect.ts';

/** Runs fn in a transaction (or inside the caller's, when db already is one); commits when it resolves. */
export async function inTransaction<T, R>(db: DbHandle<T>, fn: (trx: DbHandle<T>) => Promise<R>): Promise<R> {
  if (db.kysely.isTransaction) return fn(db);
  return db.kysely.transaction().execute((trx) => fn({ kysely: trx, caps: db.caps }));
}
