// Kysely types of the image database (what migrations/image creates).
import type { ColumnType } from 'kysely';
import type { DbBool, DbTime, DefaultInt, Id } from './column-types.ts';

/** A 64-bit integer: PG returns int8 as a string, so reads go through toNumberOrNull. */
type BigIntCol = ColumnType<number | string | bigint | null, number | null | undefined, number | null>;

export interface ImagesTable {
  id: string;
  name: string | null;
  size: BigIntCol;
  virtual_size: BigIntCol;
  status: string;
  visibility: string;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: DefaultInt;
  min_ram: DefaultInt;
  owner: string | null;
  protected: DbBool;
  os_hidden: DbBool;
  disk_format: string | null;
  container_format: string | null;
  created_at: DbTime;
  updated_at: DbTime;
  deleted_at: DbTime;
  deleted: DbBool;
}

export interface ImagePropertiesTable {
  id: Id;
  image_id: string;
  name: string;
  value: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface ImageTagsTable {
  id: Id;
  image_id: string;
  value: string;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface ImageMembersTable {
  id: Id;
  image_id: string;
  member: string;
  can_share: DbBool;
  status: string;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface ImageDb {
  images: ImagesTable;
  image_properties: ImagePropertiesTable;
  image_tags: ImageTagsTable;
  image_members: ImageMembersTable;
}
