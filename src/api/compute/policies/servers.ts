// Servers and server sub-resource / action rules (nova/policies/{servers,servers_migrations,
// pause_server,suspend_server,lock_server,rescue,shelve,migrate_server,admin_actions,console_output,
// create_backup,instance_actions,server_metadata,server_tags,server_password,deferred_delete,
// evacuate,remote_consoles,server_diagnostics,admin_password,extended_server_attributes,
// server_topology,security_groups,ips,attach_interfaces,volumes_attachments,multinic,server_shares}.py).
// Names and default check strings follow upstream's current (manager/member/reader) defaults.
import type { RuleDefault } from '../../../policy/types.ts';
import {
  ADMIN,
  PROJECT_MANAGER_OR_ADMIN as MANAGER,
  PROJECT_MEMBER_OR_ADMIN as MEMBER,
  PROJECT_READER_OR_ADMIN as READER,
  RULE_NOBODY,
  rule,
  SERVICE_ROLE,
} from './base.ts';

const S = 'os_compute_api:servers:';
const MIG = 'os_compute_api:servers:migrations:';
const IA = 'os_compute_api:os-instance-actions:';
const MD = 'os_compute_api:server-metadata:';
const TAG = 'os_compute_api:os-server-tags:';
const AI = 'os_compute_api:os-attach-interfaces:';
const VA = 'os_compute_api:os-volumes-attachments:';
const SH = 'os_compute_api:os-server-shares:';

