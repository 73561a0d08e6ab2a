// The clients daemons build from nova.conf: placement through [placement] (a clear one-line error
// when it is not configured).
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { StartupError } from '../faults/fault.ts';
import { type PlacementClient, placementClientFromConf } from '../placement-client/client.ts';

export function placementFromConf(conf: NovaConf, log: Logger, who: string): PlacementClient {
  try {
    return placementClientFromConf(conf, { log });
  } catch (err) {
    throw new StartupError(
      `${who} needs the placement API: ${(err as Error).message} (in the [placement] section of nova.conf).`,
    );
  }
}
