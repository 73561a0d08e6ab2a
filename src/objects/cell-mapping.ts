// cell_mappings (API database): every cell, with the database and transport URL to reach it.
// cell0 (CELL0_UUID) holds instances that were never scheduled.
import type { Selectable } from 'kysely';
import { newUuid } from '../common/ids.ts';
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { ApiDb, CellMappingsTable } from '../db/tables/api-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { inTransaction } from '../db/transaction.ts';
import { toBool, toNumber } from '../db/values.ts';
import { Conflict, NotFound } from '../faults/fault.ts';

export const CELL0_UUID = '00000000-0000-0000-0000-000000000000';

export interface CellMapping {
  readonly id: number;
  readonly uuid: string;
  readonly name: string | null;
  readonly transport_url: string;
  readonly database_connection: string;
  readonly disabled: boolean;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export interface NewCellMapping {
  /** Default: a fresh uuid. */
  readonly uuid?: string;
  readonly name: string | null;
  readonly transport_url: string;
  readonly database_connection: string;
  readonly disabled?: boolean;
}

export type CellMappingUpdate = Partial<
  Pick<CellMapping, 'name' | 'transport_url' | 'database_connection' | 'disabled'>
>;

type Db = DbHandle<ApiDb>;

export function cellMappingNotFound(uuid: string): NotFound {
  return new NotFound(`Cell ${uuid} has no mapping.`, 'nova.cell_mapping_not_found');
}

/** A cell_mappings row as a record (also used by the mapping repositories' joins). */
export function toCellMapping(row: Selectable<CellMappingsTable>): CellMapping {
  return Object.freeze({
    id: toNumber(row.id),
    uuid: row.uuid,
    name: row.name,
    transport_url: row.transport_url,
    database_connection: row.database_connection,
    disabled: toBool(row.disabled),
    created_at: fromDbTime(row.created_at),
    updated_at: fromDbTime(row.updated_at),
  });
}

export async function create(db: Db, fields: NewCellMapping, now: Date): Promise<CellMapping> {
  const uuid = fields.uuid ?? newUuid();
  try {
    await insertReturningId(db, 'cell_mappings', {
      uuid,
      name: fields.name,
      transport_url: fields.transport_url,
      database_connection: fields.database_connection,
      disabled: fields.disabled ?? false,
      created_at: toDbTime(now),
    });
  } catch (err) {
    if (isDuplicateEntry(err))
      throw new Conflict(`Cell mapping ${uuid} already exists.`, 'nova.cell_mapping_exists');
    throw err;
  }
  return getByUuid(db, uuid);
}

export async function findByUuid(db: Db, uuid: string): Promise<CellMapping | undefined> {
  const row = await db.kysely
    .selectFrom('cell_mappings')
    .selectAll()
    .where('uuid', '=', uuid)
    .executeTakeFirst();
  return row ? toCellMapping(row) : undefined;
}

export async function findById(db: Db, id: number): Promise<CellMapping | undefined> {
  const row = await db.kysely.selectFrom('cell_mappings').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCellMapping(row) : undefined;
}

export async function getByUuid(db: Db, uuid: string): Promise<CellMapping> {
  const found = await findByUuid(db, uuid);
  if (!found) throw cellMappingNotFound(uuid);
  return found;
}

/** Every cell, by name (unnamed first, then by id), as nova-manage list_cells shows them. */
export async function list(db: Db): Promise<readonly CellMapping[]> {
  const rows = await db.kysely.selectFrom('cell_mappings').selectAll().orderBy('id').execute();
  const cells = rows.map(toCellMapping);
  const key = (c: CellMapping) => (c.name === null ? '' : `~${c.name}`);
  return Object.freeze(cells.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id)));
}

/** The first cell (lowest id) with this name; names are not unique. */
export async function findByName(db: Db, name: string): Promise<CellMapping | undefined> {
  const row = await db.kysely
    .selectFrom('cell_mappings')
    .selectAll()
    .where('name', '=', name)
    .orderBy('id')
    .executeTakeFirst();
  return row ? toCellMapping(row) : undefined;
}

export async function update(
  db: Db,
  uuid: string,
  fields: CellMappingUpdate,
  now: Date,
): Promise<CellMapping> {
  const res = await db.kysely
    .updateTable('cell_mappings')
    .set({
      ...(fields.name !== undefined && { name: fields.name }),
      ...(fields.transport_url !== undefined && { transport_url: fields.transport_url }),
      ...(fields.database_connection !== undefined && { database_connection: fields.database_connection }),
      ...(fields.disabled !== undefined && { disabled: fields.disabled }),
      updated_at: toDbTime(now),
    })
    .where('uuid', '=', uuid)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw cellMappingNotFound(uuid);
  return getByUuid(db, uuid);
}

/** How many hosts are mapped to the cell (host_mappings). */
export async function hostCount(db: Db, cellId: number): Promise<number> {
  const row = await db.kysely
    .selectFrom('host_mappings')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('cell_id', '=', cellId)
    .executeTakeFirstOrThrow();
  return toNumber(row.n);
}

/** How many instances are mapped to the cell (instance_mappings). */
export async function instanceMappingCount(db: Db, cellId: number): Promise<number> {
  const row = await db.kysely
    .selectFrom('instance_mappings')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('cell_id', '=', cellId)
    .executeTakeFirstOrThrow();
  return toNumber(row.n);
}

export interface DestroyOptions {
  /** Also delete the cell's host and instance mappings (nova-manage delete_cell --force). */
  readonly force?: boolean;
}

/** Deletes the mapping; a cell that hosts or instances still map to is a Conflict unless forced. */
export async function destroy(db: Db, uuid: string, opts: DestroyOptions = {}): Promise<void> {
  await inTransaction(db, async (trx) => {
    const cell = await getByUuid(trx, uuid);
    if (opts.force) {
      await trx.kysely.deleteFrom('host_mappings').where('cell_id', '=', cell.id).execute();
      await trx.kysely.deleteFrom('instance_mappings').where('cell_id', '=', cell.id).execute();
    } else {
      const hosts = await hostCount(trx, cell.id);
      const instances = await instanceMappingCount(trx, cell.id);
      if (hosts > 0 || instances > 0) {
        throw new Conflict(
          `Cell ${uuid} still has ${hosts} host mapping(s) and ${instances} instance mapping(s).`,
          'nova.cell_mapping_in_use',
        );
      }
    }
    await trx.kysely.deleteFrom('cell_mappings').where('id', '=', cell.id).execute();
  });
}
