// build_requests (API database): a server the API accepted that is not in a cell yet. The API lists
// and shows it (status BUILD) until the conductor creates the instance in a cell and deletes it;
// deleting a server in this window deletes the build request (the conductor then stops).
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { Conflict } from '../faults/fault.ts';
import type { NewInstance } from './instance.ts';

/** What a block device mapping of the request says (block_device_mapping_v2 after defaults). */
export interface RequestedBdm {
  readonly source_type: string;
  readonly destination_type: string;
  readonly boot_index: number | null;
  readonly uuid?: string | null;
  readonly volume_size?: number | null;
  readonly delete_on_termination?: boolean;
  readonly device_name?: string | null;
  readonly guest_format?: string | null;
  readonly device_type?: string | null;
  readonly disk_bus?: string | null;
  readonly tag?: string | null;
  readonly volume_type?: string | null;
}

export interface BuildRequest {
  readonly instance_uuid: string;
  readonly project_id: string;
  readonly user_id: string | null;
  readonly instance: NewInstance;
  readonly block_device_mappings: readonly RequestedBdm[];
  readonly tags: readonly string[];
  readonly created_at: Date | null;
}

type Db = DbHandle<ApiDb>;

export async function create(
  db: Db,
  instance: NewInstance,
  bdms: readonly RequestedBdm[],
  now: Date,
): Promise<void> {
  try {
    await db.kysely
      .insertInto('build_requests')
      .values({
        instance_uuid: instance.uuid,
        project_id: instance.project_id,
        user_id: instance.user_id,
        instance: JSON.stringify(instance),
        block_device_mappings: JSON.stringify(bdms),
        tags: JSON.stringify(instance.tags ?? []),
        created_at: toDbTime(now),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err))
      throw new Conflict(
        `BuildRequest for instance ${instance.uuid} already exists.`,
        'nova.build_request_exists',
      );
    throw err;
  }
}

function parse(row: {
  instance_uuid: string;
  project_id: string;
  user_id: string | null;
  instance: string | null;
  block_device_mappings: string | null;
  tags: string | null;
  created_at: unknown;
}): BuildRequest {
  const instance = JSON.parse(row.instance ?? '{}') as NewInstance;
  return Object.freeze({
    instance_uuid: row.instance_uuid,
    project_id: row.project_id,
    user_id: row.user_id,
    instance,
    block_device_mappings: JSON.parse(row.block_device_mappings ?? '[]') as RequestedBdm[],
    tags: JSON.parse(row.tags ?? '[]') as string[],
    created_at: fromDbTime(row.created_at),
  });
}

export async function find(db: Db, instanceUuid: string): Promise<BuildRequest | undefined> {
  const row = await db.kysely
    .selectFrom('build_requests')
    .selectAll()
    .where('instance_uuid', '=', instanceUuid)
    .executeTakeFirst();
  return row ? parse(row) : undefined;
}

/** Build requests, optionally of one project; oldest first. */
export async function list(db: Db, projectId?: string): Promise<BuildRequest[]> {
  let q = db.kysely.selectFrom('build_requests').selectAll().orderBy('id');
  if (projectId !== undefined) q = q.where('project_id', '=', projectId);
  return (await q.execute()).map(parse);
}

/** Deletes it; false when it was already gone (the server was deleted, or another conductor won). */
export async function remove(db: Db, instanceUuid: string): Promise<boolean> {
  const res = await db.kysely
    .deleteFrom('build_requests')
    .where('instance_uuid', '=', instanceUuid)
    .executeTakeFirst();
  return res.numDeletedRows > 0n;
}
