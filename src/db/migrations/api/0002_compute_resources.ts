// API database: flavors (+extra specs, projects), key pairs, quotas (project, per-user, classes),
// aggregates (+hosts, metadata), instance groups (+members, policies). Columns as upstream's models.
import type { Kysely } from 'kysely';
import { addIdColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
type Db = Kysely<any>;

const table = (db: Db, name: string, caps: DbCapabilities) =>
  addTimestamps(addIdColumn(db.schema.createTable(name), caps), caps);

async function flavors(db: Db, caps: DbCapabilities): Promise<void> {
  await table(db, 'flavors', caps)
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('memory_mb', 'integer', (c) => c.notNull())
    .addColumn('vcpus', 'integer', (c) => c.notNull())
    .addColumn('root_gb', 'integer')
    .addColumn('ephemeral_gb', 'integer')
    .addColumn('flavorid', 'varchar(255)', (c) => c.notNull())
    .addColumn('swap', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rxtx_factor', 'double precision', (c) => c.defaultTo(1))
    .addColumn('vcpu_weight', 'integer')
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_public', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('description', 'text')
    .addUniqueConstraint('uniq_flavors0flavorid', ['flavorid'])
    .addUniqueConstraint('uniq_flavors0name', ['name'])
    .execute();
  await table(db, 'flavor_extra_specs', caps)
    .addColumn('flavor_id', 'integer', (c) => c.notNull())
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'varchar(255)')
    .addUniqueConstraint('uniq_flavor_extra_specs0flavor_id0key', ['flavor_id', 'key'])
    .addForeignKeyConstraint('flavor_extra_specs_flavor_id_fkey', ['flavor_id'], 'flavors', ['id'])
    .execute();
  await table(db, 'flavor_projects', caps)
    .addColumn('flavor_id', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_flavor_projects0flavor_id0project_id', ['flavor_id', 'project_id'])
    .addForeignKeyConstraint('flavor_projects_flavor_id_fkey', ['flavor_id'], 'flavors', ['id'])
    .execute();
}

async function keyPairs(db: Db, caps: DbCapabilities): Promise<void> {
  await table(db, 'key_pairs', caps)
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(255)')
    .addColumn('public_key', 'text')
    .addColumn('type', 'varchar(4)', (c) => c.notNull().defaultTo('ssh'))
    .addUniqueConstraint('uniq_key_pairs0user_id0name', ['user_id', 'name'])
    .execute();
}

async function quotas(db: Db, caps: DbCapabilities): Promise<void> {
  await table(db, 'quotas', caps)
    .addColumn('project_id', 'varchar(255)')
    .addColumn('resource', 'varchar(255)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer')
    .addUniqueConstraint('uniq_quotas0project_id0resource', ['project_id', 'resource'])
    .execute();
  await table(db, 'project_user_quotas', caps)
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource', 'varchar(255)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer')
    .addUniqueConstraint('uniq_project_user_quotas0user_id0project_id0resource', [
      'user_id',
      'project_id',
      'resource',
    ])
    .execute();
  await table(db, 'quota_classes', caps)
    .addColumn('class_name', 'varchar(255)')
    .addColumn('resource', 'varchar(255)')
    .addColumn('hard_limit', 'integer')
    .addUniqueConstraint('uniq_quota_classes0class_name0resource', ['class_name', 'resource'])
    .execute();
}

async function aggregates(db: Db, caps: DbCapabilities): Promise<void> {
  await table(db, 'aggregates', caps)
    .addColumn('uuid', 'varchar(36)')
    .addColumn('name', 'varchar(255)')
    .addUniqueConstraint('uniq_aggregate0name', ['name'])
    .execute();
  await db.schema.createIndex('aggregate_uuid_idx').on('aggregates').column('uuid').execute();
  await table(db, 'aggregate_hosts', caps)
    .addColumn('host', 'varchar(255)')
    .addColumn('aggregate_id', 'integer', (c) => c.notNull())
    .addUniqueConstraint('uniq_aggregate_hosts0host0aggregate_id', ['host', 'aggregate_id'])
    .addForeignKeyConstraint('aggregate_hosts_aggregate_id_fkey', ['aggregate_id'], 'aggregates', ['id'])
    .execute();
  await table(db, 'aggregate_metadata', caps)
    .addColumn('aggregate_id', 'integer', (c) => c.notNull())
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_aggregate_metadata0aggregate_id0key', ['aggregate_id', 'key'])
    .addForeignKeyConstraint('aggregate_metadata_aggregate_id_fkey', ['aggregate_id'], 'aggregates', ['id'])
    .execute();
  await db.schema.createIndex('aggregate_metadata_key_idx').on('aggregate_metadata').column('key').execute();
}

async function instanceGroups(db: Db, caps: DbCapabilities): Promise<void> {
  await table(db, 'instance_groups', caps)
    .addColumn('user_id', 'varchar(255)')
    .addColumn('project_id', 'varchar(255)')
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addUniqueConstraint('uniq_instance_groups0uuid', ['uuid'])
    .execute();
  await table(db, 'instance_group_policy', caps)
    .addColumn('policy', 'varchar(255)')
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addColumn('rules', 'text')
    .addForeignKeyConstraint('instance_group_policy_group_id_fkey', ['group_id'], 'instance_groups', ['id'])
    .execute();
  await table(db, 'instance_group_member', caps)
    .addColumn('instance_uuid', 'varchar(255)')
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addForeignKeyConstraint('instance_group_member_group_id_fkey', ['group_id'], 'instance_groups', ['id'])
    .execute();
  await db.schema
    .createIndex('instance_group_member_instance_idx')
    .on('instance_group_member')
    .column('instance_uuid')
    .execute();
}

export async function up(db: Db, caps: DbCapabilities): Promise<void> {
  await flavors(db, caps);
  await keyPairs(db, caps);
  await quotas(db, caps);
  await aggregates(db, caps);
  await instanceGroups(db, caps);
}
