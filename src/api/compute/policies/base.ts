// The personas every Compute API rule is written with (upstream nova/policies/base.py).
import type { RuleDefault } from '../../../policy/types.ts';

export const ADMIN = 'rule:context_is_admin';
export const PROJECT_MANAGER_OR_ADMIN = 'rule:project_manager_or_admin';
export const PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin';
export const PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin';
export const RULE_ANY = '@';
export const RULE_NOBODY = '!';
export const SERVICE_ROLE = 'rule:service_or_admin';

export const DEPRECATED_ADMIN = Object.freeze({ name: 'rule:admin_api', checkStr: 'is_admin:True' });
export const DEPRECATED_ADMIN_OR_OWNER = Object.freeze({
  name: 'rule:admin_or_owner',
  checkStr: 'is_admin:True or project_id:%(project_id)s',
});

export const BASE_RULES: readonly RuleDefault[] = Object.freeze([
  {
    name: 'context_is_admin',
    checkStr: 'role:admin',
    description: "Decides what is required for the 'is_admin:True' check to succeed.",
    deprecatedRule: DEPRECATED_ADMIN,
  },
  {
    name: 'admin_or_owner',
    checkStr: 'is_admin:True or project_id:%(project_id)s',
    description: 'Default rule for most non-Admin APIs.',
  },
  { name: 'admin_api', checkStr: 'is_admin:True', description: 'Default rule for most Admin APIs.' },
  {
    name: 'project_manager_api',
    checkStr: 'role:manager and project_id:%(project_id)s',
    description: 'Default rule for Project level management APIs.',
    deprecatedRule: DEPRECATED_ADMIN,
  },
  {
    name: 'project_member_api',
    checkStr: 'role:member and project_id:%(project_id)s',
    description: 'Default rule for Project level non admin APIs.',
    deprecatedRule: DEPRECATED_ADMIN_OR_OWNER,
  },
  {
    name: 'project_reader_api',
    checkStr: 'role:reader and project_id:%(project_id)s',
    description: 'Default rule for Project level read only APIs.',
    deprecatedRule: DEPRECATED_ADMIN_OR_OWNER,
  },
  {
    name: 'service_api',
    checkStr: 'role:service',
    description: 'Default rule for service-to-service APIs.',
    deprecatedRule: DEPRECATED_ADMIN,
  },
  {
    name: 'project_manager_or_admin',
    checkStr: 'rule:project_manager_api or rule:context_is_admin',
    description: 'Default rule for Project Manager or admin APIs.',
    deprecatedRule: DEPRECATED_ADMIN,
  },
  {
    name: 'project_member_or_admin',
    checkStr: 'rule:project_member_api or rule:context_is_admin',
    description: 'Default rule for Project Member or admin APIs.',
    deprecatedRule: DEPRECATED_ADMIN_OR_OWNER,
  },
  {
    name: 'project_reader_or_admin',
    checkStr: 'rule:project_reader_api or rule:context_is_admin',
    description: 'Default rule for Project reader or admin APIs.',
    deprecatedRule: DEPRECATED_ADMIN_OR_OWNER,
  },
  {
    name: 'service_or_admin',
    checkStr: 'rule:service_api or rule:context_is_admin',
    description: 'Default rule for service or admin APIs.',
    deprecatedRule: DEPRECATED_ADMIN,
  },
]);

type Op = readonly [method: string, path: string];

/** A project-scoped rule default, as every Compute API rule is. */
export function rule(
  name: string,
  checkStr: string,
  description: string,
  ops: readonly Op[],
  deprecatedRule?: { readonly name: string; readonly checkStr: string },
): RuleDefault {
  return Object.freeze({
    name,
    checkStr,
    description,
    operations: ops.map(([method, path]) => ({ method, path })),
    scopeTypes: ['project'] as const,
    ...(deprecatedRule && { deprecatedRule }),
  });
}
