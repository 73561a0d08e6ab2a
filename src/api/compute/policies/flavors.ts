// Flavor rules: manage (create/update/delete), extra specs, access (nova/policies/flavor_*.py).
import type { RuleDefault } from '../../../policy/types.ts';
import { ADMIN, DEPRECATED_ADMIN, DEPRECATED_ADMIN_OR_OWNER, PROJECT_READER_OR_ADMIN, rule } from './base.ts';

const FM = 'os_compute_api:os-flavor-manage:';
const ES = 'os_compute_api:os-flavor-extra-specs:';
const FA = 'os_compute_api:os-flavor-access';

export const FLAVOR_POLICIES = Object.freeze({
  create: `${FM}create`,
  update: `${FM}update`,
  delete: `${FM}delete`,
  extraSpecsIndex: `${ES}index`,
  extraSpecsShow: `${ES}show`,
  extraSpecsCreate: `${ES}create`,
  extraSpecsUpdate: `${ES}update`,
  extraSpecsDelete: `${ES}delete`,
  access: FA,
  addTenantAccess: `${FA}:add_tenant_access`,
  removeTenantAccess: `${FA}:remove_tenant_access`,
});

const P = FLAVOR_POLICIES;
const ES_PATH = '/flavors/{flavor_id}/os-extra_specs/';

export const FLAVOR_RULES: readonly RuleDefault[] = Object.freeze([
  rule(P.create, ADMIN, 'Create a flavor', [['POST', '/flavors']]),
  rule(P.update, ADMIN, 'Update a flavor', [['PUT', '/flavors/{flavor_id}']]),
  rule(P.delete, ADMIN, 'Delete a flavor', [['DELETE', '/flavors/{flavor_id}']]),
  rule(
    P.extraSpecsShow,
    PROJECT_READER_OR_ADMIN,
    'Show an extra spec for a flavor',
    [['GET', `${ES_PATH}{flavor_extra_spec_key}`]],
    DEPRECATED_ADMIN_OR_OWNER,
  ),
  rule(P.extraSpecsCreate, ADMIN, 'Create extra specs for a flavor', [['POST', ES_PATH]], DEPRECATED_ADMIN),
  rule(
    P.extraSpecsUpdate,
    ADMIN,
    'Update an extra spec for a flavor',
    [['PUT', `${ES_PATH}{flavor_extra_spec_key}`]],
    DEPRECATED_ADMIN,
  ),
  rule(
    P.extraSpecsDelete,
    ADMIN,
    'Delete an extra spec for a flavor',
    [['DELETE', `${ES_PATH}{flavor_extra_spec_key}`]],
    DEPRECATED_ADMIN,
  ),
  rule(
    P.extraSpecsIndex,
    PROJECT_READER_OR_ADMIN,
    'List extra specs for a flavor. Starting with microversion 2.61, extra specs may be returned in responses for the flavor resource.',
    [
      ['GET', ES_PATH],
      ['POST', '/flavors'],
      ['GET', '/flavors/detail'],
      ['GET', '/flavors/{flavor_id}'],
      ['PUT', '/flavors/{flavor_id}'],
    ],
    DEPRECATED_ADMIN_OR_OWNER,
  ),
  rule(P.addTenantAccess, ADMIN, 'Add flavor access to a tenant', [
    ['POST', '/flavors/{flavor_id}/action (addTenantAccess)'],
  ]),
  rule(P.removeTenantAccess, ADMIN, 'Remove flavor access from a tenant', [
    ['POST', '/flavors/{flavor_id}/action (removeTenantAccess)'],
  ]),
  rule(
    P.access,
    ADMIN,
    'List flavor access information',
    [['GET', '/flavors/{flavor_id}/os-flavor-access']],
    DEPRECATED_ADMIN,
  ),
]);
