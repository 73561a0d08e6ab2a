// groups and their members. Role assignments to a group apply to every member.
import type { Selectable } from 'kysely';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { GroupsTable } from '../../db/tables/identity-db.ts';
import { toDbTime } from '../../db/time.ts';
import { duplicate, notFound } from '../errors.ts';
import { type Db, type Extra, mergeExtra, newId, parseExtra } from './common.ts';

export interface Group {
  readonly id: string;
  readonly name: string;
  readonly domain_id: string;
  readonly description: string | null;
  readonly extra: Extra;
}

export interface NewGroup {
  readonly id?: string;
  readonly name: string;
  readonly domain_id: string;
  readonly description?: string | null;
  readonly extra?: Extra;
}

export type GroupUpdate = Partial<Pick<Group, 'name' | 'description' | 'extra'>>;

export interface GroupFilter {
  readonly name?: string;
  readonly domain_id?: string;
  readonly ids?: readonly string[];
}

const toGroup = (r: Selectable<GroupsTable>): Group =>
  Object.freeze({
    id: r.id,
    name: r.name,
    domain_id: r.domain_id,
    description: r.description,
    extra: parseExtra(r.extra),
  });

const dup = (name: string, domainId: string) => duplicate('group', `name ${name} at domain ID ${domainId}`);

export async function create(db: Db, g: NewGroup, now: Date): Promise<Group> {
  const id = g.id ?? newId();
  try {
    await db.kysely
      .insertInto('groups')
      .values({
        id,
        name: g.name,
        domain_id: g.domain_id,
        description: g.description ?? null,
        extra: JSON.stringify(g.extra ?? {}),
        created_at: toDbTime(now),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw dup(g.name, g.domain_id);
    throw err;
  }
  return get(db, id);
}

export async function find(db: Db, id: string): Promise<Group | undefined> {
  const r = await db.kysely.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toGroup(r) : undefined;
}

export async function get(db: Db, id: string): Promise<Group> {
  const g = await find(db, id);
  if (!g) throw notFound('group', id);
  return g;
}

export async function list(db: Db, f: GroupFilter = {}): Promise<readonly Group[]> {
  if (f.ids && f.ids.length === 0) return Object.freeze([]);
  let q = db.kysely.selectFrom('groups').selectAll();
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.domain_id !== undefined) q = q.where('domain_id', '=', f.domain_id);
  if (f.ids) q = q.where('id', 'in', [...f.ids]);
  return Object.freeze((await q.orderBy('name').orderBy('id').execute()).map(toGroup));
}

export async function update(db: Db, id: string, u: GroupUpdate): Promise<Group> {
  const cur = await get(db, id);
  try {
    await db.kysely
      .updateTable('groups')
      .set({
        name: u.name ?? cur.name,
        description: u.description === undefined ? cur.description : u.description,
        extra: mergeExtra(cur.extra, u.extra ?? {}),
      })
      .where('id', '=', id)
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw dup(u.name ?? cur.name, cur.domain_id);
    throw err;
  }
  return get(db, id);
}

export async function remove(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('user_group_memberships').where('group_id', '=', id).execute();
  await db.kysely.deleteFrom('groups').where('id', '=', id).execute();
}

export async function addMember(db: Db, groupId: string, userId: string): Promise<void> {
  try {
    await db.kysely
      .insertInto('user_group_memberships')
      .values({ user_id: userId, group_id: groupId })
      .execute();
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
  }
}

/** False when the user was not a member. */
export async function removeMember(db: Db, groupId: string, userId: string): Promise<boolean> {
  const r = await db.kysely
    .deleteFrom('user_group_memberships')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function isMember(db: Db, groupId: string, userId: string): Promise<boolean> {
  const r = await db.kysely
    .selectFrom('user_group_memberships')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r !== undefined;
}

export async function groupIdsOfUser(db: Db, userId: string): Promise<readonly string[]> {
  const rows = await db.kysely
    .selectFrom('user_group_memberships')
    .select('group_id')
    .where('user_id', '=', userId)
    .execute();
  return Object.freeze(rows.map((r) => r.group_id));
}

export async function memberIds(db: Db, groupId: string): Promise<readonly string[]> {
  const rows = await db.kysely
    .selectFrom('user_group_memberships')
    .select('user_id')
    .where('group_id', '=', groupId)
    .execute();
  return Object.freeze(rows.map((r) => r.user_id));
}
