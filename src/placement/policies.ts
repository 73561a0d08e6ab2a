// Placement's policy rules with upstream names and defaults (placement/policies/*.py): admin or
// service for almost everything, project readers may see their own /usages, reshaper is service-only.
import type { RuleDefault } from '../policy/types.ts';

const ADMIN_OR_SERVICE = 'rule:admin_or_service_api';
const DEPRECATED = { name: 'rule:admin_api', checkStr: 'role:admin' } as const;

export const Rules = Object.freeze({
  RP_LIST: 'placement:resource_providers:list',
  RP_CREATE: 'placement:resource_providers:create',
  RP_SHOW: 'placement:resource_providers:show',
  RP_UPDATE: 'placement:resource_providers:update',
  RP_DELETE: 'placement:resource_providers:delete',
  INV_LIST: 'placement:resource_providers:inventories:list',
  INV_CREATE: 'placement:resource_providers:inventories:create',
  INV_SHOW: 'placement:resource_providers:inventories:show',
  INV_UPDATE: 'placement:resource_providers:inventories:update',
  INV_DELETE: 'placement:resource_providers:inventories:delete',
  AGG_LIST: 'placement:resource_providers:aggregates:list',
  AGG_UPDATE: 'placement:resource_providers:aggregates:update',
  RP_USAGES: 'placement:resource_providers:usages',
  TOTAL_USAGES: 'placement:usages',
  RP_TRAIT_LIST: 'placement:resource_providers:traits:list',
  RP_TRAIT_UPDATE: 'placement:resource_providers:traits:update',
  RP_TRAIT_DELETE: 'placement:resource_providers:traits:delete',
  TRAIT_LIST: 'placement:traits:list',
  TRAIT_SHOW: 'placement:traits:show',
  TRAIT_UPDATE: 'placement:traits:update',
  TRAIT_DELETE: 'placement:traits:delete',
  RC_LIST: 'placement:resource_classes:list',
  RC_CREATE: 'placement:resource_classes:create',
  RC_SHOW: 'placement:resource_classes:show',
  RC_UPDATE: 'placement:resource_classes:update',
  RC_DELETE: 'placement:resource_classes:delete',
  RP_ALLOC_LIST: 'placement:resource_providers:allocations:list',
  ALLOC_MANAGE: 'placement:allocations:manage',
  ALLOC_LIST: 'placement:allocations:list',
  ALLOC_UPDATE: 'placement:allocations:update',
  ALLOC_DELETE: 'placement:allocations:delete',
  CANDIDATES_LIST: 'placement:allocation_candidates:list',
  RESHAPE: 'placement:reshaper:reshape',
});

const base: RuleDefault[] = [
  {
    name: 'admin_api',
    checkStr: 'role:admin',
    description: 'Default rule for most placement APIs.',
    scopeTypes: ['project'],
  },
  {
    name: 'service_api',
    checkStr: 'role:service',
    description: 'Default rule for service-to-service placement APIs.',
    scopeTypes: ['project'],
    deprecatedRule: DEPRECATED,
  },
  {
    name: 'admin_or_service_api',
    checkStr: 'role:admin or role:service',
    description: 'Default rule for most placement APIs.',
    scopeTypes: ['project'],
    deprecatedRule: DEPRECATED,
  },
  {
    name: 'project_reader_api',
    checkStr: 'role:reader and project_id:%(project_id)s',
    description: 'Default rule for Project level reader APIs.',
    deprecatedRule: DEPRECATED,
  },
  {
    name: 'admin_or_project_reader_or_service_api',
    checkStr: 'role:admin or rule:project_reader_api or role:service',
    description: 'Default rule for project level reader APIs.',
    scopeTypes: ['project'],
    deprecatedRule: DEPRECATED,
  },
];

type Op = readonly [method: string, path: string];

const rule = (name: string, checkStr: string, description: string, ...ops: Op[]): RuleDefault => ({
  name,
  checkStr,
  description,
  operations: ops.map(([method, path]) => ({ method, path })),
  scopeTypes: ['project'],
  deprecatedRule: DEPRECATED,
});

const RP = '/resource_providers/{uuid}';
const INV = `${RP}/inventories`;
const R = Rules;

