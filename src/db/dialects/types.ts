// What a database engine plugs in: a Kysely dialect for a URL, capability flags that
// migrations and repositories branch on, and the few server-level chores (create/drop database).
import type { Dialect } from 'kysely';
import type { Logger } from '../../common/log.ts';
import type { DbBackend, DbUrl } from '../url.ts';

export interface DbCapabilities {
  /** INSERT/UPDATE … RETURNING works (else read `insertId`). */
  readonly supportsReturning: boolean;
  /** DDL runs inside transactions (a failed migration rolls back whole). */
  readonly supportsTransactionalDdl: boolean;
  /** More than one connection may run queries at once (a pool, not one handle). */
  readonly multipleConnections: boolean;
  /** How an auto-numbered id is declared: `autoIncrement()` or an identity column. */
  readonly idColumn: 'auto_increment' | 'identity';
  /** Column type for UTC timestamps with millisecond precision. */
  readonly dateTimeType: 'datetime(3)' | 'timestamp(3)';
  /** Column type for documents that may exceed 64 KiB (serialised specs, build requests). */
  readonly longTextType: 'text' | 'mediumtext';
  /** Databases are files made on open, not server objects needing CREATE DATABASE. */
  readonly databasesAreFiles: boolean;
}

/** Why a connection failed, in the words connect.ts turns into advice. */
export type ConnectFailure = 'refused' | 'unreachable' | 'unknown-database' | 'auth' | 'file';

export interface DialectOptions {
  readonly log?: Logger;
  /** Pool size for server engines. */
  readonly maxConnections?: number;
}

export interface DbDialect {
  readonly backend: DbBackend;
  readonly caps: DbCapabilities;
  /** Builds the Kysely dialect. May throw a driver error (connect.ts explains it). */
  createDialect(url: DbUrl, opts: DialectOptions): Promise<Dialect>;
  /** Sorts a driver error into a failure kind, or undefined when it is not a connection problem. */
  classifyError(err: unknown): ConnectFailure | undefined;
  /** Creates the URL's database when it does not exist; true if it was created. */
  createDatabase(url: DbUrl): Promise<boolean>;
  /** Drops the URL's database if it exists (tests, teardown). */
  dropDatabase(url: DbUrl): Promise<void>;
}
