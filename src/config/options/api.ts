// [api] (the Compute API and metadata service) and [wsgi] (their HTTP servers).
import { defineGroup } from '../group.ts';
import { boolOpt, intOpt, listOpt, pathOpt, strOpt } from '../opt.ts';

const fromDefault = [{ group: 'DEFAULT' }] as const;

export const apiGroup = defineGroup(
  'api',
  'Compute API',
  'Behaviour of the Compute API and the metadata service.',
  {
    auth_strategy: strOpt({
      help: 'How API requests are authenticated: keystone tokens, or noauth2 (testing only: trusts the user named).',
      default: 'keystone',
      choices: ['keystone', 'noauth2'],
      deprecated: fromDefault,
    }),
    use_forwarded_for: boolOpt({
      help: 'Take the client address from X-Forwarded-For (only behind a trusted proxy).',
      default: false,
      deprecated: fromDefault,
    }),
    max_limit: intOpt({
      help: 'Most items one list request returns.',
      default: 1000,
      min: 0,
      deprecated: [{ group: 'DEFAULT', name: 'osapi_max_limit' }],
    }),
    compute_link_prefix: strOpt({
      help: 'Replace scheme, host and port of Compute API links with this URL (behind a proxy).',
      deprecated: [{ group: 'DEFAULT', name: 'osapi_compute_link_prefix' }],
    }),
    glance_link_prefix: strOpt({
      help: 'Replace scheme, host and port of image links with this URL.',
      deprecated: [{ group: 'DEFAULT', name: 'osapi_glance_link_prefix' }],
    }),
    instance_list_per_project_cells: boolOpt({
      help: 'List instances only from cells where the project has instances.',
      default: false,
    }),
    instance_list_cells_batch_strategy: strOpt({
      help: 'How a multi-cell instance list splits its limit across cells: distributed or fixed.',
      default: 'distributed',
      choices: ['distributed', 'fixed'],
    }),
    instance_list_cells_batch_fixed_size: intOpt({
      help: 'Batch size per cell with the fixed strategy.',
      default: 100,
      min: 100,
    }),
    list_records_by_skipping_down_cells: boolOpt({
      help: 'Leave unreachable cells out of list results instead of failing the request.',
      default: true,
    }),
    use_neutron_default_nets: boolOpt({
      help: 'Give servers created without networks the networks shared with neutron_default_project_id.',
      default: false,
      deprecated: fromDefault,
    }),
    neutron_default_project_id: strOpt({
      help: 'Project whose networks are the default networks (with use_neutron_default_nets).',
      default: 'default',
      deprecated: [
        { name: 'neutron_default_tenant_id' },
        { group: 'DEFAULT', name: 'neutron_default_tenant_id' },
      ],
    }),
    enable_instance_password: boolOpt({
      help: 'Return the admin password in create, rebuild and rescue responses.',
      default: true,
      deprecated: fromDefault,
    }),
    response_validation: strOpt({
      help: 'What to do when a response fails its schema: error (500), warn (log) or ignore.',
      default: 'warn',
      choices: ['error', 'warn', 'ignore'],
    }),
    config_drive_skip_versions: strOpt({
      help: 'Metadata versions left out of config drives, space separated.',
      default: '1.0 2007-01-19 2007-03-01 2007-08-29 2007-10-10 2007-12-15 2008-02-01 2008-09-01',
      deprecated: fromDefault,
    }),
    vendordata_providers: listOpt({
      help: 'Sources of vendor data: StaticJSON (a file) and/or DynamicJSON (REST services).',
      default: ['StaticJSON'],
      itemChoices: ['StaticJSON', 'DynamicJSON'],
      deprecated: fromDefault,
    }),
    vendordata_jsonfile_path: pathOpt({
      help: 'JSON file served as static vendor data.',
      deprecated: fromDefault,
    }),
    vendordata_dynamic_targets: listOpt({
      help: 'REST services asked for dynamic vendor data, as name@url.',
      default: [],
      deprecated: fromDefault,
    }),
    vendordata_dynamic_connect_timeout: intOpt({
      help: 'Seconds to wait when connecting to a dynamic vendor data service.',
      default: 5,
      min: 3,
      deprecated: fromDefault,
    }),
    vendordata_dynamic_read_timeout: intOpt({
      help: 'Seconds to wait for a dynamic vendor data response.',
      default: 5,
      min: 0,
      deprecated: fromDefault,
    }),
    vendordata_dynamic_failure_fatal: boolOpt({
      help: 'Fail the metadata request when a dynamic vendor data service fails.',
      default: false,
    }),
    metadata_cache_expiration: intOpt({
      help: 'Seconds metadata responses are cached; 0 disables caching.',
      default: 15,
      min: 0,
      deprecated: fromDefault,
    }),
    local_metadata_per_cell: boolOpt({
      help: 'The metadata service runs per cell and reads only its cell database.',
      default: false,
    }),
    dhcp_domain: strOpt({
      help: 'Domain appended to the hostname in metadata; empty for none.',
      default: 'novalocal',
      deprecated: fromDefault,
    }),
  },
);

export const wsgiGroup = defineGroup('wsgi', 'API servers', 'HTTP server settings of the APIs.', {
  api_paste_config: pathOpt({
    help: 'Paste pipeline file of upstream Nova. nova-ts builds its pipeline in code; accepted for old configs.',
    default: 'api-paste.ini',
    deprecated: fromDefault,
  }),
  wsgi_log_format: strOpt({
    help: 'Format of access log lines (upstream Python format).',
    default:
      '%(client_ip)s "%(request_line)s" status: %(status_code)s len: %(body_length)s time: %(wall_seconds).7f',
    deprecated: fromDefault,
  }),
  secure_proxy_ssl_header: strOpt({
    help: 'Header a TLS-terminating proxy sets to tell the original scheme, e.g. X-Forwarded-Proto.',
    deprecated: fromDefault,
  }),
  ssl_ca_file: pathOpt({ help: 'CA bundle to verify clients with.', deprecated: fromDefault }),
  ssl_cert_file: pathOpt({ help: 'TLS certificate of the API servers.', deprecated: fromDefault }),
  ssl_key_file: pathOpt({ help: 'TLS key of the API servers.', deprecated: fromDefault }),
  tcp_keepidle: intOpt({
    help: 'Seconds before TCP keepalive probes start.',
    default: 600,
    min: 0,
    deprecated: fromDefault,
  }),
  default_pool_size: intOpt({
    help: 'Concurrent requests one API worker serves.',
    default: 1000,
    min: 0,
    deprecated: [{ group: 'DEFAULT', name: 'wsgi_default_pool_size' }],
  }),
  max_header_line: intOpt({
    help: 'Longest accepted request header line.',
    default: 16384,
    min: 0,
    deprecated: fromDefault,
  }),
  keep_alive: boolOpt({
    help: 'Keep client connections open between requests.',
    default: true,
    deprecated: [{ group: 'DEFAULT', name: 'wsgi_keep_alive' }],
  }),
  client_socket_timeout: intOpt({
    help: 'Seconds an idle client connection stays open; 0 waits forever.',
    default: 900,
    min: 0,
    deprecated: fromDefault,
  }),
});
