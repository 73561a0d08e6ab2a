// Where Nova finds the image API: [glance] api_servers (tried in turn), else [glance]
// endpoint_override, else the token's catalog (service type [glance] service_type, the first of
// [glance] valid_interfaces present, region [glance] region_name).
import type { NovaConf } from '../config/index.ts';
import { ImageServiceError } from './errors.ts';

interface CatalogEndpoint {
  readonly interface?: string;
  readonly region?: string;
  readonly region_id?: string;
  readonly url?: string;
}
interface CatalogService {
  readonly type?: string;
  readonly endpoints?: readonly CatalogEndpoint[];
}

const withScheme = (s: string) => (/^[a-z]+:\/\//i.test(s) ? s : `http://${s}`);

/** The catalog's URL for the image service, or undefined. */
export function fromCatalog(
  catalog: readonly unknown[],
  opts: { serviceType: string; interfaces: readonly string[]; region?: string },
): string | undefined {
  const services = (catalog as CatalogService[]).filter((s) => s.type === opts.serviceType);
  for (const iface of opts.interfaces.length > 0 ? opts.interfaces : ['internal', 'public']) {
    for (const s of services) {
      const ep = (s.endpoints ?? []).find(
        (e) =>
          (e.interface === iface || e.interface === `${iface}URL`) &&
          (!opts.region || e.region === opts.region || e.region_id === opts.region),
      );
      if (ep?.url) return ep.url;
    }
  }
  return undefined;
}

/** The image API base URLs to try, in order. */
export function imageEndpoints(conf: NovaConf, catalog?: readonly unknown[]): readonly string[] {
  const g = conf.glance;
  if (g.api_servers && g.api_servers.length > 0) return g.api_servers.map(withScheme);
  if (g.endpoint_override) return [g.endpoint_override];
  const url = catalog
    ? fromCatalog(catalog, {
        serviceType: g.service_type,
        interfaces: g.valid_interfaces ?? [],
        region: g.region_name,
      })
    : undefined;
  if (url) return [url];
  throw new ImageServiceError(
    'No image service endpoint: set [glance] api_servers, or use a token whose catalog has an ' +
      `"${g.service_type}" endpoint.`,
  );
}
