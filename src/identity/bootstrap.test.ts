import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { IdentityDb } from '../db/tables/identity-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import { bootstrap, defaultCatalog } from './bootstrap.ts';
import { cloudsYaml, openrc, writeClientConfig } from './client-config.ts';
import { effectiveRoles } from './effective-roles.ts';
import { verifySecret } from './passwords.ts';
import * as assignments from './store/assignments.ts';
import * as catalog from './store/catalog.ts';
import * as users from './store/users.ts';

const T0 = new Date('2026-02-03T04:05:06.789Z');
const seeds = defaultCatalog({
  public: 'http://127.0.0.1:5000/v3',
  internal: 'http://10.0.0.1:5000/v3',
  admin: 'http://10.0.0.1:5000/v3',
});

for (const d of testDialects()) {
  describe(`${d.name}: identity bootstrap`, () => {
    after(() => d.cleanup());

    it('creates the admin user, project, roles, grants and catalog; a second run changes nothing', async () => {
      const db = await d.open<IdentityDb>(['identity']);
      const first = await bootstrap(db, { password: 'pw', catalog: seeds }, T0);
      assert.ok(first.changes.length > 20);
      const again = await bootstrap(db, { password: 'pw', catalog: seeds }, T0);
      assert.deepEqual(again.changes, []);
      assert.equal(again.user_id, first.user_id);
      const roles = await effectiveRoles(db, first.user_id, { kind: 'project', id: first.project_id });
      assert.deepEqual(
        roles.map((r) => r.name),
        ['admin', 'manager', 'member', 'reader'],
      );
      const sys = await assignments.list(db, { target: 'system' });
      assert.equal(sys.length, 1);
      const eps = await catalog.listEndpoints(db);
      assert.equal(eps.length, 12);
      const compute = (await catalog.listServices(db, { type: 'compute' }))[0];
      const urls = eps.filter((e) => e.service_id === compute.id).map((e) => e.url);
      assert.deepEqual([...new Set(urls)], ['http://127.0.0.1:8774/v2.1']);
      assert.ok(eps.some((e) => e.url === 'http://10.0.0.1:5000/v3' && e.interface === 'internal'));
      // A different password resets it (keystone-manage bootstrap does).
      const reset = await bootstrap(db, { password: 'new', catalog: seeds }, T0);
      assert.deepEqual(reset.changes, ['Reset the password of user admin and enabled it']);
      assert.ok(await verifySecret('new', (await users.get(db, first.user_id)).password_hash));
    });
  });
}

describe('client configuration files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-clouds-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const c = {
    authUrl: 'http://127.0.0.1:5000/v3',
    username: 'admin',
    password: 'it\'s "secret"',
    projectName: 'admin',
  };

  it('writes clouds.yaml and openrc, mode 0600', () => {
    const files = writeClientConfig(dir, c);
    for (const f of [files.cloudsYaml, files.openrc]) assert.equal(statSync(f).mode & 0o777, 0o600);
    assert.equal(readFileSync(files.cloudsYaml, 'utf8'), cloudsYaml(c));
  });
  it('quotes values for YAML and the shell', () => {
    assert.match(cloudsYaml(c), /^ {2}nova-ts:$/m);
    assert.match(cloudsYaml(c), /password: "it's \\"secret\\""/);
    assert.match(cloudsYaml(c), /identity_api_version: 3/);
    assert.match(openrc(c), /^export OS_PASSWORD='it'\\''s "secret"'$/m);
    assert.match(openrc(c), /^export OS_AUTH_URL='http:\/\/127.0.0.1:5000\/v3'$/m);
  });
});
