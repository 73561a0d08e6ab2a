// A validated token as the AuthContext every nova-ts API (and the identity API's own policy) reads.
import type { AuthContext } from '../auth/types.ts';
import type { CatalogEntry } from './catalog.ts';
import { isoTime } from './http/views/links.ts';
import type { ValidatedToken } from './tokens/validate.ts';

export function toAuthContext(t: ValidatedToken, catalog?: readonly CatalogEntry[]): AuthContext {
  const p = t.payload;
  return Object.freeze({
    token: t.id,
    user_id: t.user.id,
    user_name: t.user.name,
    user_domain_id: t.userDomain.id,
    user_domain_name: t.userDomain.name,
    ...(t.project && t.projectDomain
      ? {
          project_id: t.project.id,
          project_name: t.project.name,
          project_domain_id: t.projectDomain.id,
          project_domain_name: t.projectDomain.name,
        }
      : {}),
    ...(t.domain ? { domain_id: t.domain.id, domain_name: t.domain.name } : {}),
    ...(p.scope.kind === 'system' ? { system_scope: 'all' } : {}),
    roles: Object.freeze(t.roles.map((r) => r.name)),
    // Keystone marks every token is_admin_project when [resource] admin_project_* is unset.
    is_admin_project: true,
    expires_at: isoTime(p.expires_at),
    audit_ids: p.audit_ids,
    ...(t.appCred ? { application_credential_id: t.appCred.id } : {}),
    ...(catalog ? { catalog } : {}),
  });
}
