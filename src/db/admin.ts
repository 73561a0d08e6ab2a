// Server-level chores for nova-manage, the all-in-one and tests: create or drop the database a
// URL names. SQLite files need no creating (opening makes them).
import { StartupError } from '../faults/fault.ts';
import { connectError } from './connect.ts';
import { loadDialect } from './dialects/registry.ts';
import { parseDbUrl } from './url.ts';

/** CREATE DATABASE when the URL's database is missing (mysql/pg); true if it was created. */
export async function createDatabaseIfMissing(
  url: string,
  option = '[database] connection',
): Promise<boolean> {
  const parsed = parseDbUrl(url, { option });
  const dialect = await loadDialect(parsed.backend);
  if (dialect.caps.databasesAreFiles) return false;
  if (!parsed.database) throw new StartupError(`Invalid database URL ${parsed.masked}: no database name.`);
  try {
    return await dialect.createDatabase(parsed);
  } catch (err) {
    throw connectError(dialect, parsed, err, option);
  }
}

/** Drops the URL's database, or deletes the SQLite file; missing is fine. */
export async function dropDatabaseIfExists(url: string): Promise<void> {
  const parsed = parseDbUrl(url);
  const dialect = await loadDialect(parsed.backend);
  await dialect.dropDatabase(parsed);
}