/** Every placement rule default, for createEnforcer({ defaults }). */
export const PLACEMENT_POLICIES: readonly RuleDefault[] = Object.freeze([
  ...base,
  rule(R.RP_LIST, ADMIN_OR_SERVICE, 'List resource providers.', ['GET', '/resource_providers']),
  rule(R.RP_CREATE, ADMIN_OR_SERVICE, 'Create resource provider.', ['POST', '/resource_providers']),
  rule(R.RP_SHOW, ADMIN_OR_SERVICE, 'Show resource provider.', ['GET', RP]),
  rule(R.RP_UPDATE, ADMIN_OR_SERVICE, 'Update resource provider.', ['PUT', RP]),
  rule(R.RP_DELETE, ADMIN_OR_SERVICE, 'Delete resource provider.', ['DELETE', RP]),
  rule(R.INV_LIST, ADMIN_OR_SERVICE, 'List resource provider inventories.', ['GET', INV]),
  rule(R.INV_CREATE, ADMIN_OR_SERVICE, 'Create one resource provider inventory.', ['POST', INV]),
  rule(R.INV_SHOW, ADMIN_OR_SERVICE, 'Show resource provider inventory.', ['GET', `${INV}/{resource_class}`]),
  rule(
    R.INV_UPDATE,
    ADMIN_OR_SERVICE,
    'Update resource provider inventory.',
    ['PUT', INV],
    ['PUT', `${INV}/{resource_class}`],
  ),
  rule(
    R.INV_DELETE,
    ADMIN_OR_SERVICE,
    'Delete resource provider inventory.',
    ['DELETE', INV],
    ['DELETE', `${INV}/{resource_class}`],
  ),
  rule(R.AGG_LIST, ADMIN_OR_SERVICE, 'List resource provider aggregates.', ['GET', `${RP}/aggregates`]),
  rule(R.AGG_UPDATE, ADMIN_OR_SERVICE, 'Update resource provider aggregates.', ['PUT', `${RP}/aggregates`]),
  rule(R.RP_USAGES, ADMIN_OR_SERVICE, 'List resource provider usages.', ['GET', `${RP}/usages`]),
  rule(
    R.TOTAL_USAGES,
    'rule:admin_or_project_reader_or_service_api',
    'List total resource usages for a given project.',
    ['GET', '/usages'],
  ),
  rule(R.TRAIT_LIST, ADMIN_OR_SERVICE, 'List traits.', ['GET', '/traits']),
  rule(R.TRAIT_SHOW, ADMIN_OR_SERVICE, 'Show trait.', ['GET', '/traits/{name}']),
  rule(R.TRAIT_UPDATE, ADMIN_OR_SERVICE, 'Update trait.', ['PUT', '/traits/{name}']),
  rule(R.TRAIT_DELETE, ADMIN_OR_SERVICE, 'Delete trait.', ['DELETE', '/traits/{name}']),
  rule(R.RP_TRAIT_LIST, ADMIN_OR_SERVICE, 'List resource provider traits.', ['GET', `${RP}/traits`]),
  rule(R.RP_TRAIT_UPDATE, ADMIN_OR_SERVICE, 'Update resource provider traits.', ['PUT', `${RP}/traits`]),
  rule(R.RP_TRAIT_DELETE, ADMIN_OR_SERVICE, 'Delete resource provider traits.', ['DELETE', `${RP}/traits`]),
  rule(R.RC_LIST, ADMIN_OR_SERVICE, 'List resource classes.', ['GET', '/resource_classes']),
  rule(R.RC_CREATE, ADMIN_OR_SERVICE, 'Create resource class.', ['POST', '/resource_classes']),
  rule(R.RC_SHOW, ADMIN_OR_SERVICE, 'Show resource class.', ['GET', '/resource_classes/{name}']),
  rule(R.RC_UPDATE, ADMIN_OR_SERVICE, 'Update resource class.', ['PUT', '/resource_classes/{name}']),
  rule(R.RC_DELETE, ADMIN_OR_SERVICE, 'Delete resource class.', ['DELETE', '/resource_classes/{name}']),
  rule(R.ALLOC_MANAGE, ADMIN_OR_SERVICE, 'Manage allocations.', ['POST', '/allocations']),
  rule(R.ALLOC_LIST, ADMIN_OR_SERVICE, 'List allocations.', ['GET', '/allocations/{consumer_uuid}']),
  rule(R.ALLOC_UPDATE, ADMIN_OR_SERVICE, 'Update allocations.', ['PUT', '/allocations/{consumer_uuid}']),
  rule(R.ALLOC_DELETE, ADMIN_OR_SERVICE, 'Delete allocations.', ['DELETE', '/allocations/{consumer_uuid}']),
  rule(R.RP_ALLOC_LIST, ADMIN_OR_SERVICE, 'List resource provider allocations.', [
    'GET',
    `${RP}/allocations`,
  ]),
  rule(R.CANDIDATES_LIST, ADMIN_OR_SERVICE, 'List allocation candidates.', ['GET', '/allocation_candidates']),
  rule(R.RESHAPE, 'rule:service_api', 'Reshape Inventory and Allocations.', ['POST', '/reshaper']),
]);
