// Writes tempest.conf for an all-in-one: admin credentials with dynamic credentials, the services
// nova-ts serves, truthful feature flags, and the images/flavors the run created.
import { computeFeatures, SERVICES_AVAILABLE } from './features.ts';

export interface TempestTarget {
  readonly authUrl: string; // …/v3
  readonly region: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  readonly adminProject: string;
  readonly imageRef: string;
  readonly imageRefAlt: string;
  readonly flavorRef: string;
  readonly flavorRefAlt: string;
  readonly maxMicroversion: string;
  readonly logDir: string;
  readonly lockPath: string;
  /** The compute driver of the cloud (fake or qemu): some flags hold only with real guests. */
  readonly driver?: string;
  /** The external network the run created (router:external, for floating IPs and gateways). */
  readonly publicNetworkId: string;
  readonly publicNetworkName: string;
  /** The aliases the network service's /v2.0/extensions lists. */
  readonly networkExtensions: readonly string[];
}

const bool = (b: boolean) => (b ? 'True' : 'False');

export function tempestConf(t: TempestTarget): string {
  const sections: Record<string, Record<string, string>> = {
    DEFAULT: { log_dir: t.logDir, log_file: 'tempest.log', debug: 'False' },
    oslo_concurrency: { lock_path: t.lockPath },
    auth: {
      use_dynamic_credentials: 'True',
      admin_username: t.adminUser,
      admin_password: t.adminPassword,
      admin_project_name: t.adminProject,
      admin_domain_name: 'Default',
      // Each test project gets its own network, subnet and router (gateway on the public network).
      create_isolated_networks: 'True',
    },
    identity: {
      uri_v3: t.authUrl,
      auth_version: 'v3',
      region: t.region,
      v3_endpoint_type: 'public',
      disable_ssl_certificate_validation: 'True',
    },
    'identity-feature-enabled': { api_v3: 'True', api_v2: 'False' },
    compute: {
      image_ref: t.imageRef,
      image_ref_alt: t.imageRefAlt,
      flavor_ref: t.flavorRef,
      flavor_ref_alt: t.flavorRefAlt,
      region: t.region,
      min_microversion: '2.1',
      max_microversion: t.maxMicroversion,
      min_compute_nodes: '4',
      build_timeout: '120',
      fixed_network_name: '',
    },
    'compute-feature-enabled': Object.fromEntries(
      computeFeatures(t.driver ?? 'fake').map((f) => [f.name, bool(f.enabled)]),
    ),
    image: { region: t.region, build_timeout: '120' },
    'image-feature-enabled': { api_v2: 'True', api_v1: 'False', import_image: 'False' },
    network: {
      catalog_type: 'network',
      region: t.region,
      endpoint_type: 'publicURL',
      project_network_cidr: '10.100.0.0/16',
      project_network_mask_bits: '28',
      // The fake driver's guests are not on any wire: nothing is reachable from the test runner.
      project_networks_reachable: 'False',
      public_network_id: t.publicNetworkId,
      floating_network_name: t.publicNetworkName,
      build_timeout: '120',
    },
    'network-feature-enabled': {
      ipv6: 'False',
      api_extensions: t.networkExtensions.join(','),
      floating_ips: 'True',
    },
    validation: { run_validation: 'False', connect_method: 'fixed', auth_method: 'keypair' },
    service_available: Object.fromEntries(Object.entries(SERVICES_AVAILABLE).map(([k, v]) => [k, bool(v)])),
  };
  return Object.entries(sections)
    .map(
      ([name, opts]) =>
        `[${name}]\n${Object.entries(opts)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
    )
    .join('\n');
}
