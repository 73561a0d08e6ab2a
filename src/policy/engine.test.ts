import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { AuthContext } from '../auth/types.ts';
import { parseCheckString } from './check-parser.ts';
import { createEnforcer } from './engine.ts';
import { parsePolicyText } from './policy-file.ts';
import { PolicyNotAuthorized, type RuleDefault } from './types.ts';

const member: AuthContext = {
  token: 't',
  user_id: 'u1',
  project_id: 'p1',
  roles: ['member', 'reader'],
  is_admin_project: true,
};
const admin: AuthContext = {
  ...member,
  user_id: 'a1',
  project_id: 'admin-p',
  roles: ['admin', 'manager', 'member', 'reader'],
};
const reader: AuthContext = { ...member, roles: ['reader'] };
const system: AuthContext = {
  token: 't',
  user_id: 'a1',
  system_scope: 'all',
  roles: ['admin', 'reader'],
  is_admin_project: false,
};

const DEFAULTS: readonly RuleDefault[] = [
  { name: 'context_is_admin', checkStr: 'role:admin', description: 'admin' },
  { name: 'admin_or_owner', checkStr: 'is_admin:True or project_id:%(project_id)s', description: 'x' },
  {
    name: 'project_member_or_admin',
    checkStr: 'rule:context_is_admin or (role:member and project_id:%(project_id)s)',
    description: 'x',
  },
  {
    name: 'project_reader_or_admin',
    checkStr: 'rule:context_is_admin or (role:reader and project_id:%(project_id)s)',
    description: 'x',
  },
  {
    name: 'os_compute_api:os-keypairs:create',
    checkStr: 'rule:project_member_or_admin',
    description: 'create',
    scopeTypes: ['project'],
  },
  {
    name: 'os_compute_api:os-keypairs:index',
    checkStr: 'rule:project_reader_or_admin',
    description: 'list',
    scopeTypes: ['project'],
  },
  {
    name: 'os_compute_api:os-hosts:list',
    checkStr: 'rule:context_is_admin',
    description: 'hosts',
    scopeTypes: ['project'],
  },
  {
    name: 'os_compute_api:old-and-new',
    checkStr: 'role:admin',
    description: 'x',
    deprecatedRule: { name: 'os_compute_api:old', checkStr: 'rule:admin_or_owner' },
  },
];

describe('policy check language', () => {
  test('parses and/or/not with precedence and parentheses', () => {
    assert.deepEqual(parseCheckString('a:1 or b:2 and not c:3'), {
      kind: 'or',
      checks: [
        { kind: 'generic', left: 'a', right: '1' },
        {
          kind: 'and',
          checks: [
            { kind: 'generic', left: 'b', right: '2' },
            { kind: 'not', check: { kind: 'generic', left: 'c', right: '3' } },
          ],
        },
      ],
    });
    assert.deepEqual(parseCheckString('(role:a or role:b) and @'), {
      kind: 'and',
      checks: [
        {
          kind: 'or',
          checks: [
            { kind: 'role', role: 'a' },
            { kind: 'role', role: 'b' },
          ],
        },
        { kind: 'true' },
      ],
    });
    assert.deepEqual(parseCheckString(''), { kind: 'true' });
    assert.deepEqual(parseCheckString("'member':%(role.name)s"), {
      kind: 'literal',
      value: 'member',
      right: '%(role.name)s',
    });
  });

  test('rejects malformed check strings with a message naming them', () => {
    assert.throws(() => parseCheckString('role:a or'), /Invalid policy check string 'role:a or'/);
    assert.throws(() => parseCheckString('(role:a'), /missing '\)'/);
    assert.throws(() => parseCheckString('nonsense'), /Invalid policy check 'nonsense'/);
  });
});

