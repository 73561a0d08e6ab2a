// users: local (SQL) identities with scrypt passwords. The hash never leaves this module's callers.
import type { Selectable } from 'kysely';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { UsersTable } from '../../db/tables/identity-db.ts';
import { fromDbTime, toDbTime, toDbTimeOrNull } from '../../db/time.ts';
import { toBool } from '../../db/values.ts';
import { duplicate, notFound } from '../errors.ts';
import { type Db, type Extra, mergeExtra, newId, parseExtra } from './common.ts';

export interface User {
  readonly id: string;
  readonly name: string;
  readonly domain_id: string;
  readonly enabled: boolean;
  readonly default_project_id: string | null;
  readonly password_hash: string | null;
  readonly password_expires_at: Date | null;
  readonly extra: Extra;
}

export interface NewUser {
  readonly id?: string;
  readonly name: string;
  readonly domain_id: string;
  readonly enabled?: boolean;
  readonly default_project_id?: string | null;
  /** Already hashed (passwords.ts). */
  readonly password_hash?: string | null;
  readonly extra?: Extra;
}

export type UserUpdate = Partial<
  Pick<User, 'name' | 'enabled' | 'default_project_id' | 'password_hash' | 'extra'>
>;

export interface UserFilter {
  readonly name?: string;
  readonly domain_id?: string;
  readonly enabled?: boolean;
  readonly ids?: readonly string[];
}

const toUser = (r: Selectable<UsersTable>): User =>
  Object.freeze({
    id: r.id,
    name: r.name,
    domain_id: r.domain_id,
    enabled: toBool(r.enabled),
    default_project_id: r.default_project_id,
    password_hash: r.password_hash,
    password_expires_at: fromDbTime(r.password_expires_at),
    extra: parseExtra(r.extra),
  });

const dup = (name: string, domainId: string) => duplicate('user', `name ${name} at domain ID ${domainId}`);

export async function create(db: Db, u: NewUser, now: Date): Promise<User> {
  const id = u.id ?? newId();
  try {
    await db.kysely
      .insertInto('users')
      .values({
        id,
        name: u.name,
        domain_id: u.domain_id,
        enabled: u.enabled ?? true,
        default_project_id: u.default_project_id ?? null,
        password_hash: u.password_hash ?? null,
        password_created_at: u.password_hash ? toDbTime(now) : null,
        password_expires_at: null,
        extra: JSON.stringify(u.extra ?? {}),
        created_at: toDbTime(now),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw dup(u.name, u.domain_id);
    throw err;
  }
  return get(db, id);
}

export async function find(db: Db, id: string): Promise<User | undefined> {
  const r = await db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function get(db: Db, id: string): Promise<User> {
  const u = await find(db, id);
  if (!u) throw notFound('user', id);
  return u;
}

export async function findByName(db: Db, name: string, domainId: string): Promise<User | undefined> {
  const r = await db.kysely
    .selectFrom('users')
    .selectAll()
    .where('name', '=', name)
    .where('domain_id', '=', domainId)
    .executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function list(db: Db, f: UserFilter = {}): Promise<readonly User[]> {
  if (f.ids && f.ids.length === 0) return Object.freeze([]);
  let q = db.kysely.selectFrom('users').selectAll();
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.domain_id !== undefined) q = q.where('domain_id', '=', f.domain_id);
  if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled);
  if (f.ids) q = q.where('id', 'in', [...f.ids]);
  return Object.freeze((await q.orderBy('name').orderBy('id').execute()).map(toUser));
}

export async function update(db: Db, id: string, u: UserUpdate, now: Date): Promise<User> {
  const cur = await get(db, id);
  const newPassword = u.password_hash !== undefined;
  try {
    await db.kysely
      .updateTable('users')
      .set({
        name: u.name ?? cur.name,
        enabled: u.enabled ?? cur.enabled,
        default_project_id:
          u.default_project_id === undefined ? cur.default_project_id : u.default_project_id,
        password_hash: newPassword ? u.password_hash : cur.password_hash,
        ...(newPassword ? { password_created_at: toDbTimeOrNull(now) } : {}),
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
  await db.kysely.deleteFrom('user_group_memberships').where('user_id', '=', id).execute();
  await db.kysely.deleteFrom('users').where('id', '=', id).execute();
}
