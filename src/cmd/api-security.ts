// How an API daemon authenticates and authorizes, from nova.conf: [api] auth_strategy (keystone →
// validate against [keystone_authtoken], noauth2 → test tokens) and [oslo_policy] (policy file,
// enforce_scope, enforce_new_defaults).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { noauth2Validator } from '../auth/noauth.ts';
import type { TokenValidator } from '../auth/types.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { StartupError } from '../faults/fault.ts';
import { keystoneValidator } from '../identity/keystone-validator.ts';
import { createEnforcer, type PolicyEnforcer } from '../policy/engine.ts';
import type { RuleDefault } from '../policy/types.ts';

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

/**
 * The policy file as oslo.policy finds it: an absolute path as is; a relative one next to the
 * configuration files, then in /etc/nova. Undefined when none exists (defaults only).
 */
export function findPolicyFile(conf: NovaConf, configFiles: readonly string[]): string | undefined {
  const name = conf.oslo_policy.policy_file;
  if (!name) return undefined;
  if (isAbsolute(name)) return name;
  const dirs = [...configFiles.map((f) => dirname(f)), '/etc/nova'];
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

export function enforcerFromConf(
  conf: NovaConf,
  defaults: readonly RuleDefault[],
  configFiles: readonly string[],
  log: Logger,
): PolicyEnforcer {
  return createEnforcer({
    defaults,
    policyFile: findPolicyFile(conf, configFiles),
    enforceScope: conf.oslo_policy.enforce_scope,
    enforceNewDefaults: conf.oslo_policy.enforce_new_defaults,
    log,
  });
}