describe('enforcer', () => {
  const e = createEnforcer({ defaults: DEFAULTS, enforceScope: true, enforceNewDefaults: true });

  test('owner checks substitute the target', () => {
    assert.equal(e.enforce('os_compute_api:os-keypairs:create', { project_id: 'p1' }, member), true);
    assert.equal(e.enforce('os_compute_api:os-keypairs:create', { project_id: 'p2' }, member), false);
    assert.equal(e.enforce('os_compute_api:os-keypairs:create', { project_id: 'p2' }, admin), true);
    assert.equal(
      e.enforce('os_compute_api:os-keypairs:create', {}, member),
      false,
      'a missing target key fails',
    );
  });

  test('roles: reader may list but not create', () => {
    assert.equal(e.enforce('os_compute_api:os-keypairs:index', { project_id: 'p1' }, reader), true);
    assert.equal(e.enforce('os_compute_api:os-keypairs:create', { project_id: 'p1' }, reader), false);
  });

  test("authorize throws upstream's 403 message", () => {
    assert.throws(
      () => e.authorize('os_compute_api:os-hosts:list', {}, member),
      (err: unknown) =>
        err instanceof PolicyNotAuthorized &&
        err.status === 403 &&
        err.message === "Policy doesn't allow os_compute_api:os-hosts:list to be performed.",
    );
    assert.doesNotThrow(() => e.authorize('os_compute_api:os-hosts:list', {}, admin));
    assert.throws(() => e.authorize('no:such:rule', {}, admin), /not registered/);
  });

  test('enforce_scope refuses a token of another scope', () => {
    assert.equal(e.enforce('os_compute_api:os-hosts:list', {}, system), false);
    const lax = createEnforcer({ defaults: DEFAULTS, enforceScope: false, enforceNewDefaults: true });
    assert.equal(lax.enforce('os_compute_api:os-hosts:list', {}, system), true);
  });

  test('enforce_new_defaults=false ORs in the deprecated rule', () => {
    assert.equal(e.enforce('os_compute_api:old-and-new', { project_id: 'p1' }, member), false);
    const old = createEnforcer({ defaults: DEFAULTS, enforceScope: false, enforceNewDefaults: false });
    assert.equal(old.enforce('os_compute_api:old-and-new', { project_id: 'p1' }, member), true);
  });

  test('literal checks and nested targets', () => {
    const lit = createEnforcer({
      defaults: [
        { name: 'x', checkStr: "'member':%(role.name)s", description: '' },
        { name: 'y', checkStr: 'True:%(user.enabled)s', description: '' },
        { name: 'z', checkStr: 'user_id:%(target.user.id)s', description: '' },
      ],
      enforceScope: false,
      enforceNewDefaults: true,
    });
    assert.equal(lit.enforce('x', { role: { name: 'member' } }, member), true);
    assert.equal(lit.enforce('x', { 'role.name': 'admin' }, member), false);
    assert.equal(lit.enforce('y', { user: { enabled: true } }, member), true);
    assert.equal(lit.enforce('z', { target: { user: { id: 'u1' } } }, member), true);
  });

  test('a rule cycle is denied, not an endless loop', () => {
    const cyc = createEnforcer({
      defaults: [
        { name: 'a', checkStr: 'rule:b', description: '' },
        { name: 'b', checkStr: 'rule:a', description: '' },
      ],
      enforceScope: false,
      enforceNewDefaults: true,
    });
    assert.equal(cyc.enforce('a', {}, admin), false);
  });
});

describe('policy.yaml overrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-policy-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a policy file overrides defaults and reload picks up changes', () => {
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, '# allow everyone to list hosts\n"os_compute_api:os-hosts:list": "@"\n');
    const e = createEnforcer({
      defaults: DEFAULTS,
      policyFile: file,
      enforceScope: false,
      enforceNewDefaults: true,
    });
    assert.equal(e.enforce('os_compute_api:os-hosts:list', {}, member), true);
    writeFileSync(file, "'os_compute_api:os-hosts:list': 'role:admin' # back\n");
    e.reload();
    assert.equal(e.enforce('os_compute_api:os-hosts:list', {}, member), false);
    assert.equal(e.checkString('os_compute_api:os-hosts:list'), 'role:admin');
  });

  test('a missing policy file means no overrides', () => {
    const e = createEnforcer({
      defaults: DEFAULTS,
      policyFile: join(dir, 'none.yaml'),
      enforceScope: false,
      enforceNewDefaults: true,
    });
    assert.equal(e.checkString('context_is_admin'), 'role:admin');
  });

  test('YAML subset and JSON', () => {
    const text = [
      '---',
      'plain_key: role:admin or role:x',
      '"quoted:key": "project_id:%(project_id)s"',
      "it's: ''",
      '',
    ].join('\n');
    assert.deepEqual(
      [...parsePolicyText(text, 'p.yaml')],
      [
        ['plain_key', 'role:admin or role:x'],
        ['quoted:key', 'project_id:%(project_id)s'],
        ["it's", ''],
      ],
    );
    assert.deepEqual([...parsePolicyText('{"a": "@"}', 'p.json')], [['a', '@']]);
    assert.throws(() => parsePolicyText('a: |\n  x\n', 'p.yaml'), /multi-line values are not supported/);
  });
});
