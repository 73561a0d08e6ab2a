// Inventories of a provider: what it offers of each resource class and on which terms. Owns its
// SQL. Writers run inside the caller's transaction and bump the provider generation.
import { fromDbTime, toDbTime } from '../../db/time.ts';
import { toNumber } from '../../db/values.ts';
import type { PlacementDbHandle as Db } from '../context.ts';
import { conflict, ErrorCode } from '../errors.ts';
import { bumpGeneration, type ResourceProvider } from './resource-provider.ts';

export interface InventoryFields {
  readonly total: number;
  readonly reserved: number;
  readonly min_unit: number;
  readonly max_unit: number;
  readonly step_size: number;
  readonly allocation_ratio: number;
}

export interface Inventory extends InventoryFields {
  readonly resource_class: string;
  readonly resource_class_id: number;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export const INVENTORY_DEFAULTS = Object.freeze({
  reserved: 0,
  min_unit: 1,
  max_unit: 2147483647,
  step_size: 1,
  allocation_ratio: 1.0,
});

/** What can be allocated: int((total - reserved) * allocation_ratio). */
export const capacityOf = (inv: InventoryFields): number =>
  Math.floor((inv.total - inv.reserved) * inv.allocation_ratio);

export async function listInventories(db: Db, providerId: number): Promise<readonly Inventory[]> {
  const rows = await db.kysely
    .selectFrom('inventories as i')
    .innerJoin('resource_classes as rc', 'rc.id', 'i.resource_class_id')
    .selectAll('i')
    .select('rc.name as rc_name')
    .where('i.resource_provider_id', '=', providerId)
    .orderBy('rc.id')
    .execute();
  return rows.map((r) =>
    Object.freeze({
      resource_class: r.rc_name,
      resource_class_id: toNumber(r.resource_class_id),
      total: toNumber(r.total),
      reserved: toNumber(r.reserved),
      min_unit: toNumber(r.min_unit),
      max_unit: toNumber(r.max_unit),
      step_size: toNumber(r.step_size),
      allocation_ratio: Number(r.allocation_ratio),
      created_at: fromDbTime(r.created_at),
      updated_at: fromDbTime(r.updated_at),
    }),
  );
}

/** Resource class ids with allocations against the provider. */
async function classesInUse(db: Db, providerId: number): Promise<Set<number>> {
  const rows = await db.kysely
    .selectFrom('allocations')
    .select('resource_class_id')
    .distinct()
    .where('resource_provider_id', '=', providerId)
    .execute();
  return new Set(rows.map((r) => toNumber(r.resource_class_id)));
}

export interface InventoryWrite extends InventoryFields {
  readonly resource_class: string;
  readonly resource_class_id: number;
}

const inUse = (rcName: string, rp: ResourceProvider) =>
  conflict(
    `update conflict: Inventory for '${rcName}' on resource provider '${rp.uuid}' in use.`,
    ErrorCode.INVENTORY_INUSE,
  );

/**
 * Makes the provider's inventory exactly `wanted`: classes not named are removed (409 inventory
 * in use if allocated), others updated or added. Returns the new generation.
 */
export async function replaceInventories(
  db: Db,
  rp: ResourceProvider,
  wanted: readonly InventoryWrite[],
  now: Date,
  inUseError = inUse,
): Promise<number> {
  const current = await listInventories(db, rp.id);
  const keep = new Set(wanted.map((w) => w.resource_class_id));
  const gone = current.filter((c) => !keep.has(c.resource_class_id));
  if (gone.length > 0) {
    const used = await classesInUse(db, rp.id);
    const busy = gone.find((g) => used.has(g.resource_class_id));
    if (busy) throw inUseError(busy.resource_class, rp);
    await db.kysely
      .deleteFrom('inventories')
      .where('resource_provider_id', '=', rp.id)
      .where(
        'resource_class_id',
        'in',
        gone.map((g) => g.resource_class_id),
      )
      .execute();
  }
  const have = new Set(current.map((c) => c.resource_class_id));
  for (const w of wanted) await writeOne(db, rp, w, have.has(w.resource_class_id), now);
  return bumpGeneration(db, rp, now);
}

async function writeOne(db: Db, rp: ResourceProvider, w: InventoryWrite, exists: boolean, now: Date) {
  const fields = {
    total: w.total,
    reserved: w.reserved,
    min_unit: w.min_unit,
    max_unit: w.max_unit,
    step_size: w.step_size,
    allocation_ratio: w.allocation_ratio,
  };
  if (exists) {
    await db.kysely
      .updateTable('inventories')
      .set({ ...fields, updated_at: toDbTime(now) })
      .where('resource_provider_id', '=', rp.id)
      .where('resource_class_id', '=', w.resource_class_id)
      .execute();
  } else {
    await db.kysely
      .insertInto('inventories')
      .values({
        ...fields,
        resource_provider_id: rp.id,
        resource_class_id: w.resource_class_id,
        created_at: toDbTime(now),
        updated_at: toDbTime(now),
      })
      .execute();
  }
}

/** Adds or updates one class; `mustExist` decides which (else 409/400 from the caller's check). */
export async function writeInventory(
  db: Db,
  rp: ResourceProvider,
  w: InventoryWrite,
  exists: boolean,
  now: Date,
) {
  await writeOne(db, rp, w, exists, now);
  return bumpGeneration(db, rp, now);
}

/** Removes one class (409 when allocated). Returns the new generation. */
export async function deleteInventory(db: Db, rp: ResourceProvider, rcId: number, rcName: string, now: Date) {
  if ((await classesInUse(db, rp.id)).has(rcId))
    throw conflict(
      `Unable to delete inventory of class ${rcName}: Inventory for '${rcName}' on resource provider '${rp.uuid}' in use.`,
      ErrorCode.CONCURRENT_UPDATE,
    );
  await db.kysely
    .deleteFrom('inventories')
    .where('resource_provider_id', '=', rp.id)
    .where('resource_class_id', '=', rcId)
    .execute();
  return bumpGeneration(db, rp, now);
}
