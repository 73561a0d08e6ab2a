// Keystone's policy personas (keystone/common/policies/base.py), in the check language of
// src/policy. Simplification: Keystone's `token.domain.id` / `token.project.domain.id` credentials
// are written as the flat `domain_id` / `project_domain_id` our AuthContext has; targets are passed
// flattened (`target.user.domain_id`), as Keystone's enforcer flattens them.
import type { RuleDefault, ScopeType } from '../../policy/types.ts';

export const IDENTITY = (action: string): string => `identity:${action}`;

export const ADMIN_REQUIRED = 'rule:admin_required';
export const SYSTEM_READER = 'role:reader and system_scope:all';
export const ADMIN_OR_SYSTEM_READER = `${ADMIN_REQUIRED} or (${SYSTEM_READER})`;
export const DOMAIN_READER = 'role:reader and domain_id:%(target.domain_id)s';
export const ADMIN_OR_SYSTEM_OR_DOMAIN_READER = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (${DOMAIN_READER})`;

export const ALL_SCOPES: readonly ScopeType[] = ['system', 'domain', 'project'];

export function rule(
  action: string,
  checkStr: string,
  description: string,
  operations: readonly (readonly [string, string])[],
): RuleDefault {
  return Object.freeze({
    name: IDENTITY(action),
    checkStr,
    description,
    operations: operations.map(([method, path]) => ({ method, path })),
    scopeTypes: ALL_SCOPES,
  });
}

export const BASE_RULES: readonly RuleDefault[] = [
  { name: 'admin_required', checkStr: 'role:admin or is_admin:1', description: 'Admin role.' },
  { name: 'service_role', checkStr: 'role:service', description: 'Service role.' },
  {
    name: 'service_or_admin',
    checkStr: 'rule:admin_required or rule:service_role',
    description: 'Service or admin.',
  },
  { name: 'owner', checkStr: 'user_id:%(user_id)s', description: 'The user the request is about.' },
  { name: 'admin_or_owner', checkStr: 'rule:admin_required or rule:owner', description: 'Admin or owner.' },
  {
    name: 'token_subject',
    checkStr: 'user_id:%(target.token.user_id)s',
    description: 'The token belongs to the caller.',
  },
  {
    name: 'admin_or_token_subject',
    checkStr: 'rule:admin_required or rule:token_subject',
    description: 'Admin or the token subject.',
  },
  {
    name: 'service_admin_or_token_subject',
    checkStr: 'rule:service_or_admin or rule:token_subject',
    description: 'Service, admin or the token subject.',
  },
  {
    name: 'domain_managed_target_role',
    checkStr:
      "'manager':%(target.role.name)s or 'member':%(target.role.name)s or 'reader':%(target.role.name)s",
    description: 'Roles a domain manager may grant and revoke.',
  },
];
