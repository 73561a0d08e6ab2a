// Client groups for services Nova calls over HTTP with keystoneauth: [placement], [cinder],
// [keystone] and [service_user]. [glance] and [neutron] have their own files (more legacy names).
import { defineGroup, withDeprecated } from '../group.ts';
import { boolOpt, intOpt, strOpt } from '../opt.ts';
import { authPluginOpts, clientOpts, sessionOpts } from './keystoneauth.ts';

export const placementGroup = defineGroup(
  'placement',
  'Placement client',
  'How Nova services reach the placement API.',
  withDeprecated(clientOpts('placement'), {
    region_name: [{ name: 'os_region_name' }],
    valid_interfaces: [{ name: 'os_interface' }],
  }),
);

export const cinderGroup = defineGroup('cinder', 'Cinder client', 'How Nova reaches the block storage API.', {
  ...withDeprecated(clientOpts('volumev3'), {
    region_name: [{ name: 'os_region_name' }, { group: 'DEFAULT', name: 'os_region_name' }],
    cafile: [{ group: 'DEFAULT', name: 'cinder_ca_certificates_file' }],
    insecure: [{ group: 'DEFAULT', name: 'cinder_api_insecure' }],
  }),
  catalog_info: strOpt({
    help: 'Catalog entry of the volume API as <service_type>:<service_name>:<interface>.',
    default: 'volumev3::publicURL',
    pattern: /^[\w-]+:\w*:.*$/,
    deprecated: [{ group: 'DEFAULT', name: 'cinder_catalog_info' }],
  }),
  endpoint_template: strOpt({
    help: 'Volume API URL template, e.g. http://cinder:8776/v3/%(project_id)s; overrides catalog_info.',
    deprecated: [{ group: 'DEFAULT', name: 'cinder_endpoint_template' }],
  }),
  http_retries: intOpt({
    help: 'Retries of failed volume API calls.',
    default: 3,
    min: 0,
    deprecated: [{ group: 'DEFAULT', name: 'cinder_http_retries' }],
  }),
  cross_az_attach: boolOpt({
    help: 'Allow attaching volumes from another availability zone than the instance.',
    default: true,
    deprecated: [{ group: 'DEFAULT', name: 'cinder_cross_az_attach' }],
  }),
  debug: boolOpt({ help: 'Log volume API requests and responses.', default: false }),
});

export const keystoneGroup = defineGroup(
  'keystone',
  'Keystone client',
  'How Nova reaches the Identity API (to check that projects exist, for example).',
  clientOpts('identity'),
);

export const novaGroup = defineGroup(
  'nova',
  'Nova client of the network service',
  "How the network service (`nova-ts network serve`) tells Nova about port changes (neutron.conf's " +
    '[nova]): keystoneauth credentials, or auth_type = noauth with endpoint_override.',
  clientOpts('compute'),
);

export const serviceUserGroup = defineGroup(
  'service_user',
  'Service user',
  "Credentials of the service token Nova sends along with the user's token to other services, so " +
    'that long operations do not fail when the user token expires.',
  {
    send_service_user_token: boolOpt({
      help: 'Send a service token with requests made on behalf of users.',
      default: false,
    }),
    ...authPluginOpts(),
    ...sessionOpts(),
  },
);
