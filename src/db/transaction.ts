import type { DbHandle } from './connect.ts';
import { isDeadlock } from './errors.ts';

/** Attempts of a whole transaction that lost a deadlock (oslo.db's retry_on_deadlock, in small). */
const DEADLOCK_ATTEMPTS = 5;

/**
 * Runs fn in a transaction (or inside the caller's, when db already is one); commits when it
 * resolves. The outermost transaction runs fn again when the database chose it as a deadlock's
 * victim (it was rolled back whole, so fn must only touch the database).
 */
export async function inTransaction<T, R>(db: DbHandle<T>, fn: (trx: DbHandle<T>) => Promise<R>): Promise<R> {
  if (db.kysely.isTransaction) return fn(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.kysely.transaction().execute((trx) => fn({ kysely: trx, caps: db.caps }));
    } catch (err) {
      if (!isDeadlock(err) || attempt >= DEADLOCK_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}