/** Every servers-related rule name, grouped by upstream policy module. */
export const SERVER_POLICIES = Object.freeze({
  servers: Object.freeze({
    index: `${S}index`,
    indexAllTenants: `${S}index:get_all_tenants`,
    detail: `${S}detail`,
    detailAllTenants: `${S}detail:get_all_tenants`,
    allowAllFilters: `${S}allow_all_filters`,
    show: `${S}show`,
    showFlavorExtraSpecs: `${S}show:flavor-extra-specs`,
    showHostStatus: `${S}show:host_status`,
    showHostStatusUnknownOnly: `${S}show:host_status:unknown-only`,
    create: `${S}create`,
    createForcedHost: `${S}create:forced_host`,
    /** Upstream spells this one with the 'compute:' prefix. */
    createRequestedDestination: 'compute:servers:create:requested_destination',
    createAttachVolume: `${S}create:attach_volume`,
    createAttachNetwork: `${S}create:attach_network`,
    createTrustedCerts: `${S}create:trusted_certs`,
    createZeroDiskFlavor: `${S}create:zero_disk_flavor`,
    attachExternalNetwork: 'network:attach_external_network',
    delete: `${S}delete`,
    update: `${S}update`,
    confirmResize: `${S}confirm_resize`,
    revertResize: `${S}revert_resize`,
    reboot: `${S}reboot`,
    resize: `${S}resize`,
    resizeCrossCell: 'compute:servers:resize:cross_cell',
    rebuild: `${S}rebuild`,
    rebuildTrustedCerts: `${S}rebuild:trusted_certs`,
    createImage: `${S}create_image`,
    createImageVolumeBacked: `${S}create_image:allow_volume_backed`,
    start: `${S}start`,
    stop: `${S}stop`,
    triggerCrashDump: `${S}trigger_crash_dump`,
  }),
  migrations: Object.freeze({
    index: `${MIG}index`,
    indexHost: `${MIG}index:host`,
    show: `${MIG}show`,
    forceComplete: `${MIG}force_complete`,
    delete: `${MIG}delete`,
  }),
  pause: Object.freeze({
    pause: 'os_compute_api:os-pause-server:pause',
    unpause: 'os_compute_api:os-pause-server:unpause',
  }),
  suspend: Object.freeze({
    suspend: 'os_compute_api:os-suspend-server:suspend',
    resume: 'os_compute_api:os-suspend-server:resume',
  }),
  lock: Object.freeze({
    lock: 'os_compute_api:os-lock-server:lock',
    unlock: 'os_compute_api:os-lock-server:unlock',
    unlockOverride: 'os_compute_api:os-lock-server:unlock:unlock_override',
  }),
  rescue: Object.freeze({
    rescue: 'os_compute_api:os-rescue',
    unrescue: 'os_compute_api:os-unrescue',
  }),
  shelve: Object.freeze({
    shelve: 'os_compute_api:os-shelve:shelve',
    shelveOffload: 'os_compute_api:os-shelve:shelve_offload',
    unshelve: 'os_compute_api:os-shelve:unshelve',
    unshelveToHost: 'os_compute_api:os-shelve:unshelve_to_host',
  }),
  migrate: Object.freeze({
    migrate: 'os_compute_api:os-migrate-server:migrate',
    migrateHost: 'os_compute_api:os-migrate-server:migrate:host',
    migrateLive: 'os_compute_api:os-migrate-server:migrate_live',
    migrateLiveHost: 'os_compute_api:os-migrate-server:migrate_live:host',
  }),
  adminActions: Object.freeze({
    resetState: 'os_compute_api:os-admin-actions:reset_state',
    injectNetworkInfo: 'os_compute_api:os-admin-actions:inject_network_info',
  }),
  consoleOutput: 'os_compute_api:os-console-output',
  createBackup: 'os_compute_api:os-create-backup',
  instanceActions: Object.freeze({
    list: `${IA}list`,
    show: `${IA}show`,
    events: `${IA}events`,
    eventsDetails: `${IA}events:details`,
  }),
  metadata: Object.freeze({
    index: `${MD}index`,
    show: `${MD}show`,
    create: `${MD}create`,
    updateAll: `${MD}update_all`,
    update: `${MD}update`,
    delete: `${MD}delete`,
  }),
  tags: Object.freeze({
    index: `${TAG}index`,
    show: `${TAG}show`,
    update: `${TAG}update`,
    updateAll: `${TAG}update_all`,
    delete: `${TAG}delete`,
    deleteAll: `${TAG}delete_all`,
  }),
  password: Object.freeze({
    show: 'os_compute_api:os-server-password:show',
    clear: 'os_compute_api:os-server-password:clear',
  }),
  deferredDelete: Object.freeze({
    restore: 'os_compute_api:os-deferred-delete:restore',
    force: 'os_compute_api:os-deferred-delete:force',
  }),
  evacuate: 'os_compute_api:os-evacuate',
  remoteConsoles: 'os_compute_api:os-remote-consoles',
  diagnostics: 'os_compute_api:os-server-diagnostics',
  adminPassword: 'os_compute_api:os-admin-password',
  extendedAttributes: 'os_compute_api:os-extended-server-attributes',
  topology: Object.freeze({
    index: 'compute:server:topology:index',
    hostIndex: 'compute:server:topology:host:index',
  }),
  securityGroups: Object.freeze({
    list: 'os_compute_api:os-security-groups:list',
    add: 'os_compute_api:os-security-groups:add',
    remove: 'os_compute_api:os-security-groups:remove',
  }),
  ips: Object.freeze({ index: 'os_compute_api:ips:index', show: 'os_compute_api:ips:show' }),
  interfaces: Object.freeze({
    list: `${AI}list`,
    show: `${AI}show`,
    create: `${AI}create`,
    delete: `${AI}delete`,
  }),
  volumeAttachments: Object.freeze({
    index: `${VA}index`,
    show: `${VA}show`,
    create: `${VA}create`,
    update: `${VA}update`,
    swap: `${VA}swap`,
    delete: `${VA}delete`,
  }),
  multinic: Object.freeze({
    add: 'os_compute_api:os-multinic:add',
    remove: 'os_compute_api:os-multinic:remove',
  }),
  shares: Object.freeze({
    index: `${SH}index`,
    show: `${SH}show`,
    create: `${SH}create`,
    delete: `${SH}delete`,
  }),
});

