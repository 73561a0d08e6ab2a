// projects: owned by a domain; a top-level project's parent_id is its domain id (as Keystone reports).
import type { Selectable } from 'kysely';
import { isDuplicateEntry } from '../../db/errors.ts';
import type { ProjectsTable } from '../../db/tables/identity-db.ts';
import { toDbTime } from '../../db/time.ts';
import { toBool } from '../../db/values.ts';
import { duplicate, notFound } from '../errors.ts';
import { type Db, type Extra, mergeExtra, newId, parseExtra } from './common.ts';

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly domain_id: string;
  readonly parent_id: string | null;
  readonly enabled: boolean;
  readonly description: string | null;
  readonly extra: Extra;
}

export interface NewProject {
  readonly id?: string;
  readonly name: string;
  readonly domain_id: string;
  readonly parent_id?: string | null;
  readonly enabled?: boolean;
  readonly description?: string | null;
  readonly extra?: Extra;
}

export type ProjectUpdate = Partial<Pick<Project, 'name' | 'enabled' | 'description' | 'extra'>>;

export interface ProjectFilter {
  readonly name?: string;
  readonly domain_id?: string;
  readonly parent_id?: string;
  readonly enabled?: boolean;
  readonly ids?: readonly string[];
}

const toProject = (r: Selectable<ProjectsTable>): Project =>
  Object.freeze({
    id: r.id,
    name: r.name,
    domain_id: r.domain_id,
    parent_id: r.parent_id,
    enabled: toBool(r.enabled),
    description: r.description,
    extra: parseExtra(r.extra),
  });

const dup = (name: string, domainId: string) => duplicate('project', `name ${name} at domain ID ${domainId}`);

export async function create(db: Db, p: NewProject, now: Date): Promise<Project> {
  const id = p.id ?? newId();
  try {
    await db.kysely
      .insertInto('projects')
      .values({
        id,
        name: p.name,
        domain_id: p.domain_id,
        parent_id: p.parent_id ?? p.domain_id,
        enabled: p.enabled ?? true,
        description: p.description ?? null,
        extra: JSON.stringify(p.extra ?? {}),
        created_at: toDbTime(now),
      })
      .execute();
  } catch (err) {
    if (isDuplicateEntry(err)) throw dup(p.name, p.domain_id);
    throw err;
  }
  return get(db, id);
}

export async function find(db: Db, id: string): Promise<Project | undefined> {
  const r = await db.kysely.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toProject(r) : undefined;
}

export async function get(db: Db, id: string): Promise<Project> {
  const p = await find(db, id);
  if (!p) throw notFound('project', id);
  return p;
}

export async function findByName(db: Db, name: string, domainId: string): Promise<Project | undefined> {
  const r = await db.kysely
    .selectFrom('projects')
    .selectAll()
    .where('name', '=', name)
    .where('domain_id', '=', domainId)
    .executeTakeFirst();
  return r ? toProject(r) : undefined;
}

export async function list(db: Db, f: ProjectFilter = {}): Promise<readonly Project[]> {
  if (f.ids && f.ids.length === 0) return Object.freeze([]);
  let q = db.kysely.selectFrom('projects').selectAll();
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.domain_id !== undefined) q = q.where('domain_id', '=', f.domain_id);
  if (f.parent_id !== undefined) q = q.where('parent_id', '=', f.parent_id);
  if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled);
  if (f.ids) q = q.where('id', 'in', [...f.ids]);
  return Object.freeze((await q.orderBy('name').orderBy('id').execute()).map(toProject));
}

/** Every project below `id` (children, grandchildren, …). */
export async function subtree(db: Db, id: string): Promise<readonly Project[]> {
  const out: Project[] = [];
  let frontier = [id];
  while (frontier.length > 0) {
    const kids = await db.kysely
      .selectFrom('projects')
      .selectAll()
      .where('parent_id', 'in', frontier)
      .execute();
    const fresh = kids.map(toProject).filter((k) => k.id !== id && !out.some((o) => o.id === k.id));
    out.push(...fresh);
    frontier = fresh.map((k) => k.id);
  }
  return Object.freeze(out);
}

export async function update(db: Db, id: string, u: ProjectUpdate): Promise<Project> {
  const cur = await get(db, id);
  try {
    await db.kysely
      .updateTable('projects')
      .set({
        name: u.name ?? cur.name,
        enabled: u.enabled ?? cur.enabled,
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

export async function hasChildren(db: Db, id: string): Promise<boolean> {
  const r = await db.kysely
    .selectFrom('projects')
    .select('id')
    .where('parent_id', '=', id)
    .executeTakeFirst();
  return r !== undefined;
}

export async function remove(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('projects').where('id', '=', id).execute();
}
