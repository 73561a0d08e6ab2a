// roles (global, or owned by a domain) and implied roles (prior ⇒ implied, expanded transitively).
import type { Selectable } from 'kysely';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { RolesTable } from '../../db/tables/identity-db.ts';
import { duplicate, notFound } from '../errors.ts';
import { type Db, type Extra, mergeExtra, NULL_DOMAIN_ID, newId, parseExtra } from './common.ts';

export interface Role {
  readonly id: string;
  readonly name: string;
  /** null for a global role. */
  readonly domain_id: string | null;
  readonly description: string | null;
  readonly extra: Extra;
}

export interface NewRole {
  readonly id?: string;
  readonly name: string;
  readonly domain_id?: string | null;
  readonly description?: string | null;
  readonly extra?: Extra;
}

export type RoleUpdate = Partial<Pick<Role, 'name' | 'description' | 'extra'>>;

export interface RoleFilter {
  readonly name?: string;
  /** undefined: global roles only (Keystone's default); a domain id: that domain's roles. */
  readonly domain_id?: string;
  readonly ids?: readonly string[];
}

export interface ImpliedRule {
  readonly prior_role_id: string;
  readonly implied_role_id: string;
}

const toRole = (r: Selectable<RolesTable>): Role =>
  Object.freeze({
    id: r.id,
    name: r.name,
    domain_id: r.domain_id === NULL_DOMAIN_ID ? null : r.domain_id,
    description: r.description,
    extra: parseExtra(r.extra),
  });

export async function create(db: Db, r: NewRole): Promise<Role> {
  const id = r.id ?? newId();
  try {
    await db.kysely
      .insertInto('roles')
      .values({
        id,
        name: r.name,
        domain_id: r.domain_id ?? NULL_DOMAIN_ID,
        description: r.description ?? null,
        extra: JSON.stringify(r.extra ?? {}),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw duplicate('role', `name ${r.name}`);
    throw err;
  }
  return get(db, id);
}

export async function find(db: Db, id: string): Promise<Role | undefined> {
  const r = await db.kysely.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRole(r) : undefined;
}

export async function get(db: Db, id: string): Promise<Role> {
  const r = await find(db, id);
  if (!r) throw notFound('role', id);
  return r;
}

export async function findByName(
  db: Db,
  name: string,
  domainId: string | null = null,
): Promise<Role | undefined> {
  const r = await db.kysely
    .selectFrom('roles')
    .selectAll()
    .where('name', '=', name)
    .where('domain_id', '=', domainId ?? NULL_DOMAIN_ID)
    .executeTakeFirst();
  return r ? toRole(r) : undefined;
}

export async function list(db: Db, f: RoleFilter = {}): Promise<readonly Role[]> {
  if (f.ids && f.ids.length === 0) return Object.freeze([]);
  let q = db.kysely.selectFrom('roles').selectAll();
  if (f.ids) q = q.where('id', 'in', [...f.ids]);
  else q = q.where('domain_id', '=', f.domain_id ?? NULL_DOMAIN_ID);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  return Object.freeze((await q.orderBy('name').execute()).map(toRole));
}

export async function update(db: Db, id: string, u: RoleUpdate): Promise<Role> {
  const cur = await get(db, id);
  try {
    await db.kysely
      .updateTable('roles')
      .set({
        name: u.name ?? cur.name,
        description: u.description === undefined ? cur.description : u.description,
        extra: mergeExtra(cur.extra, u.extra ?? {}),
      })
      .where('id', '=', id)
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw duplicate('role', `name ${u.name}`);
    throw err;
  }
  return get(db, id);
}

/** Deletes the role, its implication rules and every assignment of it. */
export async function remove(db: Db, id: string): Promise<void> {
  await db.kysely
    .deleteFrom('implied_roles')
    .where((eb) => eb.or([eb('prior_role_id', '=', id), eb('implied_role_id', '=', id)]))
    .execute();
  await db.kysely.deleteFrom('assignments').where('role_id', '=', id).execute();
  await db.kysely.deleteFrom('application_credential_roles').where('role_id', '=', id).execute();
  await db.kysely.deleteFrom('roles').where('id', '=', id).execute();
}

export async function addImplied(db: Db, priorId: string, impliedId: string): Promise<void> {
  try {
    await db.kysely
      .insertInto('implied_roles')
      .values({ prior_role_id: priorId, implied_role_id: impliedId })
      .execute();
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
  }
}

export async function removeImplied(db: Db, priorId: string, impliedId: string): Promise<boolean> {
  const r = await db.kysely
    .deleteFrom('implied_roles')
    .where('prior_role_id', '=', priorId)
    .where('implied_role_id', '=', impliedId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function impliedRules(db: Db, priorId?: string): Promise<readonly ImpliedRule[]> {
  let q = db.kysely.selectFrom('implied_roles').selectAll();
  if (priorId !== undefined) q = q.where('prior_role_id', '=', priorId);
  return Object.freeze(await q.orderBy('prior_role_id').orderBy('implied_role_id').execute());
}

/** roleIds plus every role they imply, transitively (cycles are harmless). */
export function expandImplied(roleIds: Iterable<string>, rules: readonly ImpliedRule[]): readonly string[] {
  const out = new Set(roleIds);
  const queue = [...out];
  while (queue.length > 0) {
    const prior = queue.pop()!;
    for (const r of rules) {
      if (r.prior_role_id === prior && !out.has(r.implied_role_id)) {
        out.add(r.implied_role_id);
        queue.push(r.implied_role_id);
      }
    }
  }
  return Object.freeze([...out]);
}
