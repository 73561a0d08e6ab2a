// keystoneauth's option sets, shared by every group that talks to another service ([placement],
// [glance], [neutron], [cinder], [keystone], [service_user]) and, for the auth plugin part, by
// [keystone_authtoken]. keystoneauth registers plugin options by auth_type at run time; nova-ts
// registers the password plugin's options (the only plugin it implements) up front.
import { boolOpt, floatOpt, intOpt, listOpt, pathOpt, strOpt } from '../opt.ts';

export function authPluginOpts() {
  return {
    auth_type: strOpt({ help: 'Authentication plugin: password (v3 password) is what nova-ts implements.' }),
    auth_section: strOpt({ help: 'Another config section to read the auth options from.' }),
    auth_url: strOpt({ help: 'Identity (Keystone) endpoint to authenticate against.' }),
    system_scope: strOpt({ help: 'Scope to the system (value "all") instead of a project.' }),
    domain_id: strOpt({ help: 'Domain ID to scope to.' }),
    domain_name: strOpt({ help: 'Domain name to scope to.' }),
    project_id: strOpt({ help: 'Project ID to scope to.' }),
    project_name: strOpt({ help: 'Project name to scope to.' }),
    project_domain_id: strOpt({ help: 'Domain ID of the project.' }),
    project_domain_name: strOpt({ help: 'Domain name of the project.' }),
    trust_id: strOpt({ help: 'Trust to use as the trustee.' }),
    default_domain_id: strOpt({ help: 'Domain ID for user and project when their own is not given.' }),
    default_domain_name: strOpt({ help: 'Domain name for user and project when their own is not given.' }),
    user_id: strOpt({ help: 'User ID to authenticate as.' }),
    username: strOpt({ help: 'User name to authenticate as.' }),
    user_domain_id: strOpt({ help: 'Domain ID of the user.' }),
    user_domain_name: strOpt({ help: 'Domain name of the user.' }),
    password: strOpt({ help: 'Password of the user.', secret: true }),
  };
}

export function sessionOpts() {
  return {
    cafile: pathOpt({ help: 'PEM bundle of CAs to verify HTTPS connections with.' }),
    certfile: pathOpt({ help: 'PEM client certificate.' }),
    keyfile: pathOpt({ help: 'PEM client certificate key.' }),
    insecure: boolOpt({ help: 'Do not verify HTTPS certificates.', default: false }),
    timeout: intOpt({ help: 'Seconds to wait for an HTTP response.' }),
    collect_timing: boolOpt({ help: 'Record per-API-call timings.', default: false }),
    split_loggers: boolOpt({ help: 'Log requests to separate loggers.', default: false }),
  };
}

export function adapterOpts(serviceType: string) {
  return {
    service_type: strOpt({ help: 'Service type to look up in the catalog.', default: serviceType }),
    service_name: strOpt({ help: 'Service name to look up in the catalog.' }),
    valid_interfaces: listOpt({
      help: 'Catalog interfaces to use, most preferred first.',
      default: ['internal', 'public'],
    }),
    region_name: strOpt({ help: 'Region of the endpoint.' }),
    endpoint_override: strOpt({ help: 'Use this endpoint instead of looking one up in the catalog.' }),
    version: strOpt({ help: 'Minimum major API version (with min/max_version unset).' }),
    min_version: strOpt({ help: 'Lowest acceptable major API version.' }),
    max_version: strOpt({ help: 'Highest acceptable major API version.' }),
    connect_retries: intOpt({ help: 'Retries when connecting fails.' }),
    connect_retry_delay: floatOpt({
      help: 'Seconds between connection retries; unset means exponential backoff.',
    }),
    status_code_retries: intOpt({ help: 'Retries on retriable HTTP status codes.' }),
    status_code_retry_delay: floatOpt({ help: 'Seconds between status code retries.' }),
    retriable_status_codes: listOpt({ help: 'HTTP status codes that are retried.' }),
  };
}

/** Auth plugin + session + adapter: a complete client group. */
export function clientOpts(serviceType: string) {
  return { ...authPluginOpts(), ...sessionOpts(), ...adapterOpts(serviceType) };
}
