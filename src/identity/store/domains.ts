// domains: the top of Keystone's ownership tree. `default` is made by bootstrap.
import type { Selectable } from 'kysely';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { DomainsTable } from '../../db/tables/identity-db.ts';
import { toDbTime } from '../../db/time.ts';
import { toBool } from '../../db/values.ts';
import { duplicate, notFound } from '../errors.ts';
import { type Db, type Extra, mergeExtra, newId, parseExtra } from './common.ts';

export interface Domain {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly description: string | null;
  readonly extra: Extra;
}

export interface NewDomain {
  readonly id?: string;
  readonly name: string;
  readonly enabled?: boolean;
  readonly description?: string | null;
  readonly extra?: Extra;
}

export type DomainUpdate = Partial<Pick<Domain, 'name' | 'enabled' | 'description' | 'extra'>>;

export interface DomainFilter {
  readonly name?: string;
  readonly enabled?: boolean;
}

const toDomain = (r: Selectable<DomainsTable>): Domain =>
  Object.freeze({
    id: r.id,
    name: r.name,
    enabled: toBool(r.enabled),
    description: r.description,
    extra: parseExtra(r.extra),
  });

export async function create(db: Db, d: NewDomain, now: Date): Promise<Domain> {
  const id = d.id ?? newId();
  try {
    await db.kysely
      .insertInto('domains')
      .values({
        id,
        name: d.name,
        enabled: d.enabled ?? true,
        description: d.description ?? null,
        extra: JSON.stringify(d.extra ?? {}),
        created_at: toDbTime(now),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw duplicate('domain', `name ${d.name}`);
    throw err;
  }
  return get(db, id);
}

export async function find(db: Db, id: string): Promise<Domain | undefined> {
  const r = await db.kysely.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toDomain(r) : undefined;
}

export async function get(db: Db, id: string): Promise<Domain> {
  const d = await find(db, id);
  if (!d) throw notFound('domain', id);
  return d;
}

export async function findByName(db: Db, name: string): Promise<Domain | undefined> {
  const r = await db.kysely.selectFrom('domains').selectAll().where('name', '=', name).executeTakeFirst();
  return r ? toDomain(r) : undefined;
}

export async function list(db: Db, f: DomainFilter = {}): Promise<readonly Domain[]> {
  let q = db.kysely.selectFrom('domains').selectAll();
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled);
  return Object.freeze((await q.orderBy('name').execute()).map(toDomain));
}

export async function update(db: Db, id: string, u: DomainUpdate): Promise<Domain> {
  const cur = await get(db, id);
  try {
    await db.kysely
      .updateTable('domains')
      .set({
        name: u.name ?? cur.name,
        enabled: u.enabled ?? cur.enabled,
        description: u.description === undefined ? cur.description : u.description,
        extra: mergeExtra(cur.extra, u.extra ?? {}),
      })
      .where('id', '=', id)
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw duplicate('domain', `name ${u.name}`);
    throw err;
  }
  return get(db, id);
}

export async function remove(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('domains').where('id', '=', id).execute();
}
