// Key pair rules: admins, or the key pair's own user (nova/policies/keypairs.py).
import type { RuleDefault } from '../../../policy/types.ts';
import { ADMIN, rule } from './base.ts';

const R = 'os_compute_api:os-keypairs:';
const OWNER = `(${ADMIN}) or user_id:%(user_id)s`;

export const KEYPAIR_POLICIES = Object.freeze({
  index: `${R}index`,
  create: `${R}create`,
  delete: `${R}delete`,
  show: `${R}show`,
});

export const KEYPAIR_RULES: readonly RuleDefault[] = Object.freeze([
  rule(KEYPAIR_POLICIES.index, OWNER, 'List all keypairs', [['GET', '/os-keypairs']]),
  rule(KEYPAIR_POLICIES.create, OWNER, 'Create a keypair', [['POST', '/os-keypairs']]),
  rule(KEYPAIR_POLICIES.delete, OWNER, 'Delete a keypair', [['DELETE', '/os-keypairs/{keypair_name}']]),
  rule(KEYPAIR_POLICIES.show, OWNER, 'Show details of a keypair', [['GET', '/os-keypairs/{keypair_name}']]),
]);
