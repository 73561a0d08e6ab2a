// instance_groups (+ policy, members) in the API database: server groups. One policy per group
// (upstream stores it as the single instance_group_policy row), rules as a JSON object.

import { newUuid } from '../common/ids.ts';
import type { DbHandle } from '../db/connect.ts';
import { insertReturningId } from '../db/insert.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { inTransaction } from '../db/transaction.ts';
import { toNumber } from '../db/values.ts';
import { NotFound } from '../faults/fault.ts';

export interface InstanceGroup {
  readonly id: number;
  readonly uuid: string;
  readonly name: string | null;
  readonly project_id: string | null;
  readonly user_id: string | null;
  readonly policy: string | null;
  readonly rules: Readonly<Record<string, unknown>>;
  readonly members: readonly string[];
  readonly created_at: Date | null;
}

export interface NewInstanceGroup {
  readonly name: string | null;
  readonly project_id: string;
  readonly user_id: string;
  readonly policy: string;
  readonly rules?: Readonly<Record<string, unknown>>;
}

type Db = DbHandle<ApiDb>;

export const groupNotFound = (uuid: string) =>
  new NotFound(`Instance group ${uuid} could not be found.`, 'nova.instance_group_not_found');

async function load(
  db: Db,
  rows: readonly {
    id: unknown;
    uuid: string;
    name: string | null;
    project_id: string | null;
    user_id: string | null;
    created_at: unknown;
  }[],
): Promise<InstanceGroup[]> {
  const ids = rows.map((r) => toNumber(r.id));
  const policies = new Map<number, { policy: string | null; rules: string | null }>();
  const members = new Map<number, string[]>();
  if (ids.length > 0) {
    for (const p of await db.kysely
      .selectFrom('instance_group_policy')
      .select(['group_id', 'policy', 'rules'])
      .where('group_id', 'in', ids)
      .orderBy('id')
      .execute())
      if (!policies.has(toNumber(p.group_id)))
        policies.set(toNumber(p.group_id), { policy: p.policy, rules: p.rules });
    for (const m of await db.kysely
      .selectFrom('instance_group_member')
      .select(['group_id', 'instance_uuid'])
      .where('group_id', 'in', ids)
      .orderBy('id')
      .execute()) {
      const list = members.get(toNumber(m.group_id)) ?? [];
      if (m.instance_uuid) list.push(m.instance_uuid);
      members.set(toNumber(m.group_id), list);
    }
  }
  return rows.map((r) => {
    const id = toNumber(r.id);
    const p = policies.get(id);
    return Object.freeze({
      id,
      uuid: r.uuid,
      name: r.name,
      project_id: r.project_id,
      user_id: r.user_id,
      policy: p?.policy ?? null,
      rules: Object.freeze(p?.rules ? (JSON.parse(p.rules) as Record<string, unknown>) : {}),
      members: Object.freeze(members.get(id) ?? []),
      created_at: fromDbTime(r.created_at),
    });
  });
}

export async function create(db: Db, g: NewInstanceGroup, now: Date): Promise<InstanceGroup> {
  const uuid = newUuid();
  await inTransaction(db, async (trx) => {
    const id = await insertReturningId(trx, 'instance_groups', {
      uuid,
      name: g.name,
      project_id: g.project_id,
      user_id: g.user_id,
      created_at: toDbTime(now),
    });
    await insertReturningId(trx, 'instance_group_policy', {
      group_id: id,
      policy: g.policy,
      rules: g.rules && Object.keys(g.rules).length > 0 ? JSON.stringify(g.rules) : null,
      created_at: toDbTime(now),
    });
  });
  return getByUuid(db, uuid);
}

export async function getByUuid(db: Db, uuid: string): Promise<InstanceGroup> {
  const row = await db.kysely
    .selectFrom('instance_groups')
    .selectAll()
    .where('uuid', '=', uuid)
    .executeTakeFirst();
  if (!row) throw groupNotFound(uuid);
  return (await load(db, [row]))[0];
}

/** Groups of a project (or all when projectId is undefined), oldest first. */
export async function list(db: Db, projectId?: string): Promise<readonly InstanceGroup[]> {
  let q = db.kysely.selectFrom('instance_groups').selectAll();
  if (projectId !== undefined) q = q.where('project_id', '=', projectId);
  return Object.freeze(await load(db, await q.orderBy('id').execute()));
}

export async function countByProject(db: Db, projectId: string, userId?: string): Promise<number> {
  let q = db.kysely
    .selectFrom('instance_groups')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('project_id', '=', projectId);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  return toNumber((await q.executeTakeFirstOrThrow()).n);
}

export async function destroy(db: Db, uuid: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const g = await getByUuid(trx, uuid);
    await trx.kysely.deleteFrom('instance_group_member').where('group_id', '=', g.id).execute();
    await trx.kysely.deleteFrom('instance_group_policy').where('group_id', '=', g.id).execute();
    await trx.kysely.deleteFrom('instance_groups').where('id', '=', g.id).execute();
  });
}

export async function addMembers(
  db: Db,
  uuid: string,
  instanceUuids: readonly string[],
  now: Date,
): Promise<void> {
  const g = await getByUuid(db, uuid);
  for (const instance_uuid of instanceUuids)
    if (!g.members.includes(instance_uuid))
      await insertReturningId(db, 'instance_group_member', {
        group_id: g.id,
        instance_uuid,
        created_at: toDbTime(now),
      });
}

/** Drops a deleted instance from every group it was a member of. */
export async function removeMember(db: Db, instanceUuid: string): Promise<void> {
  await db.kysely.deleteFrom('instance_group_member').where('instance_uuid', '=', instanceUuid).execute();
}
