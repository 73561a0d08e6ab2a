// Where Nova finds the network API: [neutron] endpoint_override (or the old [neutron] url), else
// the token's catalog (service type [neutron] service_type, the first of [neutron]
// valid_interfaces present, region [neutron] region_name). Undefined: no network service.
import type { AuthContext } from '../auth/types.ts';
import type { NovaConf } from '../config/index.ts';
import { fromCatalog } from '../image-client/endpoint.ts';
import { NetworkClient } from './client.ts';

export function networkEndpoint(conf: NovaConf, catalog?: readonly unknown[]): string | undefined {
  const n = conf.neutron;
  if (n.endpoint_override) return n.endpoint_override;
  if (n.url) return n.url;
  if (!catalog) return undefined;
  return fromCatalog(catalog, {
    serviceType: n.service_type,
    interfaces: n.valid_interfaces ?? [],
    ...(n.region_name ? { region: n.region_name } : {}),
  });
}

/** A client acting with the caller's own token, or undefined when no network service is known. */
export function callerNetworkClient(conf: NovaConf, auth: AuthContext): NetworkClient | undefined {
  const endpoint = networkEndpoint(conf, auth.catalog);
  return endpoint ? new NetworkClient({ endpoint, token: auth.token }) : undefined;
}
