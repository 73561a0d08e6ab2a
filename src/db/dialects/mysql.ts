// MySQL/MariaDB through a mysql2 pool. DATETIME comes back as text (dateStrings) and is read as UTC
// (timezone 'Z', session time_zone +00:00); oslo.db's TRADITIONAL sql_mode.
import { CompiledQuery, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import type { DbUrl } from '../url.ts';
import { classifyNetworkError } from './network-errors.ts';
import type { ConnectFailure, DbDialect, DialectOptions } from './types.ts';

const ER_BAD_DB_ERROR = 1049;
const AUTH_ERRNOS = new Set([1044, 1045, 1698]);

function connectionConfig(url: DbUrl) {
  return {
    host: url.host ?? 'localhost',
    port: url.port ?? 3306,
    user: url.username ?? 'root',
    password: url.password ?? '',
    socketPath: url.query.unix_socket,
    charset: 'utf8mb4',
    timezone: 'Z' as const,
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
    connectTimeout: 10_000,
  };
}

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

function classifyError(err: unknown): ConnectFailure | undefined {
  const e = err as { errno?: number };
  if (e?.errno === ER_BAD_DB_ERROR) return 'unknown-database';
  if (e?.errno !== undefined && AUTH_ERRNOS.has(e.errno)) return 'auth';
  return classifyNetworkError(err);
}

async function withServer<T>(
  url: DbUrl,
  fn: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>,
) {
  const conn = await createConnection(connectionConfig(url));
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

export const mysqlDialect: DbDialect = Object.freeze({
  backend: 'mysql',
  caps: Object.freeze({
    supportsReturning: false,
    supportsTransactionalDdl: false,
    multipleConnections: true,
    idColumn: 'auto_increment',
    dateTimeType: 'datetime(3)',
    longTextType: 'mediumtext',
    databasesAreFiles: false,
  }),
  async createDialect(url: DbUrl, opts: DialectOptions) {
    const pool = createPool({
      ...connectionConfig(url),
      database: url.database,
      connectionLimit: opts.maxConnections ?? 10,
    });
    pool.on('error' as 'connection', (err: unknown) => opts.log?.warn({ err }, 'MySQL pool error'));
    return new MysqlDialect({
      pool,
      onCreateConnection: async (conn) => {
        await conn.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00', sql_mode = 'TRADITIONAL'"));
      },
    });
  },
  classifyError,
  async createDatabase(url: DbUrl) {
    const name = url.database;
    if (!name) return false;
    return withServer(url, async (c) => {
      const [res] = await c.query(`CREATE DATABASE IF NOT EXISTS ${quoteId(name)} CHARACTER SET utf8mb4`);
      return (res as { affectedRows?: number }).affectedRows === 1;
    });
  },
  async dropDatabase(url: DbUrl) {
    const name = url.database;
    if (!name) return;
    await withServer(url, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteId(name)}`));
  },
} satisfies DbDialect);
