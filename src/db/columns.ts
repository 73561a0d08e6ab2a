// Column helpers every schema uses, branching on capability flags (never on the engine's name).
import type { CreateTableBuilder } from 'kysely';
import type { DbCapabilities } from './dialects/types.ts';

/** `id` integer primary key, numbered by the database. */
export function addIdColumn<TB extends string, C extends string>(
  t: CreateTableBuilder<TB, C>,
  caps: DbCapabilities,
): CreateTableBuilder<TB, C | 'id'> {
  return caps.idColumn === 'identity'
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** A nullable UTC timestamp column (millisecond precision). */
export function addTimeColumn<TB extends string, C extends string, CN extends string>(
  t: CreateTableBuilder<TB, C>,
  name: CN,
  caps: DbCapabilities,
): CreateTableBuilder<TB, C | CN> {
  return t.addColumn(name, caps.dateTimeType);
}

/** created_at, updated_at (oslo.db TimestampMixin). */
export function addTimestamps<TB extends string, C extends string>(
  t: CreateTableBuilder<TB, C>,
  caps: DbCapabilities,
): CreateTableBuilder<TB, C | 'created_at' | 'updated_at'> {
  return addTimeColumn(addTimeColumn(t, 'created_at', caps), 'updated_at', caps);
}

/** deleted_at, deleted (oslo.db SoftDeleteMixin: `deleted` is 0, or the row's id once deleted). */
export function addSoftDelete<TB extends string, C extends string>(
  t: CreateTableBuilder<TB, C>,
  caps: DbCapabilities,
): CreateTableBuilder<TB, C | 'deleted_at' | 'deleted'> {
  return addTimeColumn(t, 'deleted_at', caps).addColumn('deleted', 'integer', (c) =>
    c.notNull().defaultTo(0),
  );
}
