// Image database: images (core attributes as Glance's `images` table), their free-form properties,
// tags and members (project-to-project sharing). Image data lives in the file store, keyed by id.
import type { Kysely } from 'kysely';
import { addIdColumn, addTimeColumn, addTimestamps } from '../../columns.ts';
import type { DbCapabilities } from '../../dialects/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: schema as of this migration
export async function up(db: Kysely<any>, caps: DbCapabilities): Promise<void> {
  await addTimeColumn(addTimestamps(db.schema.createTable('images'), caps), 'deleted_at', caps)
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('size', 'bigint')
    .addColumn('virtual_size', 'bigint')
    .addColumn('status', 'varchar(30)', (c) => c.notNull())
    .addColumn('visibility', 'varchar(9)', (c) => c.notNull())
    .addColumn('checksum', 'varchar(32)')
    .addColumn('os_hash_algo', 'varchar(64)')
    .addColumn('os_hash_value', 'varchar(128)')
    .addColumn('min_disk', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('min_ram', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('owner', 'varchar(255)')
    .addColumn('protected', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('os_hidden', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('disk_format', 'varchar(20)')
    .addColumn('container_format', 'varchar(20)')
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  for (const col of ['owner', 'status', 'visibility', 'checksum', 'created_at', 'updated_at', 'deleted']) {
    await db.schema.createIndex(`ix_images_${col}`).on('images').column(col).execute();
  }

  await addTimestamps(addIdColumn(db.schema.createTable('image_properties'), caps), caps)
    .addColumn('image_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'text')
    .addUniqueConstraint('ix_image_properties_image_id_name', ['image_id', 'name'])
    .addForeignKeyConstraint('image_properties_image_id_fkey', ['image_id'], 'images', ['id'])
    .execute();

  await addTimestamps(addIdColumn(db.schema.createTable('image_tags'), caps), caps)
    .addColumn('image_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('ix_image_tags_image_id_value', ['image_id', 'value'])
    .addForeignKeyConstraint('image_tags_image_id_fkey', ['image_id'], 'images', ['id'])
    .execute();

  await addTimestamps(addIdColumn(db.schema.createTable('image_members'), caps), caps)
    .addColumn('image_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('member', 'varchar(255)', (c) => c.notNull())
    .addColumn('can_share', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('pending'))
    .addUniqueConstraint('image_members_image_id_member', ['image_id', 'member'])
    .addForeignKeyConstraint('image_members_image_id_fkey', ['image_id'], 'images', ['id'])
    .execute();
  await db.schema.createIndex('ix_image_members_member').on('image_members').column('member').execute();
}
