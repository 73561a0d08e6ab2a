// Limits, quota sets and quota class sets rules (nova/policies/{limits,quota_sets,quota_class_sets}.py).
import type { RuleDefault } from '../../../policy/types.ts';
import { ADMIN, DEPRECATED_ADMIN, PROJECT_READER_OR_ADMIN, RULE_ANY, rule } from './base.ts';

const QS = 'os_compute_api:os-quota-sets:';
const QC = 'os_compute_api:os-quota-class-sets:';

export const QUOTA_POLICIES = Object.freeze({
  limits: 'os_compute_api:limits',
  limitsOtherProject: 'os_compute_api:limits:other_project',
  update: `${QS}update`,
  defaults: `${QS}defaults`,
  show: `${QS}show`,
  delete: `${QS}delete`,
  detail: `${QS}detail`,
  classShow: `${QC}show`,
  classUpdate: `${QC}update`,
});

const P = QUOTA_POLICIES;

export const QUOTA_RULES: readonly RuleDefault[] = Object.freeze([
  rule(P.limits, RULE_ANY, 'Show rate and absolute limits for the current user project', [
    ['GET', '/limits'],
  ]),
  rule(
    P.limitsOtherProject,
    ADMIN,
    'Show rate and absolute limits of other project.',
    [['GET', '/limits']],
    DEPRECATED_ADMIN,
  ),
  rule(P.update, ADMIN, 'Update the quotas', [['PUT', '/os-quota-sets/{tenant_id}']]),
  rule(P.defaults, RULE_ANY, 'List default quotas', [['GET', '/os-quota-sets/{tenant_id}/defaults']]),
  rule(P.show, PROJECT_READER_OR_ADMIN, 'Show a quota', [['GET', '/os-quota-sets/{tenant_id}']]),
  rule(P.delete, ADMIN, 'Revert quotas to defaults', [['DELETE', '/os-quota-sets/{tenant_id}']]),
  rule(P.detail, PROJECT_READER_OR_ADMIN, 'Show the detail of quota', [
    ['GET', '/os-quota-sets/{tenant_id}/detail'],
  ]),
  rule(P.classShow, ADMIN, 'List quotas for specific quota classs', [
    ['GET', '/os-quota-class-sets/{quota_class}'],
  ]),
  rule(P.classUpdate, ADMIN, 'Update quotas for specific quota class', [
    ['PUT', '/os-quota-class-sets/{quota_class}'],
  ]),
]);
