// The roles a user holds on a scope: direct grants and grants to their groups (plus inherited
// grants from a project's domain and ancestors), then every implied role (admin ⇒ manager ⇒
// member ⇒ reader).
import * as assignments from './store/assignments.ts';
import type { Db } from './store/common.ts';
import * as groups from './store/groups.ts';
import * as projects from './store/projects.ts';
import * as roles from './store/roles.ts';
import type { Scope } from './tokens/payload.ts';

/** The ids of the project's ancestors (parents up to the top), nearest first; not the domain. */
export async function ancestorIds(db: Db, project: projects.Project): Promise<readonly string[]> {
  const out: string[] = [];
  let parent = project.parent_id;
  while (parent && parent !== project.domain_id && !out.includes(parent)) {
    const p = await projects.find(db, parent);
    if (!p) break;
    out.push(p.id);
    parent = p.parent_id;
  }
  return out;
}

/** Role ids granted directly (no implied roles) to the user or their groups on the scope. */
export async function grantedRoleIds(db: Db, userId: string, scope: Scope): Promise<readonly string[]> {
  if (scope.kind === 'unscoped') return [];
  const actorIds = [userId, ...(await groups.groupIdsOfUser(db, userId))];
  if (scope.kind === 'system') {
    const a = await assignments.list(db, { actor_ids: actorIds, target: 'system' });
    return [...new Set(a.map((x) => x.role_id))];
  }
  if (scope.kind === 'domain') {
    const a = await assignments.list(db, {
      actor_ids: actorIds,
      target: 'domain',
      target_ids: [scope.id],
      inherited: false,
    });
    return [...new Set(a.map((x) => x.role_id))];
  }
  const direct = await assignments.list(db, {
    actor_ids: actorIds,
    target: 'project',
    target_ids: [scope.id],
    inherited: false,
  });
  const ids = new Set(direct.map((x) => x.role_id));
  const project = await projects.find(db, scope.id);
  if (project) {
    const inheritedFrom = [project.domain_id, ...(await ancestorIds(db, project))];
    const inherited = await assignments.list(db, {
      actor_ids: actorIds,
      target_ids: inheritedFrom,
      inherited: true,
    });
    for (const x of inherited) ids.add(x.role_id);
  }
  return [...ids];
}

/** Effective roles (implied ones expanded), as role records sorted by name. */
export async function effectiveRoles(db: Db, userId: string, scope: Scope): Promise<readonly roles.Role[]> {
  const granted = await grantedRoleIds(db, userId, scope);
  if (granted.length === 0) return [];
  const ids = roles.expandImplied(granted, await roles.impliedRules(db));
  return roles.list(db, { ids });
}

/** Ids of the projects (or domains) on which the user, or a group of theirs, holds any role. */
export async function targetIdsOfUser(
  db: Db,
  userId: string,
  target: 'project' | 'domain',
): Promise<readonly string[]> {
  const actorIds = [userId, ...(await groups.groupIdsOfUser(db, userId))];
  const a = await assignments.list(db, { actor_ids: actorIds, target, inherited: false });
  const ids = new Set(a.map((x) => x.target_id));
  if (target === 'project') {
    // Roles inherited from a domain reach every project in it.
    const inherited = await assignments.list(db, { actor_ids: actorIds, target: 'domain', inherited: true });
    const domainIds = [...new Set(inherited.map((x) => x.target_id))];
    for (const d of domainIds) for (const p of await projects.list(db, { domain_id: d })) ids.add(p.id);
  }
  return [...ids];
}
