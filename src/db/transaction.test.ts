// inTransaction on a real deadlock: two transactions take two rows in opposite orders; the
// database picks a victim, and the victim's transaction runs again instead of failing.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DbHandle } from './connect.ts';
import { isDeadlock } from './errors.ts';
import { testDialects } from './test-dialects.ts';
import { inTransaction } from './transaction.ts';

describe('isDeadlock', () => {
  it('knows each engine’s lock-cycle errors and nothing else', () => {
    for (const e of [
      { errno: 1213 },
      { errno: 1205 },
      { code: '40P01' },
      { code: '40001' },
      { errcode: 5 },
      { errcode: 517 },
    ])
      assert.ok(isDeadlock(e), JSON.stringify(e));
    for (const e of [{ errno: 1062 }, { code: '23505' }, { errcode: 2067 }, new Error('x'), undefined])
      assert.ok(!isDeadlock(e), JSON.stringify(e));
  });
});

for (const d of testDialects().filter((x) => x.shared && !x.name.startsWith('sqlite'))) {
  describe(`${d.name}: inTransaction`, () => {
    after(() => d.cleanup());

    it('runs the deadlock victim again: both transactions commit', async () => {
      const db = await d.open();
      await sql`create table dl (id integer primary key, n integer not null)`.execute(db.kysely);
      await sql`insert into dl (id, n) values (1, 0), (2, 0)`.execute(db.kysely);
      const bump = (trx: DbHandle<unknown>, id: number) =>
        sql`update dl set n = n + 1 where id = ${id}`.execute(trx.kysely);
      let firstA!: () => void;
      let firstB!: () => void;
      const aHolds = new Promise<void>((r) => {
        firstA = r;
      });
      const bHolds = new Promise<void>((r) => {
        firstB = r;
      });
      const runs = { a: 0, b: 0 };
      const a = inTransaction(db, async (trx) => {
        runs.a++;
        await bump(trx, 1);
        firstA();
        await bHolds;
        await bump(trx, 2);
      });
      const b = inTransaction(db, async (trx) => {
        runs.b++;
        await bump(trx, 2);
        firstB();
        await aHolds;
        await bump(trx, 1);
      });
      await Promise.all([a, b]);
      const rows = await sql<{ id: number; n: number }>`select id, n from dl order by id`.execute(db.kysely);
      assert.deepEqual(
        rows.rows.map((r) => Number(r.n)),
        [2, 2],
        'both transactions committed once',
      );
      assert.equal(runs.a + runs.b, 3, `one victim ran twice (a ${runs.a}, b ${runs.b})`);
    });
  });
}
