// images + image_properties + image_tags: the image records. Every read returns frozen Image
// values with their tags and properties; deleted images are soft-deleted (status 'deleted').
import type { Selectable } from 'kysely';
import type { DbHandle } from '../../db/connect.ts';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { ImageDb, ImagesTable } from '../../db/tables/image-db.ts';
import { fromDbTimeStrict, toDbTime } from '../../db/time.ts';
import { inTransaction } from '../../db/transaction.ts';
import { toBool, toNumber, toNumberOrNull } from '../../db/values.ts';
import { imageExists } from '../faults.ts';
import type { DataCore, Image, ImageStatus, Visibility, WritableCore } from '../model.ts';

export type Db = DbHandle<ImageDb>;

export interface NewImage extends WritableCore {
  readonly id: string;
  readonly tags: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
}

/** What a PATCH changes: core attributes, properties set or removed, the whole tag list. */
export interface ImageChanges {
  readonly core?: Partial<WritableCore>;
  readonly setProperties?: Readonly<Record<string, string>>;
  readonly removeProperties?: readonly string[];
  readonly tags?: readonly string[];
}

function toImage(
  row: Selectable<ImagesTable>,
  tags: readonly string[],
  props: Record<string, string>,
): Image {
  return Object.freeze({
    id: row.id,
    name: row.name,
    status: row.status as ImageStatus,
    visibility: row.visibility as Visibility,
    size: toNumberOrNull(row.size),
    virtual_size: toNumberOrNull(row.virtual_size),
    checksum: row.checksum,
    os_hash_algo: row.os_hash_algo,
    os_hash_value: row.os_hash_value,
    min_disk: toNumber(row.min_disk),
    min_ram: toNumber(row.min_ram),
    owner: row.owner,
    protected: toBool(row.protected),
    os_hidden: toBool(row.os_hidden),
    disk_format: row.disk_format,
    container_format: row.container_format,
    created_at: fromDbTimeStrict(row.created_at),
    updated_at: fromDbTimeStrict(row.updated_at ?? row.created_at),
    tags: Object.freeze([...tags].sort()),
    properties: Object.freeze({ ...props }),
  });
}

/** Loads tags and properties of the rows in two queries and assembles the images. */
export async function assemble(db: Db, rows: readonly Selectable<ImagesTable>[]): Promise<Image[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tags = new Map<string, string[]>();
  const props = new Map<string, Record<string, string>>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const [t, p] = await Promise.all([
      db.kysely
        .selectFrom('image_tags')
        .select(['image_id', 'value'])
        .where('image_id', 'in', chunk)
        .execute(),
      db.kysely
        .selectFrom('image_properties')
        .select(['image_id', 'name', 'value'])
        .where('image_id', 'in', chunk)
        .execute(),
    ]);
    for (const r of t) tags.set(r.image_id, [...(tags.get(r.image_id) ?? []), r.value]);
    for (const r of p) {
      const rec = props.get(r.image_id) ?? {};
      rec[r.name] = r.value ?? '';
      props.set(r.image_id, rec);
    }
  }
  return rows.map((r) => toImage(r, tags.get(r.id) ?? [], props.get(r.id) ?? {}));
}

export async function createImage(db: Db, img: NewImage, now: Date): Promise<Image> {
  const ts = toDbTime(now);
  try {
    await inTransaction(db, async (trx) => {
      await trx.kysely
        .insertInto('images')
        .values({
          id: img.id,
          name: img.name,
          status: 'queued',
          visibility: img.visibility,
          min_disk: img.min_disk,
          min_ram: img.min_ram,
          owner: img.owner,
          protected: img.protected,
          os_hidden: img.os_hidden,
          disk_format: img.disk_format,
          container_format: img.container_format,
          deleted: false,
          created_at: ts,
          updated_at: ts,
        })
        .execute();
      await writeProperties(trx, img.id, img.properties, ts);
      await replaceTags(trx, img.id, img.tags, ts);
    });
  } catch (err) {
    if (isDuplicateEntry(err)) throw imageExists(img.id);
    throw err;
  }
  return (await findImage(db, img.id)) as Image;
}

