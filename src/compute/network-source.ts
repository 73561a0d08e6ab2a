// How a nova-compute daemon reaches the network service (ports at build, release on delete):
// [neutron] endpoint_override (or url), else the network endpoint of the service catalog, with
// tokens from [neutron]'s keystoneauth options. Without credentials the compute builds servers
// without a network, and warns once at start.
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { NetworkClient, NetworkServiceError } from '../network-client/client.ts';
import { networkEndpoint } from '../network-client/endpoint.ts';
import { catalogEndpoint, fromConfGroup } from '../service-auth/token-source.ts';

export function computeNetworkFromConf(
  conf: NovaConf,
  log: Logger,
): (() => Promise<NetworkClient>) | undefined {
  let tokens: ReturnType<typeof fromConfGroup>;
  try {
    tokens = fromConfGroup(conf, 'neutron');
  } catch (err) {
    log.warn({ err }, 'no credentials in [neutron]: servers built on this compute get no network');
    return undefined;
  }
  const n = conf.neutron;
  let endpoint = networkEndpoint(conf);
  const client = new NetworkClient({
    endpoint: async () => {
      endpoint ??= await catalogEndpoint(tokens, n);
      if (!endpoint)
        throw new NetworkServiceError(
          'No network endpoint: set [neutron] endpoint_override or a catalog entry.',
          '',
        );
      return endpoint;
    },
    token: () => tokens.token(),
  });
  return async () => client;
}
