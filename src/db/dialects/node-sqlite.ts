// node:sqlite's DatabaseSync shaped as the handle Kysely's SqliteDialect expects, with an LRU
// cache of prepared statements (halves query time) and binding fixes: a Date would bind as NULL,
// so it goes in as UTC text like every other timestamp.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { toDbTime } from '../time.ts';

function bind(params: ReadonlyArray<unknown>): SQLInputValue[] {
  return params.map((p) => {
    if (p instanceof Date) return toDbTime(p);
    if (typeof p === 'boolean') return p ? 1 : 0;
    return p as SQLInputValue;
  });
}

/** Rows from node:sqlite have a null prototype; give callers plain objects. */
function plain(rows: unknown[]): unknown[] {
  return rows.map((r) => ({ ...(r as object) }));
}

function wrapStatement(stmt: StatementSync): SqliteStatement {
  return {
    reader: stmt.columns().length > 0,
    all: (params) => plain(stmt.all(...bind(params))),
    run: (params) => stmt.run(...bind(params)),
    *iterate(params) {
      for (const row of stmt.iterate(...bind(params))) yield { ...(row as object) };
    },
  };
}

export function wrapNodeSqlite(db: DatabaseSync, cacheSize = 200): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close() {
      cache.clear();
      if (db.isOpen) db.close();
    },
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = wrapStatement(db.prepare(sql));
      cache.set(sql, stmt);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
  };
}
