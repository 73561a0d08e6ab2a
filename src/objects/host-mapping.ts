// host_mappings (API database): which cell each compute host lives in.
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry, isForeignKeyViolation } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toNumber } from '../db/values.ts';
import { Conflict, NotFound } from '../faults/fault.ts';
import { type CellMapping, cellMappingNotFound, toCellMapping } from './cell-mapping.ts';

export interface HostMapping {
  readonly id: number;
  readonly host: string;
  readonly cell_id: number;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
}

export interface HostMappingWithCell extends HostMapping {
  readonly cell_mapping: CellMapping;
}

export interface NewHostMapping {
  readonly host: string;
  readonly cell_id: number;
}

type Db = DbHandle<ApiDb>;

export function hostMappingNotFound(host: string): NotFound {
  return new NotFound(`Host '${host}' is not mapped to any cell`, 'nova.host_mapping_not_found');
}

function query(db: Db) {
  return db.kysely
    .selectFrom('host_mappings as hm')
    .innerJoin('cell_mappings as cm', 'cm.id', 'hm.cell_id')
    .select([
      'hm.id',
      'hm.host',
      'hm.cell_id',
      'hm.created_at',
      'hm.updated_at',
      'cm.uuid as cm_uuid',
      'cm.name as cm_name',
      'cm.transport_url as cm_transport_url',
      'cm.database_connection as cm_database_connection',
      'cm.disabled as cm_disabled',
      'cm.created_at as cm_created_at',
      'cm.updated_at as cm_updated_at',
    ]);
}

type JoinedRow = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

function toHostMapping(r: JoinedRow): HostMappingWithCell {
  return Object.freeze({
    id: toNumber(r.id),
    host: r.host,
    cell_id: toNumber(r.cell_id),
    created_at: fromDbTime(r.created_at),
    updated_at: fromDbTime(r.updated_at),
    cell_mapping: toCellMapping({
      id: r.cell_id,
      uuid: r.cm_uuid,
      name: r.cm_name,
      transport_url: r.cm_transport_url,
      database_connection: r.cm_database_connection,
      disabled: r.cm_disabled,
      created_at: r.cm_created_at,
      updated_at: r.cm_updated_at,
    }),
  });
}

/** Maps a host to a cell; an already mapped host is a Conflict, an unknown cell a NotFound. */
export async function create(db: Db, fields: NewHostMapping, now: Date): Promise<HostMappingWithCell> {
  try {
    await insertReturningId(db, 'host_mappings', {
      host: fields.host,
      cell_id: fields.cell_id,
      created_at: toDbTime(now),
    });
  } catch (err) {
    if (isDuplicateEntry(err)) {
      throw new Conflict(`Host '${fields.host}' mapping already exists`, 'nova.host_mapping_exists');
    }
    if (isForeignKeyViolation(err)) throw cellMappingNotFound(String(fields.cell_id));
    throw err;
  }
  return getByHost(db, fields.host);
}

export async function findByHost(db: Db, host: string): Promise<HostMappingWithCell | undefined> {
  const row = await query(db).where('hm.host', '=', host).executeTakeFirst();
  return row ? toHostMapping(row) : undefined;
}

export async function getByHost(db: Db, host: string): Promise<HostMappingWithCell> {
  const found = await findByHost(db, host);
  if (!found) throw hostMappingNotFound(host);
  return found;
}

export async function list(db: Db): Promise<readonly HostMappingWithCell[]> {
  const rows = await query(db).orderBy('hm.id').execute();
  return Object.freeze(rows.map(toHostMapping));
}

export async function listByCell(db: Db, cellId: number): Promise<readonly HostMappingWithCell[]> {
  const rows = await query(db).where('hm.cell_id', '=', cellId).orderBy('hm.id').execute();
  return Object.freeze(rows.map(toHostMapping));
}

export async function deleteByHost(db: Db, host: string): Promise<void> {
  const res = await db.kysely.deleteFrom('host_mappings').where('host', '=', host).executeTakeFirst();
  if (res.numDeletedRows === 0n) throw hostMappingNotFound(host);
}
