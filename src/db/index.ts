// The database layer's public surface (what oslo.db + nova/db are upstream).
export { createDatabaseIfMissing, dropDatabaseIfExists } from './admin.ts';
export { addIdColumn, addSoftDelete, addTimeColumn, addTimestamps } from './columns.ts';
export { type ConnectOptions, connectDatabase, type Database, type DbHandle } from './connect.ts';
export type { DbCapabilities } from './dialects/types.ts';
export { isDuplicateEntry, isForeignKeyViolation } from './errors.ts';
export { insertReturningId } from './insert.ts';
export {
  BASE_VERSION,
  currentVersion,
  latestVersion,
  migrateToLatest,
  migrationTableName,
  SCHEMAS,
  type SchemaName,
} from './migrate.ts';
export type { SchemaMigration } from './migrations/types.ts';
export type { ApiDb } from './tables/api-db.ts';
export type { CellDb } from './tables/cell-db.ts';
export { fromDbTime, fromDbTimeStrict, toDbTime, toDbTimeOrNull } from './time.ts';
export { inTransaction } from './transaction.ts';
export { type DbBackend, type DbUrl, databaseName, maskUrl, parseDbUrl, withDatabaseName } from './url.ts';
export { toBool, toNumber, toNumberOrNull } from './values.ts';
