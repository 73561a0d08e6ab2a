// The network service in the identity catalog (type `network`, name `neutron`), ensured at every
// all-in-one start: a fresh state directory gets it right after bootstrap, an older one (made
// before the network service existed) gets it at its next start, and a moved port is followed.
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { ensureCatalog } from '../identity/bootstrap.ts';
import type { IdentityService } from '../identity/service.ts';

export async function ensureNetworkEndpoint(
  identity: IdentityService,
  conf: NovaConf,
  url: string,
  log: Logger,
): Promise<readonly string[]> {
  const changes: string[] = [];
  const base = (conf.network_service.public_endpoint ?? url).replace(/\/+$/, '');
  await ensureCatalog(
    identity.core.db,
    conf.identity.region_name,
    [{ type: 'network', name: 'neutron', urls: { public: base, internal: base, admin: base } }],
    changes,
  );
  if (changes.length > 0) identity.core.changed();
  for (const change of changes) log.info(`identity catalog: ${change}`);
  return changes;
}
