// Application credentials: a user's delegated secret for one project and a subset of their roles.
// Only the scrypt hash of the secret is stored; the secret is shown once, at creation.
import { isDuplicateEntry } from '../../db/errors.ts';
import { fromDbTime, toDbTime, toDbTimeOrNull } from '../../db/time.ts';
import { toBool } from '../../db/values.ts';
import { duplicate, notFound } from '../errors.ts';
import type { Db } from './common.ts';

export interface AppCred {
  readonly id: string;
  readonly name: string;
  readonly secret_hash: string;
  readonly description: string | null;
  readonly user_id: string;
  readonly project_id: string | null;
  readonly system: string | null;
  readonly expires_at: Date | null;
  readonly unrestricted: boolean;
  readonly role_ids: readonly string[];
}

export type NewAppCred = Omit<AppCred, 'expires_at'> & { readonly expires_at: Date | null };

async function roleIdsOf(db: Db, id: string): Promise<readonly string[]> {
  const rows = await db.kysely
    .selectFrom('application_credential_roles')
    .select('role_id')
    .where('application_credential_id', '=', id)
    .orderBy('role_id')
    .execute();
  return Object.freeze(rows.map((r) => r.role_id));
}

type Row = {
  id: string;
  name: string;
  secret_hash: string;
  description: string | null;
  user_id: string;
  project_id: string | null;
  system: string | null;
  expires_at: unknown;
  unrestricted: unknown;
};

async function toAppCred(db: Db, r: Row): Promise<AppCred> {
  return Object.freeze({
    id: r.id,
    name: r.name,
    secret_hash: r.secret_hash,
    description: r.description,
    user_id: r.user_id,
    project_id: r.project_id,
    system: r.system,
    expires_at: fromDbTime(r.expires_at),
    unrestricted: toBool(r.unrestricted),
    role_ids: await roleIdsOf(db, r.id),
  });
}

export async function create(db: Db, a: NewAppCred, now: Date): Promise<AppCred> {
  try {
    await db.kysely
      .insertInto('application_credentials')
      .values({
        id: a.id,
        name: a.name,
        secret_hash: a.secret_hash,
        description: a.description,
        user_id: a.user_id,
        project_id: a.project_id,
        system: a.system,
        expires_at: toDbTimeOrNull(a.expires_at),
        unrestricted: a.unrestricted,
        created_at: toDbTime(now),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw duplicate('application_credential', `name ${a.name}`);
    throw err;
  }
  if (a.role_ids.length > 0) {
    await db.kysely
      .insertInto('application_credential_roles')
      .values(a.role_ids.map((role_id) => ({ application_credential_id: a.id, role_id })))
      .execute();
  }
  return get(db, a.id);
}

export async function find(db: Db, id: string): Promise<AppCred | undefined> {
  const r = await db.kysely
    .selectFrom('application_credentials')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toAppCred(db, r) : undefined;
}

export async function get(db: Db, id: string): Promise<AppCred> {
  const a = await find(db, id);
  if (!a) throw notFound('application credential', id);
  return a;
}

export async function findByName(db: Db, userId: string, name: string): Promise<AppCred | undefined> {
  const r = await db.kysely
    .selectFrom('application_credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .where('name', '=', name)
    .executeTakeFirst();
  return r ? toAppCred(db, r) : undefined;
}

export async function listForUser(db: Db, userId: string, name?: string): Promise<readonly AppCred[]> {
  let q = db.kysely.selectFrom('application_credentials').selectAll().where('user_id', '=', userId);
  if (name !== undefined) q = q.where('name', '=', name);
  const rows = await q.orderBy('name').execute();
  return Object.freeze(await Promise.all(rows.map((r) => toAppCred(db, r))));
}

export async function remove(db: Db, id: string): Promise<void> {
  await db.kysely
    .deleteFrom('application_credential_roles')
    .where('application_credential_id', '=', id)
    .execute();
  await db.kysely.deleteFrom('application_credentials').where('id', '=', id).execute();
}

/** Deletes every credential of the user (user deletion), or only those for one project. */
export async function removeForUser(db: Db, userId: string, projectId?: string): Promise<void> {
  let q = db.kysely.selectFrom('application_credentials').select('id').where('user_id', '=', userId);
  if (projectId !== undefined) q = q.where('project_id', '=', projectId);
  for (const { id } of await q.execute()) await remove(db, id);
}
