// services (cell database): one row per daemon per host, refreshed by its heartbeat. Soft-deleted
// as upstream (`deleted` = id), so a host may register the same binary again after a delete.
// (Named ServiceRecord: "service" is also the daemon itself, src/service.)
import type { Selectable, Updateable } from 'kysely';
import { newUuid } from '../common/ids.ts';
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb, ServicesTable } from '../db/tables/cell-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toBool, toNumber } from '../db/values.ts';
import { Conflict, NotFound } from '../faults/fault.ts';

export { isServiceUp } from './service-up.ts';

export interface ServiceRecord {
  readonly id: number;
  readonly uuid: string;
  readonly host: string;
  readonly binary: string;
  readonly topic: string | null;
  readonly report_count: number;
  readonly disabled: boolean;
  readonly disabled_reason: string | null;
  readonly last_seen_up: Date | null;
  readonly forced_down: boolean;
  readonly version: number;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
  readonly deleted_at: Date | null;
  readonly deleted: boolean;
}

/** What a starting daemon registers. */
export interface ServiceIdentity {
  readonly host: string;
  readonly binary: string;
  readonly topic: string;
  readonly version: number;
}

export interface ServiceFilter {
  readonly host?: string;
  readonly binary?: string;
  readonly includeDeleted?: boolean;
}

type Db = DbHandle<CellDb>;

const notFound = (what: string | number) =>
  new NotFound(`Service ${what} could not be found.`, 'nova.service_not_found');

function toService(row: Selectable<ServicesTable>): ServiceRecord {
  return Object.freeze({
    id: toNumber(row.id),
    uuid: row.uuid,
    host: row.host,
    binary: row.binary,
    topic: row.topic,
    report_count: toNumber(row.report_count),
    disabled: toBool(row.disabled),
    disabled_reason: row.disabled_reason,
    last_seen_up: fromDbTime(row.last_seen_up),
    forced_down: toBool(row.forced_down),
    version: toNumber(row.version),
    created_at: fromDbTime(row.created_at),
    updated_at: fromDbTime(row.updated_at),
    deleted_at: fromDbTime(row.deleted_at),
    deleted: toNumber(row.deleted) !== 0,
  });
}

function live(db: Db) {
  return db.kysely.selectFrom('services').selectAll().where('deleted', '=', 0);
}

export async function list(db: Db, filter: ServiceFilter = {}): Promise<readonly ServiceRecord[]> {
  let q = db.kysely.selectFrom('services').selectAll();
  if (!filter.includeDeleted) q = q.where('deleted', '=', 0);
  if (filter.host !== undefined) q = q.where('host', '=', filter.host);
  if (filter.binary !== undefined) q = q.where('binary', '=', filter.binary);
  const rows = await q.orderBy('id').execute();
  return Object.freeze(rows.map(toService));
}

export async function getById(db: Db, id: number): Promise<ServiceRecord> {
  const row = await live(db).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(id);
  return toService(row);
}

export async function getByUuid(db: Db, uuid: string): Promise<ServiceRecord> {
  const row = await live(db).where('uuid', '=', uuid).executeTakeFirst();
  if (!row) throw notFound(uuid);
  return toService(row);
}

export async function findByHostAndBinary(
  db: Db,
  host: string,
  binary: string,
): Promise<ServiceRecord | undefined> {
  const row = await live(db).where('host', '=', host).where('binary', '=', binary).executeTakeFirst();
  return row ? toService(row) : undefined;
}

export async function getByHostAndBinary(db: Db, host: string, binary: string): Promise<ServiceRecord> {
  const found = await findByHostAndBinary(db, host, binary);
  if (!found) {
    throw new NotFound(`Could not find binary ${binary} on host ${host}.`, 'nova.host_binary_not_found');
  }
  return found;
}

/** The live row for (host, binary) with its version brought up to date, else a new row. */
export async function createOrGet(db: Db, identity: ServiceIdentity, now: Date): Promise<ServiceRecord> {
  const existing = await findByHostAndBinary(db, identity.host, identity.binary);
  if (existing) {
    if (existing.version === identity.version) return existing;
    await db.kysely
      .updateTable('services')
      .set({ version: identity.version, updated_at: toDbTime(now) })
      .where('id', '=', existing.id)
      .execute();
    return getById(db, existing.id);
  }
  try {
    const id = await insertReturningId(db, 'services', {
      uuid: newUuid(),
      host: identity.host,
      binary: identity.binary,
      topic: identity.topic,
      version: identity.version,
      created_at: toDbTime(now),
    });
    return getById(db, id);
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
    // Another process registered the same (host, binary) meanwhile: use its row.
    const raced = await findByHostAndBinary(db, identity.host, identity.binary);
    if (raced) return raced;
    throw new Conflict(
      `Service with host ${identity.host} topic ${identity.topic} exists.`,
      'nova.service_topic_exists',
    );
  }
}

/** One report: report_count + 1, last_seen_up and updated_at = now, in a single UPDATE. */
export async function heartbeat(db: Db, id: number, now: Date): Promise<void> {
  const t = toDbTime(now);
  const res = await db.kysely
    .updateTable('services')
    .set((eb) => ({ report_count: eb('report_count', '+', 1), last_seen_up: t, updated_at: t }))
    .where('id', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw notFound(id);
}

async function updateLive(db: Db, id: number, fields: Updateable<ServicesTable>): Promise<ServiceRecord> {
  const res = await db.kysely
    .updateTable('services')
    .set(fields)
    .where('id', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw notFound(id);
  return getById(db, id);
}

/** Disables (with an optional reason) or enables (the reason is cleared) scheduling to a service. */
export function setDisabled(
  db: Db,
  id: number,
  disabled: boolean,
  reason: string | null,
  now: Date,
): Promise<ServiceRecord> {
  return updateLive(db, id, {
    disabled,
    disabled_reason: disabled ? reason : null,
    updated_at: toDbTime(now),
  });
}

export function setForcedDown(db: Db, id: number, forcedDown: boolean, now: Date): Promise<ServiceRecord> {
  return updateLive(db, id, { forced_down: forcedDown, updated_at: toDbTime(now) });
}

/** Soft delete: `deleted` = id, `deleted_at` = now. The (host, binary) pair is free again. */
export async function destroy(db: Db, id: number, now: Date): Promise<void> {
  const res = await db.kysely
    .updateTable('services')
    .set((eb) => ({ deleted: eb.ref('id'), deleted_at: toDbTime(now) }))
    .where('id', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw notFound(id);
}
