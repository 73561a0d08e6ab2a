// identity:* rules for grants, role assignments, application credentials, tokens and the auth
// scope listings. Simplified from Keystone: a domain manager may grant/revoke the manager, member
// and reader roles within their domain (Keystone's rule), but Keystone's domain *admin* clause and
// the role's own domain match are left out.
import type { RuleDefault } from '../../policy/types.ts';
import {
  ADMIN_OR_SYSTEM_OR_DOMAIN_READER,
  ADMIN_OR_SYSTEM_READER,
  ADMIN_REQUIRED,
  rule,
  SYSTEM_READER,
} from './base.ts';

const R = ADMIN_REQUIRED;
const GRANT_READER =
  '(role:reader and domain_id:%(target.user.domain_id)s and domain_id:%(target.project.domain_id)s) or ' +
  '(role:reader and domain_id:%(target.user.domain_id)s and domain_id:%(target.domain.id)s) or ' +
  '(role:reader and domain_id:%(target.group.domain_id)s and domain_id:%(target.project.domain_id)s) or ' +
  '(role:reader and domain_id:%(target.group.domain_id)s and domain_id:%(target.domain.id)s)';
const GRANT_MANAGER = GRANT_READER.replace(/role:reader/g, 'role:manager');
const GRANT_READ = `(${R}) or (${SYSTEM_READER}) or ${GRANT_READER}`;
const GRANT_WRITE = `(${R}) or ((${GRANT_MANAGER}) and rule:domain_managed_target_role)`;
const GRANT_PATHS = ['/v3/projects/{project_id}', '/v3/domains/{domain_id}'].flatMap((t) =>
  ['users/{user_id}', 'groups/{group_id}'].map((a) => `${t}/${a}/roles`),
);

const on = (method: string, suffix = '/{role_id}') =>
  GRANT_PATHS.map((p) => [method, `${p}${suffix}`] as const);

const system = (actor: 'user' | 'group'): RuleDefault[] => [
  rule(`check_system_grant_for_${actor}`, ADMIN_OR_SYSTEM_READER, `Check a ${actor}'s system role.`, [
    ['HEAD', `/v3/system/${actor}s/{${actor}_id}/roles/{role_id}`],
  ]),
  rule(`list_system_grants_for_${actor}`, ADMIN_OR_SYSTEM_READER, `List a ${actor}'s system roles.`, [
    ['GET', `/v3/system/${actor}s/{${actor}_id}/roles`],
  ]),
  rule(`create_system_grant_for_${actor}`, R, `Grant a ${actor} a system role.`, [
    ['PUT', `/v3/system/${actor}s/{${actor}_id}/roles/{role_id}`],
  ]),
  rule(`revoke_system_grant_for_${actor}`, R, `Revoke a ${actor}'s system role.`, [
    ['DELETE', `/v3/system/${actor}s/{${actor}_id}/roles/{role_id}`],
  ]),
];

const APP_CRED_PATH = '/v3/users/{user_id}/application_credentials';
const TOKEN_CHECK = `(${SYSTEM_READER}) or rule:service_or_admin or rule:token_subject`;

export const ASSIGNMENT_RULES: readonly RuleDefault[] = [
  rule('check_grant', GRANT_READ, 'Check a role grant.', [...on('HEAD'), ...on('GET')]),
  rule('list_grants', GRANT_READ, 'List role grants.', on('GET', '')),
  rule('create_grant', GRANT_WRITE, 'Grant a role.', on('PUT')),
  rule('revoke_grant', GRANT_WRITE, 'Revoke a role.', on('DELETE')),
  ...system('user'),
  ...system('group'),
  rule('list_role_assignments', ADMIN_OR_SYSTEM_OR_DOMAIN_READER, 'List role assignments.', [
    ['GET', '/v3/role_assignments'],
  ]),
  rule(
    'list_role_assignments_for_tree',
    `(${ADMIN_OR_SYSTEM_OR_DOMAIN_READER}) or (role:admin and project_id:%(target.project.id)s)`,
    'List role assignments of a project tree.',
    [['GET', '/v3/role_assignments?include_subtree']],
  ),
  rule(
    'get_application_credential',
    `(${ADMIN_OR_SYSTEM_READER}) or rule:owner`,
    'Show an application credential.',
    [['GET', `${APP_CRED_PATH}/{application_credential_id}`]],
  ),
  rule(
    'list_application_credentials',
    `(${ADMIN_OR_SYSTEM_READER}) or rule:owner`,
    'List application credentials.',
    [['GET', APP_CRED_PATH]],
  ),
  rule('create_application_credential', 'user_id:%(user_id)s', 'Create an application credential.', [
    ['POST', APP_CRED_PATH],
  ]),
  rule('delete_application_credential', `(${R}) or rule:owner`, 'Delete an application credential.', [
    ['DELETE', `${APP_CRED_PATH}/{application_credential_id}`],
  ]),
  rule('check_token', TOKEN_CHECK, 'Check a token.', [['HEAD', '/v3/auth/tokens']]),
  rule('validate_token', TOKEN_CHECK, 'Validate a token.', [['GET', '/v3/auth/tokens']]),
  rule('revoke_token', 'rule:service_admin_or_token_subject', 'Revoke a token.', [
    ['DELETE', '/v3/auth/tokens'],
  ]),
  // Any token, unscoped too, may list what it can scope to.
  ...[
    rule('get_auth_catalog', '', "The caller's catalog.", [['GET', '/v3/auth/catalog']]),
    rule('get_auth_projects', '', "The caller's projects.", [['GET', '/v3/auth/projects']]),
    rule('get_auth_domains', '', "The caller's domains.", [['GET', '/v3/auth/domains']]),
    rule('get_auth_system', '', "The caller's system access.", [['GET', '/v3/auth/system']]),
  ].map((r) => ({ ...r, scopeTypes: undefined })),
];
