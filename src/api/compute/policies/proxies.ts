// Rules of the deprecated network and volume proxies (nova/policies/{networks,tenant_networks,
// floating_ips,floating_ip_pools,security_groups,volumes}.py).
import type { RuleDefault } from '../../../policy/types.ts';
import {
  PROJECT_MEMBER_OR_ADMIN as MEMBER,
  PROJECT_READER_OR_ADMIN as READER,
  RULE_ANY,
  rule,
} from './base.ts';

const NET = 'os_compute_api:os-networks:';
const TN = 'os_compute_api:os-tenant-networks:';
const FIP = 'os_compute_api:os-floating-ips:';
const SG = 'os_compute_api:os-security-groups:';
const VOL = 'os_compute_api:os-volumes:';

type Entry = readonly [name: string, check: string, method: string, path: string, description: string];

const ENTRIES: readonly Entry[] = [
  [`${NET}list`, READER, 'GET', '/os-networks', 'List networks for the project.'],
  [`${NET}show`, READER, 'GET', '/os-networks/{network_id}', 'Show network details.'],
  [`${TN}list`, READER, 'GET', '/os-tenant-networks', 'List project networks.'],
  [`${TN}show`, READER, 'GET', '/os-tenant-networks/{network_id}', 'Show project network details.'],
  [
    'os_compute_api:os-floating-ip-pools',
    RULE_ANY,
    'GET',
    '/os-floating-ip-pools',
    'List floating IP pools.',
  ],
  [`${FIP}list`, READER, 'GET', '/os-floating-ips', 'List floating IPs.'],
  [`${FIP}create`, MEMBER, 'POST', '/os-floating-ips', 'Create floating IPs.'],
  [`${FIP}show`, READER, 'GET', '/os-floating-ips/{floating_ip_id}', 'Show floating IPs.'],
  [`${FIP}delete`, MEMBER, 'DELETE', '/os-floating-ips/{floating_ip_id}', 'Delete floating IPs.'],
  [
    `${FIP}add`,
    MEMBER,
    'POST',
    '/servers/{server_id}/action (addFloatingIp)',
    'Associate floating IPs to server.',
  ],
  [
    `${FIP}remove`,
    MEMBER,
    'POST',
    '/servers/{server_id}/action (removeFloatingIp)',
    'Disassociate floating IPs to server.',
  ],
  [`${SG}get`, READER, 'GET', '/os-security-groups', 'List security groups.'],
  [`${SG}show`, READER, 'GET', '/os-security-groups/{security_group_id}', 'Show security group.'],
  [`${SG}create`, MEMBER, 'POST', '/os-security-groups', 'Create security group.'],
  [`${SG}update`, MEMBER, 'PUT', '/os-security-groups/{security_group_id}', 'Update security group.'],
  [`${SG}delete`, MEMBER, 'DELETE', '/os-security-groups/{security_group_id}', 'Delete security group.'],
  [`${SG}rule:create`, MEMBER, 'POST', '/os-security-group-rules', 'Create security group Rule.'],
  [
    `${SG}rule:delete`,
    MEMBER,
    'DELETE',
    '/os-security-group-rules/{security_group_id}',
    'Delete security group Rule.',
  ],
  [`${VOL}list`, READER, 'GET', '/os-volumes', 'List volumes.'],
  [`${VOL}create`, MEMBER, 'POST', '/os-volumes', 'Create volume.'],
  [`${VOL}detail`, READER, 'GET', '/os-volumes/detail', 'List volumes detail.'],
  [`${VOL}show`, READER, 'GET', '/os-volumes/{volume_id}', 'Show volume.'],
  [`${VOL}delete`, MEMBER, 'DELETE', '/os-volumes/{volume_id}', 'Delete volume.'],
  [`${VOL}snapshots:list`, READER, 'GET', '/os-snapshots', 'List snapshots.'],
  [`${VOL}snapshots:create`, MEMBER, 'POST', '/os-snapshots', 'Create snapshots.'],
  [`${VOL}snapshots:detail`, READER, 'GET', '/os-snapshots/detail', 'List snapshots details.'],
  [`${VOL}snapshots:show`, READER, 'GET', '/os-snapshots/{snapshot_id}', 'Show snapshot.'],
  [`${VOL}snapshots:delete`, MEMBER, 'DELETE', '/os-snapshots/{snapshot_id}', 'Delete snapshot.'],
];

export const PROXY_RULES: readonly RuleDefault[] = Object.freeze(
  ENTRIES.map(([name, check, method, path, description]) => rule(name, check, description, [[method, path]])),
);

/** (method, path) → rule, for the proxy routes. */
export const PROXY_RULE_OF: ReadonlyMap<string, string> = new Map(
  ENTRIES.map(([name, , method, path]) => [`${method} ${path.replace(/\{[a-z_]+\}/g, ':id')}`, name]),
);
