// Every Compute API rule default, for the policy engine (and a sample policy file). Add a
// resource's list here when its routes arrive.
import type { RuleDefault } from '../../../policy/types.ts';
import { BASE_RULES } from './base.ts';
import { FLAVOR_RULES } from './flavors.ts';
import { HOSTS_ADMIN_RULES } from './hosts-admin.ts';
import { INFRA_RULES } from './infra.ts';
import { KEYPAIR_RULES } from './keypairs.ts';
import { PROXY_RULES } from './proxies.ts';
import { QUOTA_RULES } from './quotas.ts';
import { SERVER_RULES } from './servers.ts';
import { USAGE_RULES } from './usage.ts';

export const COMPUTE_POLICY_DEFAULTS: readonly RuleDefault[] = Object.freeze([
  ...BASE_RULES,
  ...FLAVOR_RULES,
  ...KEYPAIR_RULES,
  ...QUOTA_RULES,
  ...INFRA_RULES,
  ...HOSTS_ADMIN_RULES,
  ...USAGE_RULES,
  ...PROXY_RULES,
  ...SERVER_RULES,
]);
