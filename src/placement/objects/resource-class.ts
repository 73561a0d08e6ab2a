// Resource classes: the standard ones (ids = os-resource-classes order, synced at start) and
// CUSTOM_* ones (ids from 10000). Owns its SQL.

import { isDuplicateEntry } from '../../db/errors.ts';
import { fromDbTime, toDbTime } from '../../db/time.ts';
import { toNumber } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';
import {
  CUSTOM_PREFIX,
  FIRST_CUSTOM_RESOURCE_CLASS_ID,
  STANDARD_RESOURCE_CLASSES,
} from '../data/resource-classes.ts';
import { badRequest, conflict, notFound } from '../errors.ts';

export interface ResourceClass {
  readonly id: number;
  readonly name: string;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

const toRc = (r: { id: unknown; name: string; created_at: unknown; updated_at: unknown }): ResourceClass =>
  Object.freeze({
    id: toNumber(r.id),
    name: r.name,
    created_at: fromDbTime(r.created_at),
    updated_at: fromDbTime(r.updated_at),
  });

export const isStandardClass = (name: string): boolean => !name.startsWith(CUSTOM_PREFIX);

/** Inserts the standard classes missing from the table (idempotent; run at start). */
export async function ensureStandardClasses(db: Db, now: Date): Promise<void> {
  const have = new Set(
    (await db.kysely.selectFrom('resource_classes').select('name').execute()).map((r) => r.name),
  );
  const missing = STANDARD_RESOURCE_CLASSES.map((name, id) => ({ id, name })).filter(
    (r) => !have.has(r.name),
  );
  for (const r of missing) {
    try {
      await db.kysely
        .insertInto('resource_classes')
        .values({ ...r, created_at: toDbTime(now) })
        .execute();
    } catch (err) {
      if (!isDuplicateEntry(err)) throw err;
    }
  }
}

export async function listClasses(db: Db): Promise<readonly ResourceClass[]> {
  const rows = await db.kysely.selectFrom('resource_classes').selectAll().orderBy('id').execute();
  return rows.map(toRc);
}

export async function findClass(db: Db, name: string): Promise<ResourceClass | undefined> {
  const row = await db.kysely
    .selectFrom('resource_classes')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toRc(row) : undefined;
}

export const noSuchClass = (name: string) => `No such resource class ${name}.`;

export async function getClass(db: Db, name: string): Promise<ResourceClass> {
  const rc = await findClass(db, name);
  if (!rc) throw notFound(noSuchClass(name));
  return rc;
}

/** name → id for the given names; `onMissing` builds the error for an unknown name. */
export async function classIds(
  db: Db,
  names: Iterable<string>,
  onMissing: (name: string) => Error,
): Promise<ReadonlyMap<string, number>> {
  const wanted = [...new Set(names)];
  if (wanted.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('resource_classes')
    .select(['id', 'name'])
    .where('name', 'in', wanted)
    .execute();
  const map = new Map(rows.map((r) => [r.name, toNumber(r.id)]));
  for (const n of wanted) if (!map.has(n)) throw onMissing(n);
  return map;
}

/** id → name of every class (small table; read per request where names are needed). */
export async function classNames(db: Db): Promise<ReadonlyMap<number, string>> {
  const rows = await db.kysely.selectFrom('resource_classes').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [toNumber(r.id), r.name]));
}

export async function createClass(db: Db, name: string, now: Date): Promise<ResourceClass> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await findClass(db, name)) throw conflict(`Conflicting resource class already exists: ${name}`);
    const max = await db.kysely
      .selectFrom('resource_classes')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    const id = Math.max(toNumber(max?.max ?? 0) + 1, FIRST_CUSTOM_RESOURCE_CLASS_ID);
    try {
      await db.kysely
        .insertInto('resource_classes')
        .values({ id, name, created_at: toDbTime(now) })
        .execute();
      return getClass(db, name);
    } catch (err) {
      if (!isDuplicateEntry(err)) throw err;
    }
  }
  throw conflict(
    `Max retries of DB transaction exceeded attempting to create resource class: ${name}, please try again.`,
  );
}

export async function renameClass(
  db: Db,
  rc: ResourceClass,
  name: string,
  now: Date,
): Promise<ResourceClass> {
  if (isStandardClass(rc.name)) throw badRequest(`Cannot update standard resource class ${rc.name}`);
  try {
    await db.kysely
      .updateTable('resource_classes')
      .set({ name, updated_at: toDbTime(now) })
      .where('id', '=', rc.id)
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw conflict(`Resource class already exists: ${name}`);
    throw err;
  }
  return getClass(db, name);
}

export async function deleteClass(db: Db, rc: ResourceClass): Promise<void> {
  if (isStandardClass(rc.name))
    throw badRequest(`Error in delete resource class: Cannot delete standard resource class ${rc.name}.`);
  const used = await db.kysely
    .selectFrom('inventories')
    .select('id')
    .where('resource_class_id', '=', rc.id)
    .limit(1)
    .executeTakeFirst();
  if (used)
    throw conflict(
      `Error in delete resource class: Unable to delete resource class ${rc.name}. ` +
        'The resource class is in use in inventory.',
    );
  await db.kysely.deleteFrom('resource_classes').where('id', '=', rc.id).execute();
}
