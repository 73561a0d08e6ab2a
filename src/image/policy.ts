// Glance's policy rules with its (secure RBAC) defaults, as data: the rule names and check strings
// of glance/policies/{base,image}.py. Targets are built in access.ts: project_id/owner = the
// image's owner, member_id = the caller's project when it is a member of the image.
import type { RuleDefault } from '../policy/types.ts';

const ADMIN = 'rule:context_is_admin';
const PROJECT_MEMBER = 'role:member and project_id:%(project_id)s';
const PROJECT_READER = 'role:reader and project_id:%(project_id)s';
const IMAGE_MEMBER = 'project_id:%(member_id)s';
const VISIBLE =
  `(project_id:%(project_id)s or ${IMAGE_MEMBER} or 'community':%(visibility)s ` +
  `or 'public':%(visibility)s or 'shared':%(visibility)s)`;

const ADMIN_OR_PROJECT_MEMBER = `${ADMIN} or (${PROJECT_MEMBER})`;
const ADMIN_OR_PROJECT_READER = `${ADMIN} or (${PROJECT_READER})`;
const GET_IMAGE = `${ADMIN} or (role:reader and ${VISIBLE})`;
const DOWNLOAD_IMAGE = `${ADMIN} or (role:member and ${VISIBLE})`;
const CREATE_IMAGE = `${ADMIN} or (${PROJECT_MEMBER} and project_id:%(owner)s)`;
const READER_OR_SHARED_MEMBER = `${ADMIN} or role:reader and (project_id:%(project_id)s or ${IMAGE_MEMBER})`;
const SHARED_MEMBER = `${ADMIN} or (role:member and ${IMAGE_MEMBER})`;

type Op = { readonly method: string; readonly path: string };
const rule = (name: string, checkStr: string, description: string, operations?: readonly Op[]): RuleDefault =>
  Object.freeze({ name, checkStr, description, operations, scopeTypes: ['project'] as const });
const image = '/v2/images/{image_id}';

export const IMAGE_POLICY_DEFAULTS: readonly RuleDefault[] = Object.freeze([
  Object.freeze({
    name: 'default',
    checkStr: '',
    description: 'The rule of policies without a default of their own.',
    deprecatedRule: { name: 'default', checkStr: ADMIN },
  }),
  Object.freeze({ name: 'context_is_admin', checkStr: 'role:admin', description: 'Who is an admin.' }),
  Object.freeze({
    name: 'service_api',
    checkStr: 'role:service or role:admin',
    description: 'Service-to-service API.',
  }),
  rule('add_image', CREATE_IMAGE, 'Create new image', [{ method: 'POST', path: '/v2/images' }]),
  rule('delete_image', ADMIN_OR_PROJECT_MEMBER, 'Deletes the image', [{ method: 'DELETE', path: image }]),
  rule('get_image', GET_IMAGE, 'Get specified image', [{ method: 'GET', path: image }]),
  rule('get_images', ADMIN_OR_PROJECT_READER, 'Get all available images', [
    { method: 'GET', path: '/v2/images' },
  ]),
  rule('modify_image', ADMIN_OR_PROJECT_MEMBER, 'Updates given image', [{ method: 'PATCH', path: image }]),
  rule('publicize_image', ADMIN, 'Publicize given image', [{ method: 'PATCH', path: image }]),
  rule('communitize_image', ADMIN_OR_PROJECT_MEMBER, 'Communitize given image', [
    { method: 'PATCH', path: image },
  ]),
  rule('download_image', DOWNLOAD_IMAGE, 'Downloads given image', [{ method: 'GET', path: `${image}/file` }]),
  rule('upload_image', ADMIN_OR_PROJECT_MEMBER, 'Uploads data to specified image', [
    { method: 'PUT', path: `${image}/file` },
  ]),
  rule('add_member', ADMIN_OR_PROJECT_MEMBER, 'Create image member', [
    { method: 'POST', path: `${image}/members` },
  ]),
  rule('delete_member', ADMIN_OR_PROJECT_MEMBER, 'Delete image member', [
    { method: 'DELETE', path: `${image}/members/{member_id}` },
  ]),
  rule('get_member', READER_OR_SHARED_MEMBER, 'Show image member details', [
    { method: 'GET', path: `${image}/members/{member_id}` },
  ]),
  rule('get_members', READER_OR_SHARED_MEMBER, 'List image members', [
    { method: 'GET', path: `${image}/members` },
  ]),
  rule('modify_member', SHARED_MEMBER, 'Update image member', [
    { method: 'PUT', path: `${image}/members/{member_id}` },
  ]),
  rule('deactivate', ADMIN_OR_PROJECT_MEMBER, 'Deactivate image', [
    { method: 'POST', path: `${image}/actions/deactivate` },
  ]),
  rule('reactivate', ADMIN_OR_PROJECT_MEMBER, 'Reactivate image', [
    { method: 'POST', path: `${image}/actions/reactivate` },
  ]),
]);
