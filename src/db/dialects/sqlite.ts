// SQLite through node:sqlite: one handle per database (Kysely serialises on it), WAL for files,
// foreign keys on, busy_timeout 5 s. `sqlite://` is a private in-memory database per connect.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteDialect } from 'kysely';
import type { DbUrl } from '../url.ts';
import { wrapNodeSqlite } from './node-sqlite.ts';
import type { ConnectFailure, DbDialect } from './types.ts';

const SQLITE_CANTOPEN = 14;
const FILE_ERRORS = new Set(['EACCES', 'ENOTDIR', 'EROFS', 'EEXIST', 'EPERM', 'ENOENT']);

function open(url: DbUrl): DatabaseSync {
  if (url.database === undefined) return new DatabaseSync(':memory:', { timeout: 5000 });
  const path = resolve(url.database);
  mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path, { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  return db;
}

function classifyError(err: unknown): ConnectFailure | undefined {
  const e = err as { code?: string; errcode?: number };
  if (e?.errcode === SQLITE_CANTOPEN) return 'file';
  if (e?.code && FILE_ERRORS.has(e.code)) return 'file';
  return undefined;
}

export const sqliteDialect: DbDialect = Object.freeze({
  backend: 'sqlite',
  caps: Object.freeze({
    supportsReturning: true,
    supportsTransactionalDdl: false,
    multipleConnections: false,
    idColumn: 'auto_increment',
    dateTimeType: 'datetime(3)',
    longTextType: 'text',
    databasesAreFiles: true,
  }),
  async createDialect(url: DbUrl) {
    const db = open(url);
    db.exec('PRAGMA foreign_keys = ON');
    return new SqliteDialect({ database: wrapNodeSqlite(db) });
  },
  classifyError,
  async createDatabase() {
    return false;
  },
  async dropDatabase(url: DbUrl) {
    if (url.database === undefined) return;
    const path = resolve(url.database);
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
  },
} satisfies DbDialect);
