// INSERT that yields the new row's id on every engine: RETURNING where the engine has it,
// else the driver's insertId (a bigint in Kysely).
import { type Insertable, sql } from 'kysely';
import type { DbHandle } from './connect.ts';
import { toNumber } from './values.ts';

export async function insertReturningId<DB, TB extends keyof DB & string>(
  db: DbHandle<DB>,
  table: TB,
  values: Insertable<DB[TB]>,
): Promise<number> {
  // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot relate Insertable<DB[TB]> for a generic TB
  const query = db.kysely.insertInto(table).values(values as any);
  if (db.caps.supportsReturning) {
    const row = (await query.returning(sql`${sql.ref('id')}`.as('id')).executeTakeFirstOrThrow()) as {
      id: unknown;
    };
    return toNumber(row.id);
  }
  const res = await query.executeTakeFirstOrThrow();
  return toNumber(res.insertId);
}