/** The image unless it is deleted. */
export async function findImage(db: Db, id: string): Promise<Image | undefined> {
  const row = await db.kysely
    .selectFrom('images')
    .selectAll()
    .where('id', '=', id)
    .where('deleted', '=', false)
    .executeTakeFirst();
  return row ? (await assemble(db, [row]))[0] : undefined;
}

async function writeProperties(db: Db, id: string, props: Readonly<Record<string, string>>, ts: string) {
  for (const [name, value] of Object.entries(props)) {
    const updated = await db.kysely
      .updateTable('image_properties')
      .set({ value, updated_at: ts })
      .where('image_id', '=', id)
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      await db.kysely
        .insertInto('image_properties')
        .values({ image_id: id, name, value, created_at: ts, updated_at: ts })
        .execute();
  }
}

async function replaceTags(db: Db, id: string, tags: readonly string[], ts: string) {
  await db.kysely.deleteFrom('image_tags').where('image_id', '=', id).execute();
  for (const value of new Set(tags))
    await db.kysely
      .insertInto('image_tags')
      .values({ image_id: id, value, created_at: ts, updated_at: ts })
      .execute();
}

/** Applies a PATCH's changes in one transaction; returns the image as it is afterwards. */
export async function updateImage(
  db: Db,
  id: string,
  ch: ImageChanges,
  now: Date,
): Promise<Image | undefined> {
  const ts = toDbTime(now);
  await inTransaction(db, async (trx) => {
    await trx.kysely
      .updateTable('images')
      .set({ ...(ch.core ?? {}), updated_at: ts })
      .where('id', '=', id)
      .where('deleted', '=', false)
      .execute();
    if (ch.setProperties) await writeProperties(trx, id, ch.setProperties, ts);
    if (ch.removeProperties && ch.removeProperties.length > 0)
      await trx.kysely
        .deleteFrom('image_properties')
        .where('image_id', '=', id)
        .where('name', 'in', [...ch.removeProperties])
        .execute();
    if (ch.tags) await replaceTags(trx, id, ch.tags, ts);
  });
  return findImage(db, id);
}

/**
 * Moves the image from one of `from` to `to` (a compare-and-set: false when the image is gone or
 * in another status meanwhile), writing the data attributes given.
 */
export async function transition(
  db: Db,
  id: string,
  from: readonly ImageStatus[],
  to: ImageStatus,
  data: Partial<Omit<DataCore, 'status'>>,
  now: Date,
): Promise<boolean> {
  const res = await db.kysely
    .updateTable('images')
    .set({ ...data, status: to, updated_at: toDbTime(now) })
    .where('id', '=', id)
    .where('deleted', '=', false)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function markDeleted(db: Db, id: string, now: Date): Promise<boolean> {
  const ts = toDbTime(now);
  const res = await db.kysely
    .updateTable('images')
    .set({ status: 'deleted', deleted: true, deleted_at: ts, updated_at: ts })
    .where('id', '=', id)
    .where('deleted', '=', false)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function addTag(db: Db, id: string, tag: string, now: Date): Promise<void> {
  const ts = toDbTime(now);
  try {
    await db.kysely
      .insertInto('image_tags')
      .values({ image_id: id, value: tag, created_at: ts, updated_at: ts })
      .execute();
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
  }
  await db.kysely.updateTable('images').set({ updated_at: ts }).where('id', '=', id).execute();
}

/** False when the image has no such tag. */
export async function removeTag(db: Db, id: string, tag: string, now: Date): Promise<boolean> {
  const res = await db.kysely
    .deleteFrom('image_tags')
    .where('image_id', '=', id)
    .where('value', '=', tag)
    .executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) return false;
  await db.kysely
    .updateTable('images')
    .set({ updated_at: toDbTime(now) })
    .where('id', '=', id)
    .execute();
  return true;
}
