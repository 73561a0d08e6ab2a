// Constraint violations as each driver reports them (oslo.db's exception filters, in small):
// node:sqlite `errcode`, mysql2 `errno`, pg SQLSTATE `code`.

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
const ER_DUP_ENTRY = 1062;
const ER_ROW_IS_REFERENCED_2 = 1451;
const ER_NO_REFERENCED_ROW_2 = 1452;
const ER_LOCK_DEADLOCK = 1213;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const SQLITE_BUSY = 5;

interface DriverError {
  readonly errcode?: number;
  readonly errno?: number;
  readonly code?: string;
}

/** A unique or primary-key constraint refused the write. */
export function isDuplicateEntry(err: unknown): boolean {
  const e = err as DriverError;
  return (
    e?.errcode === SQLITE_CONSTRAINT_UNIQUE ||
    e?.errcode === SQLITE_CONSTRAINT_PRIMARYKEY ||
    e?.errno === ER_DUP_ENTRY ||
    e?.code === '23505'
  );
}

/** A foreign key refused the write (missing parent, or a child still references the row). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as DriverError;
  return (
    e?.errcode === SQLITE_CONSTRAINT_FOREIGNKEY ||
    e?.errno === ER_ROW_IS_REFERENCED_2 ||
    e?.errno === ER_NO_REFERENCED_ROW_2 ||
    e?.code === '23503'
  );
}

/**
 * The database gave up on the statement to break a lock cycle (MySQL deadlock or lock wait timeout,
 * PostgreSQL deadlock or serialization failure, SQLite busy): the transaction may simply run again.
 */
export function isDeadlock(err: unknown): boolean {
  const e = err as DriverError;
  return (
    e?.errno === ER_LOCK_DEADLOCK ||
    e?.errno === ER_LOCK_WAIT_TIMEOUT ||
    e?.code === '40P01' ||
    e?.code === '40001' ||
    (e?.errcode !== undefined && e.errcode % 256 === SQLITE_BUSY)
  );
}
