// PostgreSQL through a pg Pool. Per-pool type parsers (no global pg.types changes): timestamps
// stay text (read as UTC by the repositories) and int8 — count(*), bigint — becomes a number.
import { PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DbUrl } from '../url.ts';
import { classifyNetworkError } from './network-errors.ts';
import type { ConnectFailure, DbDialect, DialectOptions } from './types.ts';

const OID_INT8 = 20;
const OID_TIMESTAMP = 1114;
const OID_TIMESTAMPTZ = 1184;
const AUTH_CODES = new Set(['28000', '28P01']);

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === OID_TIMESTAMP || oid === OID_TIMESTAMPTZ) return (v: string) => v;
    if (oid === OID_INT8) return (v: string) => Number(v);
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads don't accept the union
    return pg.types.getTypeParser(oid, format as any);
  },
};

function clientConfig(url: DbUrl, database: string | undefined): pg.ClientConfig {
  return {
    host: url.query.host ?? url.host ?? 'localhost',
    port: url.port ?? 5432,
    user: url.username ?? 'postgres',
    password: url.password,
    database,
    connectionTimeoutMillis: 10_000,
    types: typeParsers,
  };
}

const quoteId = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function classifyError(err: unknown): ConnectFailure | undefined {
  const e = err as { code?: string };
  if (e?.code === '3D000') return 'unknown-database';
  if (e?.code && AUTH_CODES.has(e.code)) return 'auth';
  return classifyNetworkError(err);
}

/** Runs fn on the server's maintenance database (`postgres`). */
async function withServer<T>(url: DbUrl, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(clientConfig(url, 'postgres'));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const postgresDialect: DbDialect = Object.freeze({
  backend: 'postgresql',
  caps: Object.freeze({
    supportsReturning: true,
    supportsTransactionalDdl: true,
    multipleConnections: true,
    idColumn: 'identity',
    dateTimeType: 'timestamp(3)',
    longTextType: 'text',
    databasesAreFiles: false,
  }),
  async createDialect(url: DbUrl, opts: DialectOptions) {
    const pool = new pg.Pool({ ...clientConfig(url, url.database), max: opts.maxConnections ?? 10 });
    pool.on('error', (err) => opts.log?.warn({ err }, 'PostgreSQL pool error'));
    return new PostgresDialect({ pool });
  },
  classifyError,
  async createDatabase(url: DbUrl) {
    const name = url.database;
    if (!name) return false;
    return withServer(url, async (c) => {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return false;
      try {
        await c.query(`CREATE DATABASE ${quoteId(name)}`);
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === '42P04') return false; // created meanwhile
        throw err;
      }
    });
  },
  async dropDatabase(url: DbUrl) {
    const name = url.database;
    if (!name) return;
    await withServer(url, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteId(name)} WITH (FORCE)`));
  },
} satisfies DbDialect);
