// instance_metadata (user metadata, the API's `metadata`) and instance_system_metadata (what nova
// keeps about an instance for itself: image_* properties, clean shutdown flags, …) — both key/value
// rows per instance in the cell database.
import type { DbHandle } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { toDbTime } from '../db/time.ts';
import { inTransaction } from '../db/transaction.ts';

export type MetadataTable = 'instance_metadata' | 'instance_system_metadata';
export type Metadata = Readonly<Record<string, string>>;

type Db = DbHandle<CellDb>;

/** Metadata of each of these instances (instances with none map to {}). */
export async function getFor(
  db: Db,
  table: MetadataTable,
  instanceUuids: readonly string[],
): Promise<ReadonlyMap<string, Metadata>> {
  const out = new Map<string, Record<string, string>>();
  for (const u of instanceUuids) out.set(u, {});
  if (instanceUuids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom(table)
    .select(['instance_uuid', 'key', 'value'])
    .where('instance_uuid', 'in', [...instanceUuids])
    .where('deleted', '=', 0)
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const m = out.get(r.instance_uuid);
    if (m) m[r.key] = r.value ?? '';
  }
  return out;
}

export async function get(db: Db, table: MetadataTable, instanceUuid: string): Promise<Metadata> {
  return (await getFor(db, table, [instanceUuid])).get(instanceUuid) ?? {};
}

/**
 * Sets keys; with `replace` every key not given is removed (PUT semantics), else the given keys
 * are merged in (POST semantics). Returns the resulting metadata.
 */
export async function set(
  db: Db,
  table: MetadataTable,
  instanceUuid: string,
  values: Metadata,
  replace: boolean,
  now: Date,
): Promise<Metadata> {
  return inTransaction(db, async (trx) => {
    const current = await get(trx, table, instanceUuid);
    const stamp = toDbTime(now);
    const drop = replace ? Object.keys(current).filter((k) => !(k in values)) : [];
    if (drop.length > 0) await removeKeys(trx, table, instanceUuid, drop, now);
    for (const [key, value] of Object.entries(values)) {
      if (key in current) {
        if (current[key] === value) continue;
        await trx.kysely
          .updateTable(table)
          .set({ value, updated_at: stamp })
          .where('instance_uuid', '=', instanceUuid)
          .where('key', '=', key)
          .where('deleted', '=', 0)
          .execute();
      } else {
        await trx.kysely
          .insertInto(table)
          .values({ instance_uuid: instanceUuid, key, value, created_at: stamp })
          .execute();
      }
    }
    return get(trx, table, instanceUuid);
  });
}

export async function removeKeys(
  db: Db,
  table: MetadataTable,
  instanceUuid: string,
  keys: readonly string[],
  now: Date,
): Promise<void> {
  if (keys.length === 0) return;
  await db.kysely
    .updateTable(table)
    .set((eb) => ({ deleted: eb.ref('id'), deleted_at: toDbTime(now) }))
    .where('instance_uuid', '=', instanceUuid)
    .where('key', 'in', [...keys])
    .where('deleted', '=', 0)
    .execute();
}
