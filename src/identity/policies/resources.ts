// identity:* rules for domains, projects, users, groups, roles, implied roles and the catalog, with
// Keystone's current default check strings (keystone/common/policies/*.py). Simplified: project and
// user rules drop Keystone's `not None:%(…)s` guards (our targets always carry a domain id).
import type { RuleDefault } from '../../policy/types.ts';
import {
  ADMIN_OR_SYSTEM_OR_DOMAIN_READER,
  ADMIN_OR_SYSTEM_READER,
  ADMIN_REQUIRED,
  rule,
  SYSTEM_READER,
} from './base.ts';

const R = ADMIN_REQUIRED;
const crud = (noun: string, path: string, read: string, write: string, listCheck = read): RuleDefault[] => [
  rule(`get_${noun}`, read, `Show ${noun} details.`, [
    ['GET', `${path}/{${noun}_id}`],
    ['HEAD', `${path}/{${noun}_id}`],
  ]),
  rule(`list_${noun}s`, listCheck, `List ${noun}s.`, [
    ['GET', path],
    ['HEAD', path],
  ]),
  rule(`create_${noun}`, write, `Create ${noun}.`, [['POST', path]]),
  rule(`update_${noun}`, write, `Update ${noun}.`, [['PATCH', `${path}/{${noun}_id}`]]),
  rule(`delete_${noun}`, write, `Delete ${noun}.`, [['DELETE', `${path}/{${noun}_id}`]]),
];

const DOMAIN_GET = `${R} or (${SYSTEM_READER}) or domain_id:%(target.domain.id)s or project_domain_id:%(target.domain.id)s`;
const PROJECT_GET =
  `(${R}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.project.domain_id)s) or ` +
  'project_id:%(target.project.id)s';
const PROJECT_WRITE = `(${R}) or (role:manager and domain_id:%(target.project.domain_id)s)`;
const USER_GET =
  `(${R}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.user.domain_id)s) or ` +
  'user_id:%(target.user.id)s';
const USER_WRITE = `(${R}) or (role:manager and domain_id:%(target.user.domain_id)s)`;
const GROUP_READ = `(${R}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.group.domain_id)s)`;
const GROUP_WRITE = `(${R}) or (role:manager and domain_id:%(target.group.domain_id)s)`;
const GROUP_USER_READ =
  `(${R}) or (${SYSTEM_READER}) or ` +
  '(role:reader and domain_id:%(target.group.domain_id)s and domain_id:%(target.user.domain_id)s)';
const GROUP_USER_WRITE = `(${R}) or (role:manager and domain_id:%(target.group.domain_id)s and domain_id:%(target.user.domain_id)s)`;
// Keystone adds "(role:manager and not domain_id:None)" (domain managers); left out here.
const ROLE_READ = ADMIN_OR_SYSTEM_READER;

export const RESOURCE_RULES: readonly RuleDefault[] = [
  ...crud(
    'domain',
    '/v3/domains',
    DOMAIN_GET,
    R,
    `${ADMIN_OR_SYSTEM_READER} or (role:reader and domain_id:%(target.domain.id)s)`,
  ),
  ...crud('project', '/v3/projects', PROJECT_GET, PROJECT_WRITE, ADMIN_OR_SYSTEM_OR_DOMAIN_READER),
  rule(
    'list_user_projects',
    `(${R}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(target.user.id)s`,
    "List a user's projects.",
    [['GET', '/v3/users/{user_id}/projects']],
  ),
  ...crud('user', '/v3/users', USER_GET, USER_WRITE, ADMIN_OR_SYSTEM_OR_DOMAIN_READER),
  ...crud('group', '/v3/groups', GROUP_READ, GROUP_WRITE, ADMIN_OR_SYSTEM_OR_DOMAIN_READER),
  rule(
    'list_groups_for_user',
    `(${R}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(user_id)s`,
    'List groups a user belongs to.',
    [['GET', '/v3/users/{user_id}/groups']],
  ),
  rule('list_users_in_group', GROUP_READ, 'List the members of a group.', [
    ['GET', '/v3/groups/{group_id}/users'],
  ]),
  rule('check_user_in_group', GROUP_USER_READ, 'Check group membership.', [
    ['HEAD', '/v3/groups/{group_id}/users/{user_id}'],
  ]),
  rule('add_user_to_group', GROUP_USER_WRITE, 'Add a user to a group.', [
    ['PUT', '/v3/groups/{group_id}/users/{user_id}'],
  ]),
  rule('remove_user_from_group', GROUP_USER_WRITE, 'Remove a user from a group.', [
    ['DELETE', '/v3/groups/{group_id}/users/{user_id}'],
  ]),
  ...crud('role', '/v3/roles', ROLE_READ, R),
  rule('list_implied_roles', ADMIN_OR_SYSTEM_READER, 'List roles a role implies.', [
    ['GET', '/v3/roles/{prior_role_id}/implies'],
  ]),
  rule('get_implied_role', ADMIN_OR_SYSTEM_READER, 'Show an implied role rule.', [
    ['GET', '/v3/roles/{prior_role_id}/implies/{implied_role_id}'],
  ]),
  rule('check_implied_role', ADMIN_OR_SYSTEM_READER, 'Check an implied role rule.', [
    ['HEAD', '/v3/roles/{prior_role_id}/implies/{implied_role_id}'],
  ]),
  rule('create_implied_role', R, 'Create an implied role rule.', [
    ['PUT', '/v3/roles/{prior_role_id}/implies/{implied_role_id}'],
  ]),
  rule('delete_implied_role', R, 'Delete an implied role rule.', [
    ['DELETE', '/v3/roles/{prior_role_id}/implies/{implied_role_id}'],
  ]),
  rule('list_role_inference_rules', ADMIN_OR_SYSTEM_READER, 'List every implied role rule.', [
    ['GET', '/v3/role_inferences'],
  ]),
  ...crud('service', '/v3/services', ADMIN_OR_SYSTEM_READER, R),
  ...crud('endpoint', '/v3/endpoints', ADMIN_OR_SYSTEM_READER, R),
  ...crud('region', '/v3/regions', '', R),
];
