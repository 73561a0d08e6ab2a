// Placement database: resource providers and their trees, inventories, allocations, consumers
// (with projects, users and consumer types), traits, resource classes and aggregates.
import type { Kysely } from 'kysely';
import { addIdColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
type Db = Kysely<any>;

async function providers(db: Db, caps: DbCapabilities): Promise<void> {
  await addTimestamps(addIdColumn(db.schema.createTable('resource_providers'), caps), caps)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('root_provider_id', 'integer')
    .addColumn('parent_provider_id', 'integer')
    .addUniqueConstraint('uniq_resource_providers0uuid', ['uuid'])
    .addUniqueConstraint('uniq_resource_providers0name', ['name'])
    .execute();
  await db.schema
    .createIndex('resource_providers_root_provider_id_idx')
    .on('resource_providers')
    .column('root_provider_id')
    .execute();
  await db.schema
    .createIndex('resource_providers_parent_provider_id_idx')
    .on('resource_providers')
    .column('parent_provider_id')
    .execute();
}

async function classesAndTraits(db: Db, caps: DbCapabilities): Promise<void> {
  // Standard resource classes keep os-resource-classes' ids (0…); custom ones start at 10000.
  await addTimestamps(db.schema.createTable('resource_classes'), caps)
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_resource_classes0name', ['name'])
    .execute();
  await addTimestamps(addIdColumn(db.schema.createTable('traits'), caps), caps)
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_traits0name', ['name'])
    .execute();
  await addTimestamps(db.schema.createTable('resource_provider_traits'), caps)
    .addColumn('resource_provider_id', 'integer', (c) => c.notNull())
    .addColumn('trait_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_provider_traits_pkey', ['resource_provider_id', 'trait_id'])
    .execute();
  await db.schema
    .createIndex('resource_provider_traits_trait_id_idx')
    .on('resource_provider_traits')
    .column('trait_id')
    .execute();
}

async function aggregates(db: Db, caps: DbCapabilities): Promise<void> {
  await addTimestamps(addIdColumn(db.schema.createTable('placement_aggregates'), caps), caps)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
    .addUniqueConstraint('uniq_placement_aggregates0uuid', ['uuid'])
    .execute();
  await addTimestamps(db.schema.createTable('resource_provider_aggregates'), caps)
    .addColumn('resource_provider_id', 'integer', (c) => c.notNull())
    .addColumn('aggregate_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_provider_aggregates_pkey', ['resource_provider_id', 'aggregate_id'])
    .execute();
  await db.schema
    .createIndex('resource_provider_aggregates_aggregate_id_idx')
    .on('resource_provider_aggregates')
    .column('aggregate_id')
    .execute();
}

async function inventories(db: Db, caps: DbCapabilities): Promise<void> {
  await addTimestamps(addIdColumn(db.schema.createTable('inventories'), caps), caps)
    .addColumn('resource_provider_id', 'integer', (c) => c.notNull())
    .addColumn('resource_class_id', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull())
    .addColumn('min_unit', 'integer', (c) => c.notNull())
    .addColumn('max_unit', 'integer', (c) => c.notNull())
    .addColumn('step_size', 'integer', (c) => c.notNull())
    .addColumn('allocation_ratio', 'double precision', (c) => c.notNull())
    .addUniqueConstraint('uniq_inventories0resource_provider_resource_class', [
      'resource_provider_id',
      'resource_class_id',
    ])
    .execute();
  await db.schema
    .createIndex('inventories_resource_class_id_idx')
    .on('inventories')
    .column('resource_class_id')
    .execute();
}

async function consumers(db: Db, caps: DbCapabilities): Promise<void> {
  for (const t of ['projects', 'users']) {
    await addTimestamps(addIdColumn(db.schema.createTable(t), caps), caps)
      .addColumn('external_id', 'varchar(255)', (c) => c.notNull())
      .addUniqueConstraint(`uniq_${t}0external_id`, ['external_id'])
      .execute();
  }
  await addTimestamps(addIdColumn(db.schema.createTable('consumer_types'), caps), caps)
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_consumer_types0name', ['name'])
    .execute();
  await addTimestamps(addIdColumn(db.schema.createTable('consumers'), caps), caps)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consumer_type_id', 'integer')
    .addUniqueConstraint('uniq_consumers0uuid', ['uuid'])
    .execute();
  await db.schema
    .createIndex('consumers_project_id_user_id_uuid_idx')
    .on('consumers')
    .columns(['project_id', 'user_id', 'uuid'])
    .execute();
}

async function allocations(db: Db, caps: DbCapabilities): Promise<void> {
  await addTimestamps(addIdColumn(db.schema.createTable('allocations'), caps), caps)
    .addColumn('resource_provider_id', 'integer', (c) => c.notNull())
    .addColumn('consumer_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('resource_class_id', 'integer', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .execute();
  // Covering index for the capacity check: SUM(used) per provider and class from the index alone.
  await db.schema
    .createIndex('allocations_resource_provider_class_used_idx')
    .on('allocations')
    .columns(['resource_provider_id', 'resource_class_id', 'used'])
    .execute();
  await db.schema
    .createIndex('allocations_consumer_id_idx')
    .on('allocations')
    .column('consumer_id')
    .execute();
  await db.schema
    .createIndex('allocations_resource_class_id_idx')
    .on('allocations')
    .column('resource_class_id')
    .execute();
}

export async function up(db: Db, caps: DbCapabilities): Promise<void> {
  await providers(db, caps);
  await classesAndTraits(db, caps);
  await aggregates(db, caps);
  await inventories(db, caps);
  await consumers(db, caps);
  await allocations(db, caps);
}
