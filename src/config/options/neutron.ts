// [neutron]: how Nova reaches the network API. Configs from the Quantum/Neutron-in-DEFAULT days
// (neutron_url, quantum_admin_username, …) map to their keystoneauth-era names here.
import { defineGroup, withDeprecated } from '../group.ts';
import { boolOpt, intOpt, listOpt, strOpt, uriOpt } from '../opt.ts';
import { clientOpts } from './keystoneauth.ts';

const legacy = (suffix: string) => [
  { group: 'DEFAULT', name: `neutron_${suffix}` },
  { group: 'DEFAULT', name: `quantum_${suffix}` },
];

export const neutronGroup = defineGroup('neutron', 'Neutron client', 'How Nova reaches the network API.', {
  ...withDeprecated(clientOpts('network'), {
    username: [...legacy('admin_username'), { name: 'admin_username' }],
    password: [...legacy('admin_password'), { name: 'admin_password' }],
    project_name: [...legacy('admin_tenant_name'), { name: 'admin_tenant_name' }],
    project_id: [...legacy('admin_tenant_id'), { name: 'admin_tenant_id' }],
    auth_url: [...legacy('admin_auth_url'), { name: 'admin_auth_url' }],
    region_name: legacy('region_name'),
    timeout: [...legacy('url_timeout'), { name: 'url_timeout' }],
    cafile: legacy('ca_certificates_file'),
    insecure: legacy('api_insecure'),
  }),
  url: uriOpt({
    help: 'Network API endpoint of old configs; used as endpoint_override when that is unset.',
    sampleDefault: 'http://127.0.0.1:9696',
    deprecated: legacy('url'),
    deprecatedForRemoval: 'use [neutron] endpoint_override',
  }),
  ovs_bridge: strOpt({
    help: 'Open vSwitch integration bridge instances are plugged into.',
    default: 'br-int',
    deprecated: legacy('ovs_bridge'),
  }),
  default_floating_pool: strOpt({
    help: 'External network floating IPs come from when a request names none.',
    default: 'nova',
    deprecated: [{ group: 'DEFAULT' }],
  }),
  extension_sync_interval: intOpt({
    help: 'Seconds between refreshes of the network API extension list.',
    default: 600,
    min: 0,
  }),
  physnets: listOpt({
    help: 'Physical networks this compute host is attached to (for NUMA affinity).',
    default: [],
  }),
  http_retries: intOpt({ help: 'Retries of failed network API calls.', default: 3, min: 0 }),
  service_metadata_proxy: boolOpt({
    help: "Trust metadata requests proxied by the network service's metadata proxy.",
    default: false,
    deprecated: [
      { group: 'DEFAULT', name: 'service_neutron_metadata_proxy' },
      { group: 'DEFAULT', name: 'service_quantum_metadata_proxy' },
    ],
  }),
  metadata_proxy_shared_secret: strOpt({
    help: 'Secret shared with the metadata proxy to sign proxied requests.',
    default: '',
    secret: true,
    deprecated: legacy('metadata_proxy_shared_secret'),
  }),
});