const old = (name: string, checkStr = 'rule:admin_or_owner') => Object.freeze({ name, checkStr });

const P = SERVER_POLICIES;
const V = P.servers;
const SRV = '/servers/{server_id}';
const act = (name: string): [string, string] => ['POST', `${SRV}/action (${name})`];
const SHOWN: [string, string][] = [['GET', SRV], ['GET', '/servers/detail'], ['PUT', SRV], act('rebuild')];
const LIST: [string, string] = ['GET', '/servers'];
const DETAIL: [string, string] = ['GET', '/servers/detail'];
const CREATE: [string, string] = ['POST', '/servers'];
const MIGR = `${SRV}/migrations/{migration_id}`;
const MDK = `${SRV}/metadata/{key}`;
const TAGS = `${SRV}/tags`;
const IFACE = `${SRV}/os-interface`;
const VOLS = `${SRV}/os-volume_attachments`;
const SHARES = `${SRV}/shares`;

const OLD_IA = old('os_compute_api:os-instance-actions');
const OLD_PW = old('os_compute_api:os-server-password');
const OLD_DD = old('os_compute_api:os-deferred-delete');
const OLD_SG = old('os_compute_api:os-security-groups');
const OLD_AI = old('os_compute_api:os-attach-interfaces');
const OLD_MN = old('os_compute_api:os-multinic');

const SERVERS_RULES: readonly RuleDefault[] = [
  rule(V.index, READER, 'List all servers', [LIST]),
  rule(V.detail, READER, 'List all servers with detailed information', [DETAIL]),
  rule(V.indexAllTenants, ADMIN, 'List all servers for all projects', [LIST]),
  rule(V.detailAllTenants, ADMIN, 'List all servers with detailed information for all projects', [DETAIL]),
  rule(V.allowAllFilters, ADMIN, 'Allow all filters when listing servers', [LIST, DETAIL]),
  rule(V.show, READER, 'Show a server', [['GET', SRV]]),
  rule(
    V.showFlavorExtraSpecs,
    READER,
    'Include the flavor extra specs in the server body (microversion 2.47 and later)',
    [DETAIL, ['GET', SRV], ['PUT', SRV], act('rebuild')],
    old('os_compute_api:os-flavor-extra-specs:index'),
  ),
  rule(V.showHostStatus, ADMIN, 'Show a server with its host status, whatever the value', SHOWN),
  rule(
    V.showHostStatusUnknownOnly,
    ADMIN,
    'Show a server with its host status only when it is UNKNOWN (checked when show:host_status fails)',
    SHOWN,
  ),
  rule(V.create, MEMBER, 'Create a server', [CREATE]),
  rule(V.createForcedHost, ADMIN, 'Create a server on a given host and/or node, bypassing the scheduler', [
    CREATE,
  ]),
  rule(
    V.createRequestedDestination,
    ADMIN,
    'Create a server on a requested host and/or hypervisor_hostname, checked by the scheduler',
    [CREATE],
  ),
  rule(V.createAttachVolume, MEMBER, 'Create a server with the requested volume attached to it', [CREATE]),
  rule(V.createAttachNetwork, MEMBER, 'Create a server with the requested network attached to it', [CREATE]),
  rule(V.createTrustedCerts, MEMBER, 'Create a server with trusted image certificate IDs', [CREATE]),
  rule(V.createZeroDiskFlavor, ADMIN, 'Create a server with a flavor of 0 disk (volume-backed)', [CREATE]),
  rule(V.attachExternalNetwork, ADMIN, 'Attach an unshared external network to a server', [
    CREATE,
    ['POST', IFACE],
  ]),
  rule(V.delete, MEMBER, 'Delete a server', [['DELETE', SRV]]),
  rule(V.update, MEMBER, 'Update a server', [['PUT', SRV]]),
  rule(V.confirmResize, MEMBER, 'Confirm a server resize', [act('confirmResize')]),
  rule(V.revertResize, MEMBER, 'Revert a server resize', [act('revertResize')]),
  rule(V.reboot, MEMBER, 'Reboot a server', [act('reboot')]),
  rule(V.resize, MEMBER, 'Resize a server', [act('resize')]),
  rule(V.resizeCrossCell, RULE_NOBODY, 'Resize a server across cells', [act('resize')]),
  rule(V.rebuild, MEMBER, 'Rebuild a server', [act('rebuild')]),
  rule(V.rebuildTrustedCerts, MEMBER, 'Rebuild a server with trusted image certificate IDs', [
    act('rebuild'),
  ]),
  rule(V.createImage, MEMBER, 'Create an image from a server', [act('createImage')]),
  rule(V.createImageVolumeBacked, MEMBER, 'Create an image from a volume backed server', [
    act('createImage'),
  ]),
  rule(V.start, MEMBER, 'Start a server', [act('os-start')]),
  rule(V.stop, MEMBER, 'Stop a server', [act('os-stop')]),
  rule(V.triggerCrashDump, MEMBER, 'Trigger crash dump in a server', [act('trigger_crash_dump')]),
];

