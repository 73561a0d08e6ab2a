// How a nova-compute daemon reaches the image service (snapshots, backups, shelve): [glance]
// api_servers (or endpoint_override), else the image endpoint of the service catalog, with tokens
// from [glance]'s keystoneauth options (auth_type/auth_url/credentials, or auth_section).
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { ImageClient } from '../image-client/client.ts';
import { imageEndpoints } from '../image-client/endpoint.ts';
import { ImageServiceError } from '../image-client/errors.ts';
import { fromConfGroup } from '../service-auth/token-source.ts';

/** The compute's image client factory; undefined (with a warning) when [glance] has no credentials. */
export function computeImagesFromConf(conf: NovaConf, log: Logger): (() => Promise<ImageClient>) | undefined {
  let tokens: ReturnType<typeof fromConfGroup>;
  try {
    tokens = fromConfGroup(conf, 'glance');
  } catch (err) {
    log.warn(
      { err },
      'no credentials in [glance]: snapshots, backups and shelve will fail on this compute until they are set',
    );
    return undefined;
  }
  const g = conf.glance;
  let endpoints: readonly string[] | undefined;
  try {
    endpoints = imageEndpoints(conf);
  } catch {
    endpoints = undefined; // from the catalog at first use
  }
  return async () => {
    if (!endpoints) {
      const url = await tokens.endpoint(
        g.service_type,
        g.valid_interfaces ?? ['internal', 'public'],
        g.region_name ?? undefined,
      );
      if (!url)
        throw new ImageServiceError(
          'No image service endpoint: set [glance] api_servers or a catalog entry.',
        );
      endpoints = [url];
    }
    return new ImageClient({ endpoints, token: () => tokens.token(), retries: g.num_retries });
  };
}
