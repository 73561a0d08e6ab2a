// Resolving the references an auth request makes (`{"id"}` or `{"name", "domain": {…}}`) to
// records. A reference that does not resolve is an authentication failure (401), never a 404, so
// the response does not tell whether a user or project exists.
import { authFailed, invalid } from '../errors.ts';
import type { Db } from '../store/common.ts';
import * as domains from '../store/domains.ts';
import * as projects from '../store/projects.ts';
import * as users from '../store/users.ts';

export type Obj = Readonly<Record<string, unknown>>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function objAt(parent: Obj, key: string, where: string): Obj {
  const v = parent[key];
  if (!isObj(v)) throw invalid(`Invalid input for field '${where}': '${key}' is a required property`);
  return v;
}

export function strAt(parent: Obj, key: string, where: string): string {
  const v = parent[key];
  if (typeof v !== 'string')
    throw invalid(`Invalid input for field '${where}': '${key}' is a required property`);
  return v;
}

/** A domain named by `{"id"}` or `{"name"}` that exists and is enabled. */
export async function domainRef(db: Db, ref: Obj, where: string): Promise<domains.Domain> {
  const d =
    typeof ref.id === 'string'
      ? await domains.find(db, ref.id)
      : typeof ref.name === 'string'
        ? await domains.findByName(db, ref.name)
        : undefined;
  if (typeof ref.id !== 'string' && typeof ref.name !== 'string')
    throw invalid(`Invalid input for field '${where}': either 'id' or 'name' is required`);
  if (!d?.enabled) throw authFailed();
  return d;
}

/** The user of `{"id"}` or `{"name", "domain": {…}}`, enabled and in an enabled domain. */
export async function userRef(db: Db, ref: Obj): Promise<users.User> {
  let u: users.User | undefined;
  if (typeof ref.id === 'string') u = await users.find(db, ref.id);
  else if (typeof ref.name === 'string') {
    if (!isObj(ref.domain))
      throw invalid("Invalid input for field 'user': 'domain' is required when the user is named");
    const d = await domainRef(db, ref.domain, 'user.domain');
    u = await users.findByName(db, ref.name, d.id);
  } else throw invalid("Invalid input for field 'user': either 'id' or 'name' is required");
  if (!u?.enabled) throw authFailed();
  const d = await domains.find(db, u.domain_id);
  if (!d?.enabled) throw authFailed();
  return u;
}

/** The project of `{"id"}` or `{"name", "domain": {…}}`, enabled and in an enabled domain. */
export async function projectRef(db: Db, ref: Obj): Promise<projects.Project> {
  let p: projects.Project | undefined;
  if (typeof ref.id === 'string') p = await projects.find(db, ref.id);
  else if (typeof ref.name === 'string') {
    if (!isObj(ref.domain))
      throw invalid(
        "Invalid input for field 'scope.project': 'domain' is required when the project is named",
      );
    const d = await domainRef(db, ref.domain, 'scope.project.domain');
    p = await projects.findByName(db, ref.name, d.id);
  } else throw invalid("Invalid input for field 'scope.project': either 'id' or 'name' is required");
  if (!p?.enabled) throw authFailed();
  const d = await domains.find(db, p.domain_id);
  if (!d?.enabled) throw authFailed();
  return p;
}
