// [keystone_authtoken]: how the APIs validate incoming tokens (keystonemiddleware's auth_token
// options plus the auth plugin options of the service user that validates them). The pre-v3
// options (auth_host, admin_user, …) are listed in ignored.ts.
import { defineGroup } from '../group.ts';
import { boolOpt, intOpt, listOpt, pathOpt, strOpt } from '../opt.ts';
import { authPluginOpts } from './keystoneauth.ts';

const tokenOpts = {
  www_authenticate_uri: strOpt({
    help: 'Public Identity endpoint sent to clients in WWW-Authenticate when their token is rejected.',
    deprecated: [{ name: 'auth_uri' }],
  }),
  auth_version: strOpt({ help: 'Identity API version of the endpoint used to validate tokens.' }),
  interface: strOpt({ help: 'Catalog interface used to find the Identity endpoint.', default: 'internal' }),
  delay_auth_decision: boolOpt({
    help: 'Pass requests with invalid tokens on, marked, instead of rejecting them.',
    default: false,
  }),
  http_connect_timeout: intOpt({ help: 'Seconds to wait when connecting to the Identity service.' }),
  http_request_max_retries: intOpt({ help: 'Retries when talking to the Identity service.', default: 3 }),
  cache: strOpt({ help: 'Request environment key holding a cache to use (swift style).' }),
  certfile: pathOpt({ help: 'Client certificate for the Identity service.' }),
  keyfile: pathOpt({ help: 'Client certificate key for the Identity service.' }),
  cafile: pathOpt({ help: 'CA bundle to verify the Identity service with.' }),
  insecure: boolOpt({ help: 'Do not verify the Identity service HTTPS certificate.', default: false }),
  region_name: strOpt({ help: 'Region of the Identity service.' }),
  memcached_servers: listOpt({
    help: 'memcached servers (host:port) for the token cache; unset means an in-process cache.',
    deprecated: [{ name: 'memcache_servers' }],
  }),
  token_cache_time: intOpt({
    help: 'Seconds a validated token stays cached; -1 disables the cache.',
    default: 300,
  }),
  memcache_security_strategy: strOpt({
    help: 'Protect cached tokens: None, MAC (authenticated) or ENCRYPT.',
    default: 'None',
    choices: ['None', 'MAC', 'ENCRYPT'],
  }),
  memcache_secret_key: strOpt({ help: 'Key for memcache_security_strategy MAC or ENCRYPT.', secret: true }),
  memcache_pool_dead_retry: intOpt({ help: 'Seconds a dead memcached server is left alone.', default: 300 }),
  memcache_pool_maxsize: intOpt({ help: 'Connections per memcached server.', default: 10 }),
  memcache_pool_socket_timeout: intOpt({ help: 'Seconds to wait on a memcached socket.', default: 3 }),
  memcache_use_advanced_pool: boolOpt({ help: 'Use the advanced memcached connection pool.', default: true }),
  include_service_catalog: boolOpt({
    help: 'Ask for the service catalog with validated tokens.',
    default: true,
  }),
  enforce_token_bind: strOpt({
    help: 'Token binding check: disabled, permissive, strict, required, or a bind type.',
    default: 'permissive',
  }),
  service_token_roles: listOpt({
    help: 'Roles of which a service token must hold at least one to count as a service token.',
    default: ['service'],
  }),
  service_token_roles_required: boolOpt({
    help: 'Reject service tokens without one of service_token_roles (otherwise just log it).',
    default: true,
  }),
  service_type: strOpt({ help: 'Service type of this API, for service-specific access rules.' }),
};

export const keystoneAuthtokenGroup = defineGroup(
  'keystone_authtoken',
  'Token validation',
  'How the APIs validate the tokens clients send (keystonemiddleware options), and the service ' +
    'credentials they validate them with.',
  { ...tokenOpts, ...authPluginOpts() },
);
