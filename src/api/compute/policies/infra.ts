// Availability zones, hosts, extensions, aggregates and server groups rules
// (nova/policies/{availability_zone,hosts,extensions,aggregates,server_groups}.py).
import type { RuleDefault } from '../../../policy/types.ts';
import {
  ADMIN,
  DEPRECATED_ADMIN,
  PROJECT_MEMBER_OR_ADMIN,
  PROJECT_READER_OR_ADMIN,
  RULE_ANY,
  rule,
} from './base.ts';

const AZ = 'os_compute_api:os-availability-zone:';
const H = 'os_compute_api:os-hosts:';
const AG = 'os_compute_api:os-aggregates:';
const SG = 'os_compute_api:os-server-groups:';

export const INFRA_POLICIES = Object.freeze({
  azList: `${AZ}list`,
  azDetail: `${AZ}detail`,
  hostsList: `${H}list`,
  hostsShow: `${H}show`,
  hostsUpdate: `${H}update`,
  hostsReboot: `${H}reboot`,
  hostsShutdown: `${H}shutdown`,
  hostsStart: `${H}start`,
  extensions: 'os_compute_api:extensions',
  aggSetMetadata: `${AG}set_metadata`,
  aggAddHost: `${AG}add_host`,
  aggCreate: `${AG}create`,
  aggRemoveHost: `${AG}remove_host`,
  aggUpdate: `${AG}update`,
  aggIndex: `${AG}index`,
  aggDelete: `${AG}delete`,
  aggShow: `${AG}show`,
  aggImages: 'compute:aggregates:images',
  sgCreate: `${SG}create`,
  sgDelete: `${SG}delete`,
  sgIndex: `${SG}index`,
  sgIndexAll: `${SG}index:all_projects`,
  sgShow: `${SG}show`,
});

const P = INFRA_POLICIES;
const AGG = '/os-aggregates/{aggregate_id}';

export const INFRA_RULES: readonly RuleDefault[] = Object.freeze([
  rule(P.azList, RULE_ANY, 'List availability zone information without host information', [
    ['GET', '/os-availability-zone'],
  ]),
  rule(P.azDetail, ADMIN, 'List detailed availability zone information with host information', [
    ['GET', '/os-availability-zone/detail'],
  ]),
  rule(P.hostsList, ADMIN, 'List physical hosts.', [['GET', '/os-hosts']], DEPRECATED_ADMIN),
  rule(P.hostsShow, ADMIN, 'Show physical host.', [['GET', '/os-hosts/{host_name}']], DEPRECATED_ADMIN),
  rule(P.hostsUpdate, ADMIN, 'Update physical host.', [['PUT', '/os-hosts/{host_name}']], DEPRECATED_ADMIN),
  rule(
    P.hostsReboot,
    ADMIN,
    'Reboot physical host.',
    [['GET', '/os-hosts/{host_name}/reboot']],
    DEPRECATED_ADMIN,
  ),
  rule(
    P.hostsShutdown,
    ADMIN,
    'Shutdown physical host.',
    [['GET', '/os-hosts/{host_name}/shutdown']],
    DEPRECATED_ADMIN,
  ),
  rule(
    P.hostsStart,
    ADMIN,
    'Start physical host.',
    [['GET', '/os-hosts/{host_name}/startup']],
    DEPRECATED_ADMIN,
  ),
  rule(P.extensions, RULE_ANY, 'List available extensions and show information for an extension by alias', [
    ['GET', '/extensions'],
    ['GET', '/extensions/{alias}'],
  ]),
  rule(P.aggSetMetadata, ADMIN, 'Create or replace metadata for an aggregate', [
    ['POST', `${AGG}/action (set_metadata)`],
  ]),
  rule(P.aggAddHost, ADMIN, 'Add a host to an aggregate', [['POST', `${AGG}/action (add_host)`]]),
  rule(P.aggCreate, ADMIN, 'Create an aggregate', [['POST', '/os-aggregates']]),
  rule(P.aggRemoveHost, ADMIN, 'Remove a host from an aggregate', [['POST', `${AGG}/action (remove_host)`]]),
  rule(P.aggUpdate, ADMIN, 'Update name and/or availability zone for an aggregate', [['PUT', AGG]]),
  rule(P.aggIndex, ADMIN, 'List all aggregates', [['GET', '/os-aggregates']]),
  rule(P.aggDelete, ADMIN, 'Delete an aggregate', [['DELETE', AGG]]),
  rule(P.aggShow, ADMIN, 'Show details for an aggregate', [['GET', AGG]]),
  rule(P.aggImages, ADMIN, 'Request image caching for an aggregate', [['POST', `${AGG}/images`]]),
  rule(P.sgCreate, PROJECT_MEMBER_OR_ADMIN, 'Create a new server group', [['POST', '/os-server-groups']]),
  rule(P.sgDelete, PROJECT_MEMBER_OR_ADMIN, 'Delete a server group', [
    ['DELETE', '/os-server-groups/{server_group_id}'],
  ]),
  rule(P.sgIndex, PROJECT_READER_OR_ADMIN, 'List all server groups', [['GET', '/os-server-groups']]),
  rule(P.sgIndexAll, ADMIN, 'List all server groups for all projects', [['GET', '/os-server-groups']]),
  rule(P.sgShow, PROJECT_READER_OR_ADMIN, 'Show details of a server group', [
    ['GET', '/os-server-groups/{server_group_id}'],
  ]),
]);
