// [DEFAULT]: identity of this service, its listeners and its heartbeat (nova/conf/service.py,
// netconf.py, availability_zone.py, base.py upstream).
import { boolOpt, hostAddressOpt, intOpt, listOpt, pathOpt, portOpt, strOpt } from '../../opt.ts';

const API_NAMES = ['osapi_compute', 'metadata'] as const;
const REMOVED_APIS = {
  ec2: 'the EC2 API was removed from Nova',
  osapi_volume: 'the volume API moved to Cinder',
} as const;

export const serviceOpts = {
  host: strOpt({
    help:
      'Name of this host as other services see it: the compute service and RPC topic compute.<host> use it. ' +
      'Must be unique per compute service and must not change while instances run on it.',
    computedDefault: (ctx) => ctx.hostname,
    sampleDefault: '<current_hostname>',
  }),
  my_ip: strOpt({
    help: "This host's IP address on the management network; other defaults (VNC, migrations) derive from it.",
    computedDefault: (ctx) => ctx.myIp,
    sampleDefault: '<host_ipv4>',
  }),
  my_block_storage_ip: strOpt({
    help: 'IP address this host uses to reach block storage.',
    default: '$my_ip',
  }),
  console_host: strOpt({
    help: 'Host name of the console proxy this compute service points console clients at.',
    computedDefault: (ctx) => ctx.hostname,
    sampleDefault: '<current_hostname>',
  }),
  report_interval: intOpt({
    help: 'Seconds between heartbeats a service writes to the services table.',
    default: 10,
  }),
  service_down_time: intOpt({
    help: 'Seconds without a heartbeat after which a service counts as down. Keep it above report_interval.',
    default: 60,
  }),
  periodic_enable: boolOpt({ help: 'Run periodic tasks in this service.', default: true }),
  periodic_fuzzy_delay: intOpt({
    help: 'Up to this many seconds of random delay before the first periodic task run, to spread load.',
    default: 60,
    min: 0,
  }),
  periodic_interval: intOpt({
    help: 'Seconds between runs of the periodic task loop (an older Nova option nova-ts keeps).',
    default: 60,
    min: 1,
  }),
  servicegroup_driver: strOpt({
    help: 'How service liveness is tracked: db (heartbeats in the database) or mc (memcache).',
    default: 'db',
    choices: ['db', 'mc'],
  }),
  enable_new_services: boolOpt({
    help: 'Newly registered compute services start enabled. With false they start disabled.',
    default: true,
  }),
  enabled_apis: listOpt({
    help: 'APIs nova-api serves. EC2 and osapi_volume entries from old configs are dropped with a warning.',
    default: ['osapi_compute', 'metadata'],
    itemChoices: API_NAMES,
    removedItems: REMOVED_APIS,
  }),
  enabled_ssl_apis: listOpt({
    help: 'APIs served over TLS (needs [wsgi] ssl_cert_file and ssl_key_file).',
    default: [],
    itemChoices: API_NAMES,
  }),
  osapi_compute_listen: hostAddressOpt({
    help: 'Address the Compute API listens on.',
    default: '0.0.0.0',
  }),
  osapi_compute_listen_port: portOpt({ help: 'Port the Compute API listens on.', default: 8774 }),
  osapi_compute_workers: intOpt({
    help: 'Worker processes for the Compute API; unset means one per CPU.',
    min: 1,
  }),
  metadata_listen: hostAddressOpt({ help: 'Address the metadata service listens on.', default: '0.0.0.0' }),
  metadata_listen_port: portOpt({ help: 'Port the metadata service listens on.', default: 8775 }),
  metadata_workers: intOpt({
    help: 'Worker processes for the metadata service; unset means one per CPU.',
    min: 1,
  }),
  default_availability_zone: strOpt({
    help: 'Availability zone of compute services that are in no aggregate with an availability zone.',
    default: 'nova',
  }),
  default_schedule_zone: strOpt({
    help: 'Availability zone given to instances created without one; unset means any zone.',
  }),
  internal_service_availability_zone: strOpt({
    help: 'Availability zone shown for non-compute services (scheduler, conductor).',
    default: 'internal',
  }),
  password_length: intOpt({ help: 'Length of generated admin passwords.', default: 12, min: 0 }),
  instance_name_template: strOpt({
    help: 'Template for hypervisor-side instance names; %d / %x / %08x take the instance id.',
    default: 'instance-%08x',
  }),
  osapi_compute_unique_server_name_scope: strOpt({
    help: 'Where server names must be unique: empty (nowhere), project or global.',
    default: '',
    choices: ['', 'project', 'global'],
  }),
  rootwrap_config: pathOpt({
    help: 'Path to the rootwrap configuration file (nova-ts runs no rootwrap helpers; kept for old configs).',
    default: '/etc/nova/rootwrap.conf',
  }),
  use_rootwrap_daemon: boolOpt({ help: 'Run rootwrap as a daemon (unused by nova-ts).', default: false }),
  tempdir: pathOpt({ help: 'Directory for temporary files; unset means the system default.' }),
};
