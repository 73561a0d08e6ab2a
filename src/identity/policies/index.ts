// Every policy default of the identity API (explicit list), for createEnforcer({ defaults }).
import type { RuleDefault } from '../../policy/types.ts';
import { ASSIGNMENT_RULES } from './assignments.ts';
import { BASE_RULES } from './base.ts';
import { RESOURCE_RULES } from './resources.ts';

export const IDENTITY_POLICY_DEFAULTS: readonly RuleDefault[] = Object.freeze([
  ...BASE_RULES,
  ...RESOURCE_RULES,
  ...ASSIGNMENT_RULES,
]);
