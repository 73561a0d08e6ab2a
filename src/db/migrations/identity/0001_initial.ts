// Identity database: domains, projects, users, groups, roles (+ implied), assignments, the catalog
// (regions, services, endpoints), application credentials and token revocation events.
import type { Kysely } from 'kysely';
import { addIdColumn, addTimeColumn } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

const ID = 'varchar(64)';
const NAME = 'varchar(255)';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
type Db = Kysely<any>;

async function actors(db: Db, caps: DbCapabilities): Promise<void> {
  await addTimeColumn(db.schema.createTable('domains'), 'created_at', caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull())
    .addUniqueConstraint('uniq_domains0name', ['name'])
    .execute();
  await addTimeColumn(db.schema.createTable('projects'), 'created_at', caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('domain_id', ID, (c) => c.notNull())
    .addColumn('parent_id', ID)
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull())
    .addUniqueConstraint('uniq_projects0domain_id0name', ['domain_id', 'name'])
    .execute();
  await db.schema.createIndex('projects_parent_id_idx').on('projects').column('parent_id').execute();
  let users = db.schema
    .createTable('users')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('domain_id', ID, (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('default_project_id', ID)
    .addColumn('password_hash', 'text')
    .addColumn('extra', 'text', (c) => c.notNull());
  for (const col of ['password_created_at', 'password_expires_at', 'created_at'])
    users = addTimeColumn(users, col, caps);
  await users.addUniqueConstraint('uniq_users0domain_id0name', ['domain_id', 'name']).execute();
  await addTimeColumn(db.schema.createTable('groups'), 'created_at', caps)
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('domain_id', ID, (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull())
    .addUniqueConstraint('uniq_groups0domain_id0name', ['domain_id', 'name'])
    .execute();
  await db.schema
    .createTable('user_group_memberships')
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('group_id', ID, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_group_memberships_pkey', ['user_id', 'group_id'])
    .execute();
  await db.schema
    .createIndex('user_group_memberships_group_id_idx')
    .on('user_group_memberships')
    .column('group_id')
    .execute();
}

async function roles(db: Db): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('domain_id', ID, (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull())
    .addUniqueConstraint('uniq_roles0name0domain_id', ['name', 'domain_id'])
    .execute();
  await db.schema
    .createTable('implied_roles')
    .addColumn('prior_role_id', ID, (c) => c.notNull())
    .addColumn('implied_role_id', ID, (c) => c.notNull())
    .addPrimaryKeyConstraint('implied_roles_pkey', ['prior_role_id', 'implied_role_id'])
    .execute();
  await db.schema
    .createTable('assignments')
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('actor_id', ID, (c) => c.notNull())
    .addColumn('target_id', ID, (c) => c.notNull())
    .addColumn('role_id', ID, (c) => c.notNull())
    .addColumn('inherited', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('assignments_pkey', ['type', 'actor_id', 'target_id', 'role_id', 'inherited'])
    .execute();
  await db.schema.createIndex('assignments_actor_id_idx').on('assignments').column('actor_id').execute();
  await db.schema.createIndex('assignments_target_id_idx').on('assignments').column('target_id').execute();
  await db.schema.createIndex('assignments_role_id_idx').on('assignments').column('role_id').execute();
}

async function catalog(db: Db): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('id', NAME, (c) => c.primaryKey())
    .addColumn('description', NAME, (c) => c.notNull())
    .addColumn('parent_region_id', NAME)
    .addColumn('extra', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('services')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('type', NAME, (c) => c.notNull())
    .addColumn('name', NAME)
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('endpoints')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('service_id', ID, (c) => c.notNull())
    .addColumn('interface', 'varchar(8)', (c) => c.notNull())
    .addColumn('region_id', NAME)
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('extra', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('endpoints_service_id_idx').on('endpoints').column('service_id').execute();
}

async function credentials(db: Db, caps: DbCapabilities): Promise<void> {
  let t = db.schema
    .createTable('application_credentials')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('project_id', ID)
    .addColumn('system', 'varchar(16)')
    .addColumn('unrestricted', 'boolean', (c) => c.notNull().defaultTo(false));
  t = addTimeColumn(addTimeColumn(t, 'expires_at', caps), 'created_at', caps);
  await t.addUniqueConstraint('uniq_application_credentials0user_id0name', ['user_id', 'name']).execute();
  await db.schema
    .createTable('application_credential_roles')
    .addColumn('application_credential_id', ID, (c) => c.notNull())
    .addColumn('role_id', ID, (c) => c.notNull())
    .addPrimaryKeyConstraint('application_credential_roles_pkey', ['application_credential_id', 'role_id'])
    .execute();
  let ev = addIdColumn(db.schema.createTable('revocation_events'), caps)
    .addColumn('audit_id', ID)
    .addColumn('user_id', ID)
    .addColumn('project_id', ID)
    .addColumn('domain_id', ID);
  ev = addTimeColumn(addTimeColumn(ev, 'issued_before', caps), 'revoked_at', caps);
  await ev.execute();
}

export async function up(db: Db, caps: DbCapabilities): Promise<void> {
  await actors(db, caps);
  await roles(db);
  await catalog(db);
  await credentials(db, caps);
}
