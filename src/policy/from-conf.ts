// An API's enforcer from nova.conf: its rule defaults, [oslo_policy] enforce_scope and
// enforce_new_defaults, and the policy file found as oslo.policy finds it.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { createEnforcer, type PolicyEnforcer } from './engine.ts';
import type { RuleDefault } from './types.ts';

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
  log?: Logger,
): PolicyEnforcer {
  return createEnforcer({
    defaults,
    policyFile: findPolicyFile(conf, configFiles),
    enforceScope: conf.oslo_policy.enforce_scope,
    enforceNewDefaults: conf.oslo_policy.enforce_new_defaults,
    log,
  });
}
