import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthContext } from '../../auth/types.ts';
import { createEnforcer } from '../../policy/engine.ts';
import { IDENTITY_POLICY_DEFAULTS } from './index.ts';

const enforcer = createEnforcer({
  defaults: IDENTITY_POLICY_DEFAULTS,
  enforceScope: true,
  enforceNewDefaults: true,
});
const ctx = (roles: string[], extra: Partial<AuthContext> = {}): AuthContext => ({
  token: 't',
  user_id: 'u1',
  user_domain_id: 'default',
  roles,
  is_admin_project: true,
  ...extra,
});
const project = { project_id: 'p1', project_domain_id: 'default' };

describe('identity policy defaults', () => {
  it('parses every rule and has unique names', () => {
    const names = IDENTITY_POLICY_DEFAULTS.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
  });
  it('admin may do everything; a project member may not create users', () => {
    const target = { 'target.user.domain_id': 'default' };
    assert.equal(enforcer.enforce('identity:create_user', target, ctx(['admin'], project)), true);
    assert.equal(enforcer.enforce('identity:create_user', target, ctx(['member', 'reader'], project)), false);
  });
  it('a user may read themselves and their project; a system reader may list users', () => {
    assert.equal(
      enforcer.enforce(
        'identity:get_user',
        { 'target.user.id': 'u1', 'target.user.domain_id': 'd' },
        ctx(['reader'], project),
      ),
      true,
    );
    assert.equal(
      enforcer.enforce(
        'identity:get_user',
        { 'target.user.id': 'u2', 'target.user.domain_id': 'd' },
        ctx(['reader'], project),
      ),
      false,
    );
    assert.equal(
      enforcer.enforce(
        'identity:get_project',
        { 'target.project.id': 'p1', 'target.project.domain_id': 'default' },
        ctx(['reader'], project),
      ),
      true,
    );
    assert.equal(enforcer.enforce('identity:list_users', {}, ctx(['reader'], { system_scope: 'all' })), true);
  });
  it('a domain manager may grant member but not admin in their domain', () => {
    const dm = ctx(['manager', 'member', 'reader'], { domain_id: 'd1' });
    const t = (role: string) => ({
      'target.user.domain_id': 'd1',
      'target.project.domain_id': 'd1',
      'target.role.name': role,
    });
    assert.equal(enforcer.enforce('identity:create_grant', t('member'), dm), true);
    assert.equal(enforcer.enforce('identity:create_grant', t('admin'), dm), false);
  });
  it('anyone scoped may list regions and read their own catalog', () => {
    assert.equal(enforcer.enforce('identity:list_regions', {}, ctx(['reader'], project)), true);
    assert.equal(enforcer.enforce('identity:get_auth_catalog', {}, ctx(['reader'], project)), true);
  });
});
