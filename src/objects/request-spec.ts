// request_specs (API database): the scheduling request of each instance, kept for its whole life
// (every later move is scheduled from it). Stored as JSON of scheduler/types.ts RequestSpec.
import type { DbHandle } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { toDbTime } from '../db/time.ts';
import { NotFound } from '../faults/fault.ts';
import type { RequestSpec } from '../scheduler/types.ts';

type Db = DbHandle<ApiDb>;

export async function save(db: Db, spec: RequestSpec, now: Date): Promise<void> {
  const text = JSON.stringify(spec);
  const res = await db.kysely
    .updateTable('request_specs')
    .set({ spec: text, updated_at: toDbTime(now) })
    .where('instance_uuid', '=', spec.instance_uuid)
    .executeTakeFirst();
  if (res.numUpdatedRows > 0n) return;
  await db.kysely
    .insertInto('request_specs')
    .values({ instance_uuid: spec.instance_uuid, spec: text, created_at: toDbTime(now) })
    .execute();
}

export async function find(db: Db, instanceUuid: string): Promise<RequestSpec | undefined> {
  const row = await db.kysely
    .selectFrom('request_specs')
    .select('spec')
    .where('instance_uuid', '=', instanceUuid)
    .executeTakeFirst();
  return row ? (JSON.parse(row.spec) as RequestSpec) : undefined;
}

export async function get(db: Db, instanceUuid: string): Promise<RequestSpec> {
  const spec = await find(db, instanceUuid);
  if (!spec)
    throw new NotFound(`RequestSpec not found for instance ${instanceUuid}.`, 'nova.request_spec_not_found');
  return spec;
}

export async function remove(db: Db, instanceUuid: string): Promise<void> {
  await db.kysely.deleteFrom('request_specs').where('instance_uuid', '=', instanceUuid).execute();
}
