// How an API daemon authenticates, from nova.conf: [api] auth_strategy (keystone → validate against
// [keystone_authtoken], noauth2 → test tokens). Authorization: src/policy/from-conf.ts.
import { noauth2Validator } from '../auth/noauth.ts';
import type { TokenValidator } from '../auth/types.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { StartupError } from '../faults/fault.ts';
import { keystoneValidator } from '../identity/keystone-validator.ts';

export function validatorFromConf(conf: NovaConf, log: Logger): TokenValidator {
  if (conf.api.auth_strategy === 'noauth2') {
    log.warn('[api] auth_strategy = noauth2: tokens are not validated (for tests only)');
    return noauth2Validator();
  }
  if (!conf.keystone_authtoken.auth_url) {
    throw new StartupError(
      '[keystone_authtoken] auth_url is not set: set it to the identity service (e.g. http://controller:5000/v3) with username/password/project_name, or [api] auth_strategy = noauth2 for tests.',
    );
  }
  return keystoneValidator(conf.keystone_authtoken, { log });
}
