// Role assignments (Keystone's assignment table): an actor (user or group) holds a role on a target
// (project, domain, or the system).
import { isDuplicateEntry } from '../../db/errors.ts';
import { toBool } from '../../db/values.ts';
import type { Db } from './common.ts';

export type ActorKind = 'user' | 'group';
export type TargetKind = 'project' | 'domain' | 'system';

/** target_id of system grants (Keystone's `system` scope has one member: all). */
export const SYSTEM_TARGET = 'system';

export interface Assignment {
  readonly actor: ActorKind;
  readonly actor_id: string;
  readonly target: TargetKind;
  readonly target_id: string;
  readonly role_id: string;
  readonly inherited: boolean;
}

export interface AssignmentFilter {
  readonly actor?: ActorKind;
  readonly actor_ids?: readonly string[];
  readonly target?: TargetKind;
  readonly target_ids?: readonly string[];
  readonly role_ids?: readonly string[];
  readonly inherited?: boolean;
}

const TYPES: Readonly<Record<`${ActorKind}:${TargetKind}`, string>> = {
  'user:project': 'UserProject',
  'group:project': 'GroupProject',
  'user:domain': 'UserDomain',
  'group:domain': 'GroupDomain',
  'user:system': 'UserSystem',
  'group:system': 'GroupSystem',
};

const typeOf = (actor: ActorKind, target: TargetKind): string => TYPES[`${actor}:${target}`];

function parseType(t: string): { actor: ActorKind; target: TargetKind } {
  const actor: ActorKind = t.startsWith('Group') ? 'group' : 'user';
  const target = t.slice(actor === 'group' ? 5 : 4).toLowerCase() as TargetKind;
  return { actor, target };
}

export async function grant(
  db: Db,
  a: Omit<Assignment, 'inherited'> & { inherited?: boolean },
): Promise<void> {
  try {
    await db.kysely
      .insertInto('assignments')
      .values({
        type: typeOf(a.actor, a.target),
        actor_id: a.actor_id,
        target_id: a.target_id,
        role_id: a.role_id,
        inherited: a.inherited ?? false,
      })
      .execute();
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
  }
}

/** False when there was no such assignment. */
export async function revoke(
  db: Db,
  a: Omit<Assignment, 'inherited'> & { inherited?: boolean },
): Promise<boolean> {
  const r = await db.kysely
    .deleteFrom('assignments')
    .where('type', '=', typeOf(a.actor, a.target))
    .where('actor_id', '=', a.actor_id)
    .where('target_id', '=', a.target_id)
    .where('role_id', '=', a.role_id)
    .where('inherited', '=', a.inherited ?? false)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function list(db: Db, f: AssignmentFilter = {}): Promise<readonly Assignment[]> {
  for (const ids of [f.actor_ids, f.target_ids, f.role_ids]) if (ids && ids.length === 0) return [];
  let q = db.kysely.selectFrom('assignments').selectAll();
  const types = Object.entries(TYPES)
    .filter(([k]) => {
      const [actor, target] = k.split(':');
      return (!f.actor || f.actor === actor) && (!f.target || f.target === target);
    })
    .map(([, v]) => v);
  if (types.length < 6) q = q.where('type', 'in', types);
  if (f.actor_ids) q = q.where('actor_id', 'in', [...f.actor_ids]);
  if (f.target_ids) q = q.where('target_id', 'in', [...f.target_ids]);
  if (f.role_ids) q = q.where('role_id', 'in', [...f.role_ids]);
  if (f.inherited !== undefined) q = q.where('inherited', '=', f.inherited);
  const rows = await q.orderBy('type').orderBy('actor_id').orderBy('target_id').orderBy('role_id').execute();
  return Object.freeze(
    rows.map((r) =>
      Object.freeze({
        ...parseType(r.type),
        actor_id: r.actor_id,
        target_id: r.target_id,
        role_id: r.role_id,
        inherited: toBool(r.inherited),
      }),
    ),
  );
}

export async function check(db: Db, a: Omit<Assignment, 'inherited'>): Promise<boolean> {
  const found = await list(db, {
    actor: a.actor,
    actor_ids: [a.actor_id],
    target: a.target,
    target_ids: [a.target_id],
    role_ids: [a.role_id],
    inherited: false,
  });
  return found.length > 0;
}

/** Deletes every assignment held by the actor (user or group deletion). */
export async function removeForActor(db: Db, actorId: string): Promise<void> {
  await db.kysely.deleteFrom('assignments').where('actor_id', '=', actorId).execute();
}

/** Deletes every assignment on the target (project or domain deletion). */
export async function removeForTarget(db: Db, targetId: string): Promise<void> {
  await db.kysely.deleteFrom('assignments').where('target_id', '=', targetId).execute();
}