const M = P.migrations;
const MIGRATION_RULES: readonly RuleDefault[] = [
  rule(M.index, MANAGER, 'List in-progress live migrations of a server, without host info', [
    ['GET', `${SRV}/migrations`],
  ]),
  rule(
    M.indexHost,
    ADMIN,
    'List in-progress live migrations of a server, with host info',
    [['GET', `${SRV}/migrations`]],
    old(M.index, ADMIN),
  ),
  rule(M.show, ADMIN, 'Show an in-progress live migration of a server', [['GET', MIGR]]),
  rule(M.forceComplete, MANAGER, 'Force an in-progress live migration of a server to complete', [
    ['POST', `${MIGR}/action (force_complete)`],
  ]),
  rule(M.delete, MANAGER, 'Abort an in-progress live migration', [['DELETE', MIGR]]),
];

const A = P;
const ACTION_RULES: readonly RuleDefault[] = [
  rule(A.pause.pause, MEMBER, 'Pause a server', [act('pause')]),
  rule(A.pause.unpause, MEMBER, 'Unpause a paused server', [act('unpause')]),
  rule(A.suspend.resume, MEMBER, 'Resume suspended server', [act('resume')]),
  rule(A.suspend.suspend, MEMBER, 'Suspend server', [act('suspend')]),
  rule(A.lock.lock, MEMBER, 'Lock a server', [act('lock')]),
  rule(A.lock.unlock, MEMBER, 'Unlock a server', [act('unlock')]),
  rule(A.lock.unlockOverride, ADMIN, 'Unlock a server locked by someone else', [act('unlock')]),
  rule(A.rescue.rescue, MEMBER, 'Rescue a server', [act('rescue')]),
  rule(A.rescue.unrescue, MEMBER, 'Unrescue a server', [act('unrescue')], old(A.rescue.rescue)),
  rule(A.shelve.shelve, MEMBER, 'Shelve server', [act('shelve')]),
  rule(A.shelve.unshelve, MEMBER, 'Unshelve (restore) shelved server', [act('unshelve')]),
  rule(A.shelve.unshelveToHost, ADMIN, 'Unshelve a shelve offloaded server to a given host', [
    act('unshelve'),
  ]),
  rule(A.shelve.shelveOffload, ADMIN, 'Shelf-offload (remove) server', [act('shelveOffload')]),
  rule(A.migrate.migrate, MANAGER, 'Cold migrate a server without specifying a host', [act('migrate')]),
  rule(A.migrate.migrateHost, ADMIN, 'Cold migrate a server to a specified host', [act('migrate')]),
  rule(A.migrate.migrateLive, MANAGER, 'Live migrate a server without specifying a host', [
    act('os-migrateLive'),
  ]),
  rule(
    A.migrate.migrateLiveHost,
    ADMIN,
    'Live migrate a server to a specified host',
    [act('os-migrateLive')],
    old(A.migrate.migrateLive, ADMIN),
  ),
  rule(A.adminActions.resetState, ADMIN, 'Reset the state of a given server', [act('os-resetState')]),
  rule(A.adminActions.injectNetworkInfo, ADMIN, 'Inject network information into the server', [
    act('injectNetworkInfo'),
  ]),
  rule(A.consoleOutput, MEMBER, 'Show console output for a server', [act('os-getConsoleOutput')]),
  rule(A.createBackup, MEMBER, 'Create a back up of a server', [act('createBackup')]),
  rule(A.deferredDelete.restore, MEMBER, 'Restore a soft deleted server', [act('restore')], OLD_DD),
  rule(
    A.deferredDelete.force,
    MEMBER,
    'Force delete a server before deferred cleanup',
    [act('forceDelete')],
    OLD_DD,
  ),
  rule(A.evacuate, ADMIN, 'Evacuate a server from a failed host to a new host', [act('evacuate')]),
  rule(A.remoteConsoles, MEMBER, 'Generate a URL to access a remote server console', [
    act('os-getSerialConsole'),
    act('os-getSPICEConsole'),
    act('os-getVNCConsole'),
    ['POST', `${SRV}/remote-consoles`],
  ]),
  rule(A.adminPassword, MEMBER, 'Change the administrative password for a server', [act('changePassword')]),
  rule(A.securityGroups.add, MEMBER, 'Add security groups to server.', [act('addSecurityGroup')], OLD_SG),
  rule(
    A.securityGroups.remove,
    MEMBER,
    'Remove security groups from server.',
    [act('removeSecurityGroup')],
    OLD_SG,
  ),
  rule(A.multinic.add, MEMBER, 'Add a fixed IP address to a server', [act('addFixedIp')], OLD_MN),
  rule(A.multinic.remove, MEMBER, 'Remove a fixed IP address from a server', [act('removeFixedIp')], OLD_MN),
];

