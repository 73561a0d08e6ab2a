// How a nova-compute daemon reaches the image service (images to boot, snapshots, backups,
// shelve): [glance] api_servers (or endpoint_override), else the image endpoint of the service
// catalog, with tokens from [glance]'s keystoneauth options (auth_type/auth_url/credentials, or
// auth_section), or without those the token of the request at hand.
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { ImageClient } from '../image-client/client.ts';
import { imageEndpoints } from '../image-client/endpoint.ts';
import { ImageServiceError } from '../image-client/errors.ts';
import { currentContext } from '../rpc/index.ts';
import { catalogEndpoint, fromConfGroup } from '../service-auth/token-source.ts';

/**
 * The compute's image client factory. With [glance] credentials every call uses the service's
 * token; without them (the install guides' nova.conf has only api_servers), as upstream, the token
 * of the request being handled (the user's, carried in the RPC context). Undefined, with a
 * warning, when there is no way to reach the image service at all.
 */
export function computeImagesFromConf(conf: NovaConf, log: Logger): (() => Promise<ImageClient>) | undefined {
  const g = conf.glance;
  let endpoints: readonly string[] | undefined;
  try {
    endpoints = imageEndpoints(conf);
  } catch {
    endpoints = undefined; // from the catalog at first use
  }
  let tokens: ReturnType<typeof fromConfGroup> | undefined;
  try {
    tokens = fromConfGroup(conf, 'glance');
  } catch (err) {
    if (!endpoints) {
      log.warn(
        { err },
        'no [glance] api_servers and no credentials: image downloads, snapshots, backups and shelve will fail on this compute',
      );
      return undefined;
    }
    log.info("no credentials in [glance]: the image service is called with each request's own token");
  }
  const callerToken = async (): Promise<string> => {
    const token = currentContext()?.auth_token;
    if (!token)
      throw new ImageServiceError(
        'No token for the image service: this request carries none and [glance] has no credentials.',
      );
    return token;
  };
  return async () => {
    if (!endpoints) {
      const url = tokens ? await catalogEndpoint(tokens, g) : undefined;
      if (!url)
        throw new ImageServiceError(
          'No image service endpoint: set [glance] api_servers or a catalog entry.',
        );
      endpoints = [url];
    }
    const source = tokens;
    return new ImageClient({
      endpoints,
      token: source ? () => source.token() : callerToken,
      retries: g.num_retries,
    });
  };
}
