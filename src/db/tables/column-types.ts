// Kysely column types shared by every schema. Reads come back raw (engine-dependent) and go
// through db/time.ts and db/values.ts; writes are what every engine accepts.
import type { ColumnType, Generated } from 'kysely';

/** Auto-numbered integer id. */
export type Id = Generated<number>;
/** A UTC timestamp: written as `toDbTime()` text, read back as text (or Date) for `fromDbTime()`. */
export type DbTime = ColumnType<string | Date | null, string | null | undefined, string | null>;
/** A boolean: 0/1 on MySQL and SQLite, true/false on PostgreSQL. */
export type DbBool = ColumnType<boolean | number, boolean | undefined, boolean>;
/** An integer with a default: optional on insert. */
export type DefaultInt = ColumnType<number, number | undefined, number>;
