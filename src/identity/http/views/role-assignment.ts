// One role assignment as Keystone lists it, with names when include_names is set.
import type { Assignment } from '../../store/assignments.ts';
import type { Db } from '../../store/common.ts';
import * as domains from '../../store/domains.ts';
import * as groups from '../../store/groups.ts';
import * as projects from '../../store/projects.ts';
import * as roles from '../../store/roles.ts';
import * as users from '../../store/users.ts';

export interface Row extends Assignment {
  /** The group whose grant this effective row comes from. */
  readonly via_group?: string;
  /** The granted role this (implied) role comes from. */
  readonly prior_role_id?: string;
}

type Json = Record<string, unknown>;

async function domainRef(db: Db, id: string): Promise<Json> {
  const d = await domains.find(db, id);
  return { id, ...(d ? { name: d.name } : {}) };
}

async function named(
  db: Db,
  kind: 'user' | 'group' | 'project' | 'domain' | 'role',
  id: string,
): Promise<Json> {
  if (kind === 'domain') return domainRef(db, id);
  if (kind === 'role') {
    const r = await roles.find(db, id);
    return {
      id,
      ...(r ? { name: r.name, ...(r.domain_id ? { domain: await domainRef(db, r.domain_id) } : {}) } : {}),
    };
  }
  const rec =
    kind === 'user'
      ? await users.find(db, id)
      : kind === 'group'
        ? await groups.find(db, id)
        : await projects.find(db, id);
  return rec ? { id, name: rec.name, domain: await domainRef(db, rec.domain_id) } : { id };
}

function assignmentLink(base: string, r: Row): string {
  const actor = `${r.via_group ? 'groups' : `${r.actor}s`}/${r.via_group ?? r.actor_id}`;
  const role = r.prior_role_id ?? r.role_id;
  if (r.target === 'system') return `${base}/v3/system/${actor}/roles/${role}`;
  return `${base}/v3/${r.target}s/${r.target_id}/${actor}/roles/${role}`;
}

export async function rowView(db: Db, base: string, r: Row, names: boolean): Promise<Json> {
  const ref = (kind: 'user' | 'group' | 'project' | 'domain' | 'role', id: string) =>
    names ? named(db, kind, id) : Promise.resolve({ id });
  const scope =
    r.target === 'system' ? { system: { all: true } } : { [r.target]: await ref(r.target, r.target_id) };
  const links: Json = { assignment: assignmentLink(base, r) };
  if (r.via_group) links.membership = `${base}/v3/groups/${r.via_group}/users/${r.actor_id}`;
  if (r.prior_role_id) links.prior_role = `${base}/v3/roles/${r.prior_role_id}`;
  return { role: await ref('role', r.role_id), scope, [r.actor]: await ref(r.actor, r.actor_id), links };
}
