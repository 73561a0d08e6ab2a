// Read-only queries over a cell's instances for host and usage reports (services, hypervisors,
// simple tenant usage, external events). The servers work owns the instance repository proper.
import type { DbHandle } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toNumber, toNumberOrNull } from '../db/values.ts';

type Db = DbHandle<CellDb>;

export interface HostedInstance {
  readonly uuid: string;
  readonly name: string;
}

export interface InstanceLocation {
  readonly uuid: string;
  readonly host: string | null;
}

/** What a usage report needs of an instance. */
export interface UsageInstance {
  readonly uuid: string;
  readonly display_name: string | null;
  readonly project_id: string;
  readonly vm_state: string | null;
  readonly memory_mb: number;
  readonly vcpus: number;
  readonly root_gb: number;
  readonly ephemeral_gb: number;
  readonly instance_type_id: number | null;
  readonly launched_at: Date | null;
  readonly terminated_at: Date | null;
  readonly deleted: boolean;
}

/** Live instances on these hosts (InstanceList.get_count_by_hosts). */
export async function countByHosts(db: Db, hosts: readonly string[]): Promise<number> {
  if (hosts.length === 0) return 0;
  const row = await db.kysely
    .selectFrom('instances')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('deleted', '=', 0)
    .where('host', 'in', [...hosts])
    .executeTakeFirstOrThrow();
  return toNumber(row.n);
}

/** Live instances on a host, by id (InstanceList.get_by_host). */
export async function listByHost(db: Db, host: string): Promise<readonly HostedInstance[]> {
  const rows = await db.kysely
    .selectFrom('instances')
    .select(['uuid', 'display_name'])
    .where('deleted', '=', 0)
    .where('host', '=', host)
    .orderBy('id')
    .execute();
  return Object.freeze(rows.map((r) => Object.freeze({ uuid: r.uuid, name: r.display_name ?? '' })));
}

/** Live instances by uuid, with the host they are on (null: not on a host yet). */
export async function locate(db: Db, uuids: readonly string[]): Promise<readonly InstanceLocation[]> {
  if (uuids.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('instances')
    .select(['uuid', 'host'])
    .where('deleted', '=', 0)
    .where('uuid', 'in', [...uuids])
    .execute();
  return Object.freeze(rows.map((r) => Object.freeze({ uuid: r.uuid, host: r.host })));
}

export interface UsageWindow {
  readonly begin: Date;
  readonly end: Date;
  readonly projectId?: string;
  /** Only instances after this one in (project_id, uuid) order. */
  readonly after?: { readonly project_id: string; readonly uuid: string };
  readonly limit?: number;
}

/**
 * Instances (deleted ones too) active at some time in [begin, end): not terminated before begin,
 * launched before end — upstream's instance_get_active_by_window_joined, in (project_id, uuid) order.
 */
export async function listActiveInWindow(db: Db, w: UsageWindow): Promise<readonly UsageInstance[]> {
  let q = db.kysely
    .selectFrom('instances')
    .select([
      'uuid',
      'display_name',
      'project_id',
      'vm_state',
      'memory_mb',
      'vcpus',
      'root_gb',
      'ephemeral_gb',
      'instance_type_id',
      'launched_at',
      'terminated_at',
      'deleted',
    ])
    .where((eb) => eb.or([eb('terminated_at', 'is', null), eb('terminated_at', '>', toDbTime(w.begin))]))
    .where('launched_at', '<', toDbTime(w.end));
  if (w.projectId !== undefined) q = q.where('project_id', '=', w.projectId);
  if (w.after) {
    const a = w.after;
    q = q.where((eb) =>
      eb.or([
        eb('project_id', '>', a.project_id),
        eb.and([eb('project_id', '=', a.project_id), eb('uuid', '>', a.uuid)]),
      ]),
    );
  }
  q = q.orderBy('project_id').orderBy('uuid');
  if (w.limit !== undefined) q = q.limit(w.limit);
  const rows = await q.execute();
  return Object.freeze(
    rows.map((r) =>
      Object.freeze({
        uuid: r.uuid,
        display_name: r.display_name,
        project_id: r.project_id ?? '',
        vm_state: r.vm_state,
        memory_mb: toNumberOrNull(r.memory_mb) ?? 0,
        vcpus: toNumberOrNull(r.vcpus) ?? 0,
        root_gb: toNumberOrNull(r.root_gb) ?? 0,
        ephemeral_gb: toNumberOrNull(r.ephemeral_gb) ?? 0,
        instance_type_id: toNumberOrNull(r.instance_type_id),
        launched_at: fromDbTime(r.launched_at),
        terminated_at: fromDbTime(r.terminated_at),
        deleted: toNumber(r.deleted) !== 0,
      }),
    ),
  );
}

/** One instance (deleted too) by uuid, for paging markers. */
export async function findProjectOf(db: Db, uuid: string): Promise<string | undefined> {
  const row = await db.kysely
    .selectFrom('instances')
    .select(['project_id'])
    .where('uuid', '=', uuid)
    .executeTakeFirst();
  return row ? (row.project_id ?? '') : undefined;
}
