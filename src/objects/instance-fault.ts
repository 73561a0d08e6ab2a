// instance_faults (cell database): why an instance went to ERROR (or an action failed). The
// newest fault of an instance is what `GET /servers/{id}` shows as `fault`.
import type { DbHandle } from '../db/connect.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toNumber } from '../db/values.ts';

export interface InstanceFault {
  readonly code: number;
  readonly message: string;
  readonly details: string | null;
  readonly host: string | null;
  readonly created_at: Date | null;
}

export interface NewFault {
  readonly code: number;
  readonly message: string;
  readonly details?: string | null;
  readonly host?: string | null;
}

type Db = DbHandle<CellDb>;

export async function add(db: Db, instanceUuid: string, f: NewFault, now: Date): Promise<void> {
  await insertReturningId(db, 'instance_faults', {
    instance_uuid: instanceUuid,
    code: f.code,
    message: f.message.slice(0, 255),
    details: f.details ?? null,
    host: f.host ?? null,
    created_at: toDbTime(now),
  });
}

/** The newest fault of each of these instances. */
export async function latestFor(
  db: Db,
  instanceUuids: readonly string[],
): Promise<ReadonlyMap<string, InstanceFault>> {
  const out = new Map<string, InstanceFault>();
  if (instanceUuids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('instance_faults')
    .selectAll()
    .where('instance_uuid', 'in', [...instanceUuids])
    .where('deleted', '=', 0)
    .orderBy('id', 'desc')
    .execute();
  for (const r of rows) {
    if (!r.instance_uuid || out.has(r.instance_uuid)) continue;
    out.set(
      r.instance_uuid,
      Object.freeze({
        code: toNumber(r.code),
        message: r.message ?? '',
        details: r.details,
        host: r.host,
        created_at: fromDbTime(r.created_at),
      }),
    );
  }
  return out;
}
