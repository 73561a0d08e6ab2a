// instance_mappings (API database): which cell each instance lives in (none yet while it is a
// build request). Minimal for now; the boot path adds more.
import type { Selectable } from 'kysely';
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry, isForeignKeyViolation } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { ApiDb, InstanceMappingsTable } from '../db/tables/api-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toBool, toNumber, toNumberOrNull } from '../db/values.ts';
import { Conflict, NotFound } from '../faults/fault.ts';
import { type CellMapping, cellMappingNotFound, findById as findCellById } from './cell-mapping.ts';

export interface InstanceMapping {
  readonly id: number;
  readonly instance_uuid: string;
  readonly cell_id: number | null;
  readonly project_id: string;
  readonly user_id: string | null;
  readonly queued_for_delete: boolean;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export interface InstanceMappingWithCell extends InstanceMapping {
  /** null while the instance is not in a cell yet. */
  readonly cell_mapping: CellMapping | null;
}

export interface NewInstanceMapping {
  readonly instance_uuid: string;
  readonly cell_id?: number | null;
  readonly project_id: string;
  readonly user_id?: string | null;
  readonly queued_for_delete?: boolean;
}

type Db = DbHandle<ApiDb>;

function toInstanceMapping(row: Selectable<InstanceMappingsTable>): InstanceMapping {
  return Object.freeze({
    id: toNumber(row.id),
    instance_uuid: row.instance_uuid,
    cell_id: toNumberOrNull(row.cell_id),
    project_id: row.project_id,
    user_id: row.user_id,
    queued_for_delete: toBool(row.queued_for_delete),
    created_at: fromDbTime(row.created_at),
    updated_at: fromDbTime(row.updated_at),
  });
}

export async function create(
  db: Db,
  fields: NewInstanceMapping,
  now: Date,
): Promise<InstanceMappingWithCell> {
  try {
    await insertReturningId(db, 'instance_mappings', {
      instance_uuid: fields.instance_uuid,
      cell_id: fields.cell_id ?? null,
      project_id: fields.project_id,
      user_id: fields.user_id ?? null,
      queued_for_delete: fields.queued_for_delete ?? false,
      created_at: toDbTime(now),
    });
  } catch (err) {
    if (isDuplicateEntry(err)) {
      throw new Conflict(
        `Instance ${fields.instance_uuid} is already mapped.`,
        'nova.instance_mapping_exists',
      );
    }
    if (isForeignKeyViolation(err)) throw cellMappingNotFound(String(fields.cell_id));
    throw err;
  }
  return getByInstanceUuid(db, fields.instance_uuid);
}

export async function getByInstanceUuid(db: Db, instanceUuid: string): Promise<InstanceMappingWithCell> {
  const row = await db.kysely
    .selectFrom('instance_mappings')
    .selectAll()
    .where('instance_uuid', '=', instanceUuid)
    .executeTakeFirst();
  if (!row)
    throw new NotFound(
      `Instance ${instanceUuid} has no mapping to a cell.`,
      'nova.instance_mapping_not_found',
    );
  const mapping = toInstanceMapping(row);
  const cell = mapping.cell_id === null ? null : ((await findCellById(db, mapping.cell_id)) ?? null);
  return Object.freeze({ ...mapping, cell_mapping: cell });
}

/** The mappings of these instances (unknown uuids are left out), each with its cell if any. */
export async function listByInstanceUuids(
  db: Db,
  instanceUuids: readonly string[],
): Promise<readonly InstanceMappingWithCell[]> {
  if (instanceUuids.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('instance_mappings')
    .selectAll()
    .where('instance_uuid', 'in', [...instanceUuids])
    .execute();
  const cells = new Map<number, CellMapping | null>();
  const out: InstanceMappingWithCell[] = [];
  for (const row of rows) {
    const mapping = toInstanceMapping(row);
    let cell: CellMapping | null = null;
    if (mapping.cell_id !== null) {
      if (!cells.has(mapping.cell_id))
        cells.set(mapping.cell_id, (await findCellById(db, mapping.cell_id)) ?? null);
      cell = cells.get(mapping.cell_id) ?? null;
    }
    out.push(Object.freeze({ ...mapping, cell_mapping: cell }));
  }
  return Object.freeze(out);
}

export async function countByCell(db: Db, cellId: number): Promise<number> {
  const row = await db.kysely
    .selectFrom('instance_mappings')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('cell_id', '=', cellId)
    .executeTakeFirstOrThrow();
  return toNumber(row.n);
}

/** Deletes every instance mapping of the cell (nova-manage delete_cell --force); returns how many. */
export async function deleteByCell(db: Db, cellId: number): Promise<number> {
  const res = await db.kysely
    .deleteFrom('instance_mappings')
    .where('cell_id', '=', cellId)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Points the instance's mapping at its cell (the conductor, once the instance exists there). */
export async function setCell(db: Db, instanceUuid: string, cellId: number, now: Date): Promise<void> {
  await db.kysely
    .updateTable('instance_mappings')
    .set({ cell_id: cellId, updated_at: toDbTime(now) })
    .where('instance_uuid', '=', instanceUuid)
    .execute();
}

export async function setQueuedForDelete(
  db: Db,
  instanceUuid: string,
  queued: boolean,
  now: Date,
): Promise<void> {
  await db.kysely
    .updateTable('instance_mappings')
    .set({ queued_for_delete: queued, updated_at: toDbTime(now) })
    .where('instance_uuid', '=', instanceUuid)
    .execute();
}

export async function remove(db: Db, instanceUuid: string): Promise<void> {
  await db.kysely.deleteFrom('instance_mappings').where('instance_uuid', '=', instanceUuid).execute();
}

/** Instances of a project (or every one) not queued for delete: quota counting by mappings. */
export async function countByProject(db: Db, projectId: string, userId?: string): Promise<number> {
  let q = db.kysely
    .selectFrom('instance_mappings')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('project_id', '=', projectId)
    .where('queued_for_delete', '=', false);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  return toNumber((await q.executeTakeFirstOrThrow()).n);
}
