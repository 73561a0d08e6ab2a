// Explicit registry of database engines, keyed by the backend a URL names. Drivers load on first
// use so an all-in-one on SQLite never loads mysql2 or pg.
import type { DbBackend } from '../url.ts';
import type { DbDialect } from './types.ts';

const DIALECTS: Readonly<Record<DbBackend, () => Promise<DbDialect>>> = Object.freeze({
  sqlite: async () => (await import('./sqlite.ts')).sqliteDialect,
  mysql: async () => (await import('./mysql.ts')).mysqlDialect,
  postgresql: async () => (await import('./postgres.ts')).postgresDialect,
});

export function loadDialect(backend: DbBackend): Promise<DbDialect> {
  return DIALECTS[backend]();
}
