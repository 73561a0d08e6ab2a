// url → a verified Kysely handle. Every failure a user can fix (server down, database missing,
// bad credentials, unwritable SQLite directory) is a StartupError of one line.
import { Kysely, sql } from 'kysely';
import type { Logger } from '../common/log.ts';
import { StartupError } from '../faults/fault.ts';
import { loadDialect } from './dialects/registry.ts';
import type { ConnectFailure, DbCapabilities, DbDialect } from './dialects/types.ts';
import { type DbUrl, parseDbUrl } from './url.ts';

/** What repositories need: a query builder (or a transaction) and the engine's capabilities. */
export interface DbHandle<T> {
  readonly kysely: Kysely<T>;
  readonly caps: DbCapabilities;
}

/** An open database. `T` is its Kysely schema (ApiDb, CellDb…); untyped by default. */
// biome-ignore lint/suspicious/noExplicitAny: a connection does not know its schema until the caller says
export interface Database<T = any> extends DbHandle<T> {
  /** The URL with its password masked (safe to log). */
  readonly url: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly log?: Logger;
  /** The option the URL came from, for messages: "[api_database] connection". */
  readonly option?: string;
  /** Pool size for MySQL/PostgreSQL (default 10). */
  readonly maxConnections?: number;
}

const ADVICE: Readonly<Record<ConnectFailure, (option: string) => string>> = Object.freeze({
  refused: (o) => `Start the database server, or fix ${o}.`,
  unreachable: (o) => `Check the host name and network, or fix ${o}.`,
  'unknown-database': (o) => `Create it, or fix ${o}.`,
  auth: (o) => `Check the user name and password in ${o}, and the user's grants.`,
  file: (o) => `Make the directory exist and be writable, or fix ${o}.`,
});

function reasonOf(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: unknown[] };
  if (e?.message) return e.message.split('\n')[0].replace(/\.$/, '');
  if (Array.isArray(e?.errors) && e.errors.length > 0) return reasonOf(e.errors[0]);
  return e?.code ?? String(err);
}

/** The one-line StartupError for a failed connect, or the error itself when it is not one. */
export function connectError(dialect: DbDialect, url: DbUrl, err: unknown, option: string): Error {
  const kind = dialect.classifyError(err);
  const advice = kind ? ` ${ADVICE[kind](option)}` : ` Check ${option}.`;
  return new StartupError(`Cannot connect to database ${url.masked}: ${reasonOf(err)}.${advice}`, 1, {
    cause: err,
  });
}

/** Opens the URL's database and proves it answers (SELECT 1). */
// biome-ignore lint/suspicious/noExplicitAny: see Database
export async function connectDatabase<T = any>(url: string, opts: ConnectOptions = {}): Promise<Database<T>> {
  const option = opts.option ?? '[database] connection';
  const parsed = parseDbUrl(url, { option });
  if (parsed.backend !== 'sqlite' && !parsed.database) {
    throw new StartupError(
      `Invalid database URL ${parsed.masked}: no database name. Add /<name> in ${option}.`,
    );
  }
  const dialect = await loadDialect(parsed.backend);
  let kysely: Kysely<T> | undefined;
  try {
    kysely = new Kysely<T>({ dialect: await dialect.createDialect(parsed, opts) });
    await sql`select 1`.execute(kysely);
  } catch (err) {
    await kysely?.destroy().catch(() => undefined);
    throw connectError(dialect, parsed, err, option);
  }
  opts.log?.debug({ url: parsed.masked }, 'connected to database');
  const k = kysely;
  return Object.freeze({ kysely: k, caps: dialect.caps, url: parsed.masked, close: () => k.destroy() });
}
