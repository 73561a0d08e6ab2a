// The policy contract every API uses: rule defaults declared in code per resource (as upstream's
// nova/policies/*.py), checked by name with oslo.policy's check language, overridable by policy.yaml.
import type { AuthContext } from '../auth/types.ts';
import { Forbidden } from '../faults/fault.ts';

export type ScopeType = 'system' | 'domain' | 'project';

/** One rule default, e.g. { name: 'os_compute_api:os-keypairs:create', checkStr: 'rule:admin_or_owner', … }. */
export interface RuleDefault {
  readonly name: string;
  /** oslo.policy check string: 'role:admin', 'project_id:%(project_id)s', 'rule:x', '@', '!', and/or/not, (). */
  readonly checkStr: string;
  readonly description: string;
  /** The API operations the rule guards (documentation, sample policy files). */
  readonly operations?: readonly { readonly method: string; readonly path: string }[];
  readonly scopeTypes?: readonly ScopeType[];
  /** The rule's old default; honoured (OR-ed) when [oslo_policy] enforce_new_defaults is false. */
  readonly deprecatedRule?: { readonly name: string; readonly checkStr: string };
}

/** Data the rule is checked against (e.g. { project_id: <owner of the resource>, user_id: … }). */
export type PolicyTarget = Readonly<Record<string, unknown>>;

export interface Enforcer {
  /** True when `creds` may do `rule` on `target`. Unknown rules fall back to the 'default' rule. */
  enforce(rule: string, target: PolicyTarget, creds: AuthContext): boolean;
  /** Like enforce, but throws PolicyNotAuthorized (403). */
  authorize(rule: string, target: PolicyTarget, creds: AuthContext): void;
}

/** 403 with upstream's message: "Policy doesn't allow <rule> to be performed." */
export class PolicyNotAuthorized extends Forbidden {
  readonly rule: string;
  constructor(rule: string) {
    super(`Policy doesn't allow ${rule} to be performed.`, 'policy.not_authorized');
    this.rule = rule;
  }
}
