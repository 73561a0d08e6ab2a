// os-services and os-hypervisors rules (nova/policies/{services,hypervisors}.py).
import type { RuleDefault } from '../../../policy/types.ts';
import { ADMIN, rule } from './base.ts';

const SV = 'os_compute_api:os-services:';
const HV = 'os_compute_api:os-hypervisors:';

export const HOSTS_ADMIN_POLICIES = Object.freeze({
  servicesList: `${SV}list`,
  servicesUpdate: `${SV}update`,
  servicesDelete: `${SV}delete`,
  hvList: `${HV}list`,
  hvListDetail: `${HV}list-detail`,
  hvStatistics: `${HV}statistics`,
  hvShow: `${HV}show`,
  hvUptime: `${HV}uptime`,
  hvSearch: `${HV}search`,
  hvServers: `${HV}servers`,
});

const P = HOSTS_ADMIN_POLICIES;
const OLD_SERVICES = Object.freeze({ name: 'os_compute_api:os-services', checkStr: 'rule:admin_api' });
const OLD_HYPERVISORS = Object.freeze({ name: 'os_compute_api:os-hypervisors', checkStr: 'rule:admin_api' });
const HV_ID = '/os-hypervisors/{hypervisor_id}';

export const HOSTS_ADMIN_RULES: readonly RuleDefault[] = Object.freeze([
  rule(
    P.servicesList,
    ADMIN,
    'List all running Compute services in a region.',
    [['GET', '/os-services']],
    OLD_SERVICES,
  ),
  rule(
    P.servicesUpdate,
    ADMIN,
    'Update a Compute service.',
    [['PUT', '/os-services/{service_id}']],
    OLD_SERVICES,
  ),
  rule(
    P.servicesDelete,
    ADMIN,
    'Delete a Compute service.',
    [['DELETE', '/os-services/{service_id}']],
    OLD_SERVICES,
  ),
  rule(P.hvList, ADMIN, 'List all hypervisors.', [['GET', '/os-hypervisors']], OLD_HYPERVISORS),
  rule(
    P.hvListDetail,
    ADMIN,
    'List all hypervisors with details',
    [['GET', '/os-hypervisors/details']],
    OLD_HYPERVISORS,
  ),
  rule(
    P.hvStatistics,
    ADMIN,
    'Show summary statistics for all hypervisors over all compute nodes.',
    [['GET', '/os-hypervisors/statistics']],
    OLD_HYPERVISORS,
  ),
  rule(P.hvShow, ADMIN, 'Show details for a hypervisor.', [['GET', HV_ID]], OLD_HYPERVISORS),
  rule(P.hvUptime, ADMIN, 'Show the uptime of a hypervisor.', [['GET', `${HV_ID}/uptime`]], OLD_HYPERVISORS),
  rule(
    P.hvSearch,
    ADMIN,
    'Search hypervisor by hypervisor_hostname pattern.',
    [['GET', '/os-hypervisors/{hypervisor_hostname_pattern}/search']],
    OLD_HYPERVISORS,
  ),
  rule(
    P.hvServers,
    ADMIN,
    'List all servers on hypervisors that can match the provided hypervisor_hostname pattern.',
    [['GET', '/os-hypervisors/{hypervisor_hostname_pattern}/servers']],
    OLD_HYPERVISORS,
  ),
]);
