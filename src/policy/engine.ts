// The policy engine (what oslo.policy's Enforcer does): rule defaults from code, overrides from
// policy.yaml, scope checks ([oslo_policy] enforce_scope) and old defaults OR-ed in while
// [oslo_policy] enforce_new_defaults is false.
import type { AuthContext } from '../auth/types.ts';
import type { Logger } from '../common/log.ts';
import { type Check, parseCheckString } from './check-parser.ts';
import { type Credentials, evaluate } from './evaluate.ts';
import { readPolicyFile } from './policy-file.ts';
import {
  type Enforcer,
  PolicyNotAuthorized,
  type PolicyTarget,
  type RuleDefault,
  type ScopeType,
} from './types.ts';

export interface EnforcerOptions {
  readonly defaults: readonly RuleDefault[];
  /** policy.yaml / policy.json with overrides; a missing file means none. */
  readonly policyFile?: string;
  readonly enforceScope: boolean;
  readonly enforceNewDefaults: boolean;
  readonly log?: Logger;
}

export interface PolicyEnforcer extends Enforcer {
  /** Re-reads the policy file (SIGHUP). */
  reload(): void;
  /** The effective check string of a rule (after overrides and deprecated fallbacks). */
  checkString(rule: string): string | undefined;
}

/** The credentials oslo.context hands to oslo.policy, from a validated token. */
export function credentialsOf(auth: AuthContext): Credentials {
  return {
    user_id: auth.user_id,
    user_domain_id: auth.user_domain_id,
    project_id: auth.project_id,
    project_domain_id: auth.project_domain_id,
    domain_id: auth.domain_id,
    system_scope: auth.system_scope,
    roles: auth.roles.map((r) => r.toLowerCase()),
    is_admin: auth.roles.some((r) => r.toLowerCase() === 'admin'),
    is_admin_project: auth.is_admin_project,
  };
}

function scopeOf(auth: AuthContext): ScopeType | undefined {
  if (auth.system_scope) return 'system';
  if (auth.domain_id) return 'domain';
  if (auth.project_id) return 'project';
  return undefined;
}

export function createEnforcer(opts: EnforcerOptions): PolicyEnforcer {
  const defaults = new Map(opts.defaults.map((d) => [d.name, d]));
  let rules = new Map<string, { text: string; check: Check }>();

  const load = () => {
    const next = new Map<string, { text: string; check: Check }>();
    for (const d of opts.defaults) {
      const text =
        d.deprecatedRule && !opts.enforceNewDefaults && d.deprecatedRule.checkStr !== d.checkStr
          ? `(${d.checkStr || '@'}) or (${d.deprecatedRule.checkStr || '@'})`
          : d.checkStr;
      next.set(d.name, { text, check: parseCheckString(text) });
    }
    if (opts.policyFile) {
      for (const [name, text] of readPolicyFile(opts.policyFile))
        next.set(name, { text, check: parseCheckString(text) });
    }
    rules = next;
  };
  load();

  const check = (rule: string, target: PolicyTarget, creds: AuthContext): boolean => {
    const entry = rules.get(rule) ?? rules.get('default');
    if (!entry) return false;
    const scopes = defaults.get(rule)?.scopeTypes;
    if (scopes && scopes.length > 0) {
      const scope = scopeOf(creds);
      if (!scope || !scopes.includes(scope)) {
        if (opts.enforceScope) return false;
        opts.log?.debug({ rule, scope }, 'policy rule checked with a token of another scope');
      }
    }
    return evaluate(entry.check, {
      target,
      creds: credentialsOf(creds),
      rule: (name) => rules.get(name)?.check,
    });
  };

  return {
    enforce: check,
    authorize(rule, target, creds) {
      if (!rules.has(rule)) throw new Error(`Policy rule ${rule} is not registered`);
      if (!check(rule, target, creds)) throw new PolicyNotAuthorized(rule);
    },
    reload: load,
    checkString: (rule) => rules.get(rule)?.text,
  };
}
