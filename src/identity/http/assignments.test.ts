import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordAuth, projectScope, type TestApp, testApp } from '../testing.ts';

type Named = { id: string; name: string };

describe('identity API: roles, implied roles, grants, role assignments', () => {
  let t: TestApp;
  let admin: string;
  let role: (name: string) => Promise<Named>;
  before(async () => {
    t = await testApp();
    admin = await t.token();
    role = async (name) => (await t.call('GET', `/v3/roles?name=${name}`, admin)).json().roles[0];
  });
  after(() => t.cleanup());

  it('roles: CRUD, and bootstrap made the implied chain admin ⇒ manager ⇒ member ⇒ reader', async () => {
    const names = (await t.call('GET', '/v3/roles', admin)).json().roles.map((r: Named) => r.name);
    assert.deepEqual(names, ['admin', 'manager', 'member', 'reader', 'service']);
    const infer = (await t.call('GET', '/v3/role_inferences', admin)).json().role_inferences;
    const pairs = infer.flatMap((i: { prior_role: Named; implies: Named[] }) =>
      i.implies.map((x) => `${i.prior_role.name}>${x.name}`),
    );
    assert.deepEqual(pairs.sort(), ['admin>manager', 'manager>member', 'member>reader']);
    const c = (
      await t.call('POST', '/v3/roles', admin, { role: { name: 'auditor', description: 'reads' } })
    ).json().role;
    assert.equal(c.domain_id, null);
    assert.equal((await t.call('POST', '/v3/roles', admin, { role: { name: 'auditor' } })).statusCode, 409);
    assert.equal(
      (await t.call('PATCH', `/v3/roles/${c.id}`, admin, { role: { description: 'x' } })).json().role
        .description,
      'x',
    );
    const reader = await role('reader');
    const put = await t.call('PUT', `/v3/roles/${c.id}/implies/${reader.id}`, admin);
    assert.equal(put.statusCode, 201);
    assert.equal(put.json().role_inference.implies.name, 'reader');
    assert.equal((await t.call('HEAD', `/v3/roles/${c.id}/implies/${reader.id}`, admin)).statusCode, 204);
    assert.equal(
      (await t.call('GET', `/v3/roles/${c.id}/implies`, admin)).json().role_inference.implies.length,
      1,
    );
    assert.equal((await t.call('DELETE', `/v3/roles/${c.id}/implies/${reader.id}`, admin)).statusCode, 204);
    assert.equal((await t.call('GET', `/v3/roles/${c.id}/implies/${reader.id}`, admin)).statusCode, 404);
    assert.equal((await t.call('DELETE', `/v3/roles/${c.id}`, admin)).statusCode, 204);
  });

  it('grants on project, domain and system: put, check, list, revoke', async () => {
    const u = (await t.call('POST', '/v3/users', admin, { user: { name: 'dave', password: 'pw' } })).json()
      .user;
    const p = (await t.call('POST', '/v3/projects', admin, { project: { name: 'dave-p' } })).json().project;
    const member = await role('member');
    const reader = await role('reader');
    for (const base of [
      `/v3/projects/${p.id}/users/${u.id}`,
      `/v3/domains/default/users/${u.id}`,
      `/v3/system/users/${u.id}`,
    ]) {
      const grant = `${base}/roles/${reader.id}`;
      assert.equal((await t.call('HEAD', grant, admin)).statusCode, 404, grant);
      assert.equal((await t.call('PUT', grant, admin)).statusCode, 204, grant);
      assert.equal((await t.call('HEAD', grant, admin)).statusCode, 204, grant);
      assert.equal((await t.call('GET', grant, admin)).statusCode, 204, grant);
      assert.deepEqual(
        (await t.call('GET', `${base}/roles`, admin)).json().roles.map((r: Named) => r.name),
        ['reader'],
      );
      assert.equal((await t.call('DELETE', grant, admin)).statusCode, 204, grant);
      const again = await t.call('DELETE', grant, admin);
      assert.equal(again.statusCode, 404);
      assert.match(again.json().error.message, /^Could not find role assignment with role:/);
    }
    assert.equal(
      (await t.call('PUT', `/v3/projects/${p.id}/users/${u.id}/roles/nope`, admin)).statusCode,
      404,
    );
    assert.equal(
      (await t.call('PUT', `/v3/projects/nope/users/${u.id}/roles/${member.id}`, admin)).statusCode,
      404,
    );
    // A user without a role on a project cannot scope to it; once granted, they can.
    const before = await t.call(
      'POST',
      '/v3/auth/tokens',
      undefined,
      passwordAuth('dave', 'pw', projectScope('dave-p')),
    );
    assert.equal(before.statusCode, 401);
    await t.call('PUT', `/v3/projects/${p.id}/users/${u.id}/roles/${member.id}`, admin);
    const dave = await t.token('dave', 'pw', projectScope('dave-p'));
    assert.equal(
      (await t.call('PUT', `/v3/projects/${p.id}/users/${u.id}/roles/${reader.id}`, dave)).statusCode,
      403,
      'members may not grant',
    );
    // Revoking the last role kills the token at its next validation.
    await t.call('DELETE', `/v3/projects/${p.id}/users/${u.id}/roles/${member.id}`, admin);
    assert.equal((await t.call('GET', '/v3/auth/catalog', dave)).statusCode, 401);
  });

  it('role assignments: filters, effective (groups, implied roles), include_names, subtree', async () => {
    const u = (await t.call('POST', '/v3/users', admin, { user: { name: 'erin', password: 'pw' } })).json()
      .user;
    const g = (await t.call('POST', '/v3/groups', admin, { group: { name: 'erin-g' } })).json().group;
    const p = (await t.call('POST', '/v3/projects', admin, { project: { name: 'erin-p' } })).json().project;
    const kid = (
      await t.call('POST', '/v3/projects', admin, { project: { name: 'erin-kid', parent_id: p.id } })
    ).json().project;
    const member = await role('member');
    const reader = await role('reader');
    await t.call('PUT', `/v3/groups/${g.id}/users/${u.id}`, admin);
    await t.call('PUT', `/v3/projects/${p.id}/groups/${g.id}/roles/${member.id}`, admin);
    await t.call('PUT', `/v3/projects/${kid.id}/users/${u.id}/roles/${reader.id}`, admin);

    const raw = (await t.call('GET', `/v3/role_assignments?scope.project.id=${p.id}`, admin)).json()
      .role_assignments;
    assert.equal(raw.length, 1);
    assert.deepEqual(raw[0].group, { id: g.id });
    assert.deepEqual(raw[0].scope, { project: { id: p.id } });
    assert.equal(
      raw[0].links.assignment,
      `http://127.0.0.1:5000/v3/projects/${p.id}/groups/${g.id}/roles/${member.id}`,
    );

    const eff = (await t.call('GET', `/v3/role_assignments?user.id=${u.id}&effective`, admin)).json()
      .role_assignments;
    const seen = eff.map(
      (a: { role: { id: string }; scope: { project: { id: string } } }) =>
        `${a.scope.project.id === p.id ? 'p' : 'kid'}:${a.role.id === member.id ? 'member' : 'reader'}`,
    );
    assert.deepEqual(seen.sort(), ['kid:reader', 'p:member', 'p:reader']);
    const viaGroup = eff.find((a: { links: { membership?: string } }) => a.links.membership);
    assert.equal(viaGroup.links.membership, `http://127.0.0.1:5000/v3/groups/${g.id}/users/${u.id}`);
    assert.ok(eff.some((a: { links: { prior_role?: string } }) => a.links.prior_role?.endsWith(member.id)));

    const named = (
      await t.call('GET', `/v3/role_assignments?user.id=${u.id}&include_names=True`, admin)
    ).json().role_assignments;
    assert.equal(named.length, 1);
    assert.deepEqual(named[0].user, { id: u.id, name: 'erin', domain: { id: 'default', name: 'Default' } });
    assert.equal(named[0].role.name, 'reader');
    assert.equal(named[0].scope.project.name, 'erin-kid');

    const tree = (
      await t.call('GET', `/v3/role_assignments?scope.project.id=${p.id}&include_subtree=true`, admin)
    ).json().role_assignments;
    assert.equal(tree.length, 2);
    const byRole = (
      await t.call('GET', `/v3/role_assignments?role.id=${reader.id}&user.id=${u.id}`, admin)
    ).json().role_assignments;
    assert.equal(byRole.length, 1);
    const sys = (await t.call('GET', '/v3/role_assignments?scope.system=all', admin)).json().role_assignments;
    assert.deepEqual(
      sys.map((a: { scope: unknown }) => a.scope),
      [{ system: { all: true } }],
    );
    assert.equal(
      (await t.call('GET', `/v3/role_assignments?group.id=${g.id}&effective`, admin)).statusCode,
      400,
    );
    assert.equal((await t.call('GET', '/v3/role_assignments?include_subtree=true', admin)).statusCode, 400);
  });

  it('auth scope listings: /v3/auth/domains and /v3/auth/system', async () => {
    const doms = (await t.call('GET', '/v3/auth/domains', admin)).json();
    assert.deepEqual(doms.domains, []);
    const sys = (await t.call('GET', '/v3/auth/system', admin)).json();
    assert.deepEqual(sys.system, [{ all: true }]);
    const unscoped = await t.token('admin', undefined, 'unscoped');
    assert.equal((await t.call('GET', '/v3/auth/projects', unscoped)).json().projects[0].name, 'admin');
    assert.equal((await t.call('GET', '/v3/auth/catalog', unscoped)).statusCode, 403);
  });
});

describe('identity API: grants with an empty JSON body', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.cleanup());

  // Tempest's dynamic credentials (and keystoneauth) send the grant PUT with a JSON content type
  // and no body; Keystone answers 204, and so must we.
  it('PUT /v3/projects/{p}/users/{u}/roles/{r} with Content-Type: application/json and no body', async () => {
    const admin = await t.token();
    const project = (await t.call('POST', '/v3/projects', admin, { project: { name: 'empty-body' } })).json()
      .project;
    const user = (
      await t.call('POST', '/v3/users', admin, { user: { name: 'empty-body', password: 'pw-123456' } })
    ).json().user;
    const member = (await t.call('GET', '/v3/roles?name=member', admin)).json().roles[0];
    const res = await t.app.inject({
      method: 'PUT',
      url: `/v3/projects/${project.id}/users/${user.id}/roles/${member.id}`,
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 204, res.body);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v3/projects',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      payload: '{not json',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /not valid JSON/);
  });
});
