// Versioned migrations per schema through Kysely's Migrator. Each schema keeps its own history
// table (nova_ts_migrations_<schema>), so one SQLite file may hold several schemas.
import type { Kysely } from 'kysely';
import { type MigrationProvider, Migrator } from 'kysely/migration';
import { StartupError } from '../faults/fault.ts';
import type { DbHandle } from './connect.ts';
import { SCHEMAS, type SchemaMigration, type SchemaName } from './migrations/index.ts';

export { SCHEMAS, type SchemaName } from './migrations/index.ts';

/** The version of a schema with no migration applied. */
export const BASE_VERSION = 'base';

export const migrationTableName = (schema: SchemaName): string => `nova_ts_migrations_${schema}`;

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
function migrator(db: DbHandle<any>, schema: SchemaName, migrations: readonly SchemaMigration[]): Migrator {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(migrations.map((m) => [m.name, { up: (k: Kysely<unknown>) => m.up(k, db.caps) }])),
  };
  return new Migrator({
    db: db.kysely,
    provider,
    migrationTableName: migrationTableName(schema),
    migrationLockTableName: `${migrationTableName(schema)}_lock`,
  });
}

/**
 * Applies every pending migration of the schema; returns the names applied (none: already latest).
 * `migrations` defaults to the schema's registered list (tests pass their own).
 */
export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: works on any schema
  db: DbHandle<any>,
  schema: SchemaName,
  migrations: readonly SchemaMigration[] = SCHEMAS[schema],
): Promise<readonly string[]> {
  const { error, results = [] } = await migrator(db, schema, migrations).migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? '(setup)';
    const why = error instanceof Error ? error.message : String(error);
    throw new StartupError(`Migration ${failed} of the ${schema} database failed: ${why}`, 1, {
      cause: error,
    });
  }
  return Object.freeze(results.filter((r) => r.status === 'Success').map((r) => r.migrationName));
}

/** The last migration applied to the schema, or 'base' when none is (or the database is empty). */
export async function currentVersion(
  // biome-ignore lint/suspicious/noExplicitAny: works on any schema
  db: DbHandle<any>,
  schema: SchemaName,
  migrations: readonly SchemaMigration[] = SCHEMAS[schema],
): Promise<string> {
  const infos = await migrator(db, schema, migrations).getMigrations();
  const applied = infos.filter((m) => m.executedAt !== undefined);
  return applied.length > 0 ? applied[applied.length - 1].name : BASE_VERSION;
}

/** The version migrateToLatest would reach. */
export function latestVersion(schema: SchemaName): string {
  const list = SCHEMAS[schema];
  return list.length > 0 ? list[list.length - 1].name : BASE_VERSION;
}
