// Simple tenant usage, instance usage audit log, migrations and server external events rules
// (nova/policies/{simple_tenant_usage,instance_usage_audit_log,migrations,server_external_events}.py).
import type { RuleDefault } from '../../../policy/types.ts';
import { ADMIN, PROJECT_MANAGER_OR_ADMIN, PROJECT_READER_OR_ADMIN, rule, SERVICE_ROLE } from './base.ts';

const STU = 'os_compute_api:os-simple-tenant-usage:';
const IUAL = 'os_compute_api:os-instance-usage-audit-log:';
const MIG = 'os_compute_api:os-migrations:';

export const USAGE_POLICIES = Object.freeze({
  usageShow: `${STU}show`,
  usageList: `${STU}list`,
  auditList: `${IUAL}list`,
  auditShow: `${IUAL}show`,
  migrationsIndex: `${MIG}index`,
  migrationsAllProjects: `${MIG}index:all_projects`,
  migrationsHost: `${MIG}index:host`,
  externalEvents: 'os_compute_api:os-server-external-events:create',
});

const P = USAGE_POLICIES;
const OLD_AUDIT = Object.freeze({
  name: 'os_compute_api:os-instance-usage-audit-log',
  checkStr: 'rule:admin_api',
});
const OLD_MIGRATIONS = Object.freeze({ name: P.migrationsIndex, checkStr: ADMIN });

export const USAGE_RULES: readonly RuleDefault[] = Object.freeze([
  rule(P.usageShow, PROJECT_READER_OR_ADMIN, 'Show usage statistics for a specific tenant', [
    ['GET', '/os-simple-tenant-usage/{tenant_id}'],
  ]),
  rule(P.usageList, ADMIN, 'List per tenant usage statistics for all tenants', [
    ['GET', '/os-simple-tenant-usage'],
  ]),
  rule(P.auditList, ADMIN, 'List all usage audits.', [['GET', '/os-instance_usage_audit_log']], OLD_AUDIT),
  rule(
    P.auditShow,
    ADMIN,
    'List all usage audits occurred before a specified time for all servers on all compute hosts where usage auditing is configured',
    [['GET', '/os-instance_usage_audit_log/{before_timestamp}']],
    OLD_AUDIT,
  ),
  rule(P.migrationsIndex, PROJECT_MANAGER_OR_ADMIN, 'List migrations without host info', [
    ['GET', '/os-migrations'],
  ]),
  rule(
    P.migrationsAllProjects,
    ADMIN,
    'List migrations for all or cross projects',
    [['GET', '/os-migrations']],
    OLD_MIGRATIONS,
  ),
  rule(
    P.migrationsHost,
    ADMIN,
    'List migrations with host info',
    [['GET', '/os-migrations']],
    OLD_MIGRATIONS,
  ),
  rule(P.externalEvents, SERVICE_ROLE, 'Create one or more external events', [
    ['POST', '/os-server-external-events'],
  ]),
]);
