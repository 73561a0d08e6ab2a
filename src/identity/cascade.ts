// Deleting or disabling an owner takes what hangs off it along (Keystone does this through its
// notification callbacks): assignments, memberships, application credentials, and revocation events
// so tokens issued before the change stop validating.
import type { IdentityCore } from './core.ts';
import * as appCreds from './store/app-creds.ts';
import * as assignments from './store/assignments.ts';
import * as groups from './store/groups.ts';
import * as projects from './store/projects.ts';
import * as revocations from './store/revocations.ts';
import * as users from './store/users.ts';

/** Records a revocation event and drops the ones no live token can match any more. */
export async function recordRevocation(
  core: IdentityCore,
  e: Omit<revocations.NewRevocation, 'issued_before'>,
): Promise<void> {
  const now = core.now();
  await revocations.add(core.db, { ...e, issued_before: now }, now);
  await revocations.prune(core.db, new Date(now.getTime() - core.tokenExpiration * 1000 * 2));
}

/** Tokens of this user issued up to now stop validating (password change, disable, delete). */
export async function revokeUserTokens(core: IdentityCore, userId: string): Promise<void> {
  await recordRevocation(core, { user_id: userId });
}

export async function deleteUser(core: IdentityCore, userId: string): Promise<void> {
  await assignments.removeForActor(core.db, userId);
  await appCreds.removeForUser(core.db, userId);
  await users.remove(core.db, userId);
  await revokeUserTokens(core, userId);
}

export async function deleteGroup(core: IdentityCore, groupId: string): Promise<void> {
  await assignments.removeForActor(core.db, groupId);
  await groups.remove(core.db, groupId);
}

export async function deleteProject(core: IdentityCore, projectId: string): Promise<void> {
  await assignments.removeForTarget(core.db, projectId);
  const creds = await core.db.kysely
    .selectFrom('application_credentials')
    .select('id')
    .where('project_id', '=', projectId)
    .execute();
  for (const c of creds) await appCreds.remove(core.db, c.id);
  await projects.remove(core.db, projectId);
  await recordRevocation(core, { project_id: projectId });
}

/** A domain's projects (leaves first), users and groups, then the domain's own grants. */
export async function deleteDomainContents(core: IdentityCore, domainId: string): Promise<void> {
  const owned = await projects.list(core.db, { domain_id: domainId });
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen = 0): number => {
    const p = owned.find((x) => x.id === id);
    if (!p?.parent_id || p.parent_id === domainId || seen > owned.length) return 0;
    return 1 + depthOf(p.parent_id, seen + 1);
  };
  for (const p of owned) depth.set(p.id, depthOf(p.id));
  for (const p of [...owned].sort((a, b) => (depth.get(b.id) ?? 0) - (depth.get(a.id) ?? 0)))
    await deleteProject(core, p.id);
  for (const u of await users.list(core.db, { domain_id: domainId })) await deleteUser(core, u.id);
  for (const g of await groups.list(core.db, { domain_id: domainId })) await deleteGroup(core, g.id);
  await assignments.removeForTarget(core.db, domainId);
}