const IAS = `${SRV}/os-instance-actions`;
const SUB_RULES: readonly RuleDefault[] = [
  rule(A.instanceActions.eventsDetails, ADMIN, 'Include "details" in the action events of a server', [
    ['GET', `${IAS}/{request_id}`],
  ]),
  rule(A.instanceActions.events, ADMIN, 'Include the events in the action details of a server', [
    ['GET', `${IAS}/{request_id}`],
  ]),
  rule(A.instanceActions.list, READER, 'List actions for a server.', [['GET', IAS]], OLD_IA),
  rule(
    A.instanceActions.show,
    READER,
    'Show action details for a server.',
    [['GET', `${IAS}/{request_id}`]],
    OLD_IA,
  ),
  rule(A.metadata.index, READER, 'List all metadata of a server', [['GET', `${SRV}/metadata`]]),
  rule(A.metadata.show, READER, 'Show metadata for a server', [['GET', MDK]]),
  rule(A.metadata.create, MEMBER, 'Create metadata for a server', [['POST', `${SRV}/metadata`]]),
  rule(A.metadata.updateAll, MEMBER, 'Replace metadata for a server', [['PUT', `${SRV}/metadata`]]),
  rule(A.metadata.update, MEMBER, 'Update metadata from a server', [['PUT', MDK]]),
  rule(A.metadata.delete, MEMBER, 'Delete metadata from a server', [['DELETE', MDK]]),
  rule(A.tags.deleteAll, MEMBER, 'Delete all the server tags', [['DELETE', TAGS]]),
  rule(A.tags.index, READER, 'List all tags for given server', [['GET', TAGS]]),
  rule(A.tags.updateAll, MEMBER, 'Replace all tags on specified server with the new set of tags.', [
    ['PUT', TAGS],
  ]),
  rule(A.tags.delete, MEMBER, 'Delete a single tag from the specified server', [['DELETE', `${TAGS}/{tag}`]]),
  rule(A.tags.update, MEMBER, 'Add a single tag to the server if server has no specified tag', [
    ['PUT', `${TAGS}/{tag}`],
  ]),
  rule(A.tags.show, READER, 'Check tag existence on the server.', [['GET', `${TAGS}/{tag}`]]),
  rule(
    A.password.show,
    READER,
    'Show the encrypted administrative password of a server',
    [['GET', `${SRV}/os-server-password`]],
    OLD_PW,
  ),
  rule(
    A.password.clear,
    MEMBER,
    'Clear the encrypted administrative password of a server',
    [['DELETE', `${SRV}/os-server-password`]],
    OLD_PW,
  ),
  rule(A.diagnostics, ADMIN, 'Show the usage data for a server', [['GET', `${SRV}/diagnostics`]]),
  rule(A.extendedAttributes, ADMIN, 'Return extended attributes for server', SHOWN),
  rule(A.topology.index, READER, 'Show the NUMA topology data for a server', [['GET', `${SRV}/topology`]]),
  rule(A.topology.hostIndex, ADMIN, 'Show the NUMA topology data for a server with host information', [
    ['GET', `${SRV}/topology`],
  ]),
  rule(
    A.securityGroups.list,
    READER,
    'List security groups of server.',
    [['GET', `${SRV}/os-security-groups`]],
    OLD_SG,
  ),
  rule(A.ips.show, READER, 'Show IP addresses details for a network label of a server', [
    ['GET', `${SRV}/ips/{network_label}`],
  ]),
  rule(A.ips.index, READER, 'List IP addresses that are assigned to a server', [['GET', `${SRV}/ips`]]),
  rule(A.interfaces.list, READER, 'List port interfaces attached to a server', [['GET', IFACE]], OLD_AI),
  rule(
    A.interfaces.show,
    READER,
    'Show details of a port interface attached to a server',
    [['GET', `${IFACE}/{port_id}`]],
    OLD_AI,
  ),
  rule(A.interfaces.create, MEMBER, 'Attach an interface to a server', [['POST', IFACE]], OLD_AI),
  rule(
    A.interfaces.delete,
    MEMBER,
    'Detach an interface from a server',
    [['DELETE', `${IFACE}/{port_id}`]],
    OLD_AI,
  ),
  rule(A.volumeAttachments.index, READER, 'List volume attachments for an instance', [['GET', VOLS]]),
  rule(A.volumeAttachments.create, MEMBER, 'Attach a volume to an instance', [['POST', VOLS]]),
  rule(A.volumeAttachments.show, READER, 'Show details of a volume attachment', [
    ['GET', `${VOLS}/{volume_id}`],
  ]),
  rule(A.volumeAttachments.update, MEMBER, 'Update a volume attachment', [['PUT', `${VOLS}/{volume_id}`]]),
  rule(A.volumeAttachments.swap, SERVICE_ROLE, 'Update a volume attachment with a different volumeId', [
    ['PUT', `${VOLS}/{volume_id}`],
  ]),
  rule(A.volumeAttachments.delete, MEMBER, 'Detach a volume from an instance', [
    ['DELETE', `${VOLS}/{volume_id}`],
  ]),
  rule(A.shares.index, READER, 'List all shares for given server', [['GET', SHARES]]),
  rule(A.shares.create, MEMBER, 'Attach a share to the specified server', [['POST', SHARES]]),
  rule(A.shares.show, READER, 'Show a share configured for the specified server', [
    ['GET', `${SHARES}/{share_id}`],
  ]),
  rule(A.shares.delete, MEMBER, 'Detach a share from the specified server', [
    ['DELETE', `${SHARES}/{share_id}`],
  ]),
];

export const SERVER_RULES: readonly RuleDefault[] = Object.freeze([
  ...SERVERS_RULES,
  ...MIGRATION_RULES,
  ...ACTION_RULES,
  ...SUB_RULES,
]);
