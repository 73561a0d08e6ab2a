import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordAuth, projectScope, type TestApp, testApp } from '../testing.ts';

describe('identity API: domains, projects, users, groups', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await testApp();
    admin = await t.token();
  });
  after(() => t.cleanup());

  it('domains: create, list with filters, get, update, refuse deleting an enabled one, delete', async () => {
    const c = await t.call('POST', '/v3/domains', admin, { domain: { name: 'dom1', description: 'd' } });
    assert.equal(c.statusCode, 201);
    const d = c.json().domain;
    assert.equal(d.links.self, `http://127.0.0.1:5000/v3/domains/${d.id}`);
    const dup = await t.call('POST', '/v3/domains', admin, { domain: { name: 'dom1' } });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.title, 'Conflict');
    const list = await t.call('GET', '/v3/domains?name=dom1', admin);
    assert.deepEqual(
      list.json().domains.map((x: { id: string }) => x.id),
      [d.id],
    );
    assert.deepEqual(Object.keys(list.json().links).sort(), ['next', 'previous', 'self']);
    assert.equal((await t.call('GET', `/v3/domains/${d.id}`, admin)).json().domain.name, 'dom1');
    const del1 = await t.call('DELETE', `/v3/domains/${d.id}`, admin);
    assert.equal(del1.statusCode, 403);
    const p = await t.call('PATCH', `/v3/domains/${d.id}`, admin, { domain: { enabled: false } });
    assert.equal(p.json().domain.enabled, false);
    assert.equal((await t.call('DELETE', `/v3/domains/${d.id}`, admin)).statusCode, 204);
    const gone = await t.call('GET', `/v3/domains/${d.id}`, admin);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.message, `Could not find domain: ${d.id}.`);
  });

  it('projects: create (default domain, parent), list filters, update, leaf-only delete', async () => {
    const top = (
      await t.call('POST', '/v3/projects', admin, { project: { name: 'top', description: 'x' } })
    ).json().project;
    assert.equal(top.domain_id, 'default');
    assert.equal(top.parent_id, 'default');
    assert.equal(top.is_domain, false);
    const kid = await t.call('POST', '/v3/projects', admin, { project: { name: 'kid', parent_id: top.id } });
    assert.equal(kid.statusCode, 201);
    assert.equal(kid.json().project.parent_id, top.id);
    assert.equal((await t.call('POST', '/v3/projects', admin, { project: { name: 'top' } })).statusCode, 409);
    assert.equal((await t.call('POST', '/v3/projects', admin, { project: {} })).statusCode, 400);
    assert.equal(
      (await t.call('POST', '/v3/projects', admin, { project: { name: 'x', domain_id: 'nope' } })).statusCode,
      404,
    );
    const byParent = await t.call('GET', `/v3/projects?parent_id=${top.id}`, admin);
    assert.deepEqual(
      byParent.json().projects.map((p: { name: string }) => p.name),
      ['kid'],
    );
    const upd = await t.call('PATCH', `/v3/projects/${top.id}`, admin, {
      project: { description: 'new', enabled: false },
    });
    assert.equal(upd.json().project.description, 'new');
    assert.equal((await t.call('GET', '/v3/projects?enabled=false', admin)).json().projects.length, 1);
    assert.equal((await t.call('DELETE', `/v3/projects/${top.id}`, admin)).statusCode, 403);
    assert.equal((await t.call('DELETE', `/v3/projects/${kid.json().project.id}`, admin)).statusCode, 204);
    assert.equal((await t.call('DELETE', `/v3/projects/${top.id}`, admin)).statusCode, 204);
  });

  it('users: create, get, list, password change (revokes tokens), disable, delete; own projects', async () => {
    const u = (
      await t.call('POST', '/v3/users', admin, { user: { name: 'alice', password: 'pw1', email: 'a@x' } })
    ).json().user;
    assert.equal(u.email, 'a@x');
    assert.equal(u.password, undefined);
    assert.equal(u.password_expires_at, null);
    const proj = (await t.call('POST', '/v3/projects', admin, { project: { name: 'alice-p' } })).json()
      .project;
    const member = (await t.call('GET', '/v3/roles?name=member', admin)).json().roles[0];
    assert.equal(
      (await t.call('PUT', `/v3/projects/${proj.id}/users/${u.id}/roles/${member.id}`, admin)).statusCode,
      204,
    );
    const alice = await t.token('alice', 'pw1', projectScope('alice-p'));
    assert.equal(
      (await t.call('GET', `/v3/users/${u.id}`, alice)).statusCode,
      200,
      'a user reads themselves',
    );
    assert.equal((await t.call('GET', '/v3/users', alice)).statusCode, 403, 'a member cannot list users');
    const mine = await t.call('GET', `/v3/users/${u.id}/projects`, alice);
    assert.deepEqual(
      mine.json().projects.map((p: { name: string }) => p.name),
      ['alice-p'],
    );
    const authProjects = await t.call('GET', '/v3/auth/projects', alice);
    assert.deepEqual(
      authProjects.json().projects.map((p: { name: string }) => p.name),
      ['alice-p'],
    );
    // Self-service password change needs the original password, no token; old tokens die.
    const wrong = await t.call('POST', `/v3/users/${u.id}/password`, undefined, {
      user: { original_password: 'bad', password: 'pw2' },
    });
    assert.equal(wrong.statusCode, 401);
    t.clock.advance(1);
    const ok = await t.call('POST', `/v3/users/${u.id}/password`, undefined, {
      user: { original_password: 'pw1', password: 'pw2' },
    });
    assert.equal(ok.statusCode, 204);
    assert.equal((await t.call('GET', `/v3/users/${u.id}`, alice)).statusCode, 401);
    t.clock.advance(1);
    const fresh = await t.token('alice', 'pw2', projectScope('alice-p'));
    assert.equal((await t.call('GET', `/v3/users/${u.id}`, fresh)).statusCode, 200);
    // Disabling revokes too, and a disabled user cannot authenticate.
    assert.equal(
      (await t.call('PATCH', `/v3/users/${u.id}`, admin, { user: { enabled: false } })).json().user.enabled,
      false,
    );
    assert.equal((await t.call('GET', `/v3/users/${u.id}`, fresh)).statusCode, 401);
    const denied = await t.call(
      'POST',
      '/v3/auth/tokens',
      undefined,
      passwordAuth('alice', 'pw2', projectScope('alice-p')),
    );
    assert.equal(denied.statusCode, 401);
    assert.equal((await t.call('DELETE', `/v3/users/${u.id}`, admin)).statusCode, 204);
    assert.equal((await t.call('GET', `/v3/users/${u.id}`, admin)).statusCode, 404);
  });

  it('a token for a disabled project stops validating', async () => {
    const u = (await t.call('POST', '/v3/users', admin, { user: { name: 'bob', password: 'pw' } })).json()
      .user;
    const p = (await t.call('POST', '/v3/projects', admin, { project: { name: 'bob-p' } })).json().project;
    const reader = (await t.call('GET', '/v3/roles?name=reader', admin)).json().roles[0];
    await t.call('PUT', `/v3/projects/${p.id}/users/${u.id}/roles/${reader.id}`, admin);
    const bob = await t.token('bob', 'pw', projectScope('bob-p'));
    assert.equal((await t.call('GET', '/v3/auth/catalog', bob)).statusCode, 200);
    await t.call('PATCH', `/v3/projects/${p.id}`, admin, { project: { enabled: false } });
    assert.equal((await t.call('GET', '/v3/auth/catalog', bob)).statusCode, 401);
    const again = await t.call(
      'POST',
      '/v3/auth/tokens',
      undefined,
      passwordAuth('bob', 'pw', projectScope('bob-p')),
    );
    assert.equal(again.statusCode, 401);
  });

  it('groups: CRUD and membership; a group grant reaches its members', async () => {
    const g = (await t.call('POST', '/v3/groups', admin, { group: { name: 'ops' } })).json().group;
    assert.equal(g.domain_id, 'default');
    const u = (await t.call('POST', '/v3/users', admin, { user: { name: 'carol', password: 'pw' } })).json()
      .user;
    assert.equal((await t.call('HEAD', `/v3/groups/${g.id}/users/${u.id}`, admin)).statusCode, 404);
    assert.equal((await t.call('PUT', `/v3/groups/${g.id}/users/${u.id}`, admin)).statusCode, 204);
    assert.equal((await t.call('HEAD', `/v3/groups/${g.id}/users/${u.id}`, admin)).statusCode, 204);
    assert.deepEqual(
      (await t.call('GET', `/v3/groups/${g.id}/users`, admin))
        .json()
        .users.map((x: { name: string }) => x.name),
      ['carol'],
    );
    assert.deepEqual(
      (await t.call('GET', `/v3/users/${u.id}/groups`, admin))
        .json()
        .groups.map((x: { name: string }) => x.name),
      ['ops'],
    );
    const p = (await t.call('POST', '/v3/projects', admin, { project: { name: 'ops-p' } })).json().project;
    const member = (await t.call('GET', '/v3/roles?name=member', admin)).json().roles[0];
    assert.equal(
      (await t.call('PUT', `/v3/projects/${p.id}/groups/${g.id}/roles/${member.id}`, admin)).statusCode,
      204,
    );
    const carol = await t.call(
      'POST',
      '/v3/auth/tokens',
      undefined,
      passwordAuth('carol', 'pw', projectScope('ops-p')),
    );
    assert.equal(carol.statusCode, 201);
    assert.deepEqual(
      carol
        .json()
        .token.roles.map((r: { name: string }) => r.name)
        .sort(),
      ['member', 'reader'],
    );
    assert.equal(
      (await t.call('PATCH', `/v3/groups/${g.id}`, admin, { group: { description: 'd' } })).json().group
        .description,
      'd',
    );
    assert.equal((await t.call('DELETE', `/v3/groups/${g.id}/users/${u.id}`, admin)).statusCode, 204);
    assert.equal((await t.call('DELETE', `/v3/groups/${g.id}`, admin)).statusCode, 204);
    assert.equal((await t.call('GET', `/v3/groups/${g.id}`, admin)).statusCode, 404);
  });

  it('unknown routes and bad bodies get Keystone error bodies', async () => {
    const r = await t.call('GET', '/v3/nothing-here', admin);
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().error.code, 404);
    const noWrapper = await t.call('POST', '/v3/users', admin, { name: 'x' });
    assert.equal(noWrapper.statusCode, 400);
    assert.match(noWrapper.json().error.message, /Expecting to find user in request body/);
    const badType = await t.call('POST', '/v3/users', admin, { user: { name: 'x', enabled: 'yes' } });
    assert.equal(badType.statusCode, 400);
    const noToken = await t.call('GET', '/v3/users', undefined);
    assert.equal(noToken.statusCode, 401);
  });
});
