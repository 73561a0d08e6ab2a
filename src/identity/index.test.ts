import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../common/log.ts';
import { loadConfig } from '../config/index.ts';
import { bootstrapFromConf, identityBaseUrl, startEmbeddedIdentity } from './index.ts';

describe('startEmbeddedIdentity + bootstrapFromConf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-embedded-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const conf = (port: string) =>
    loadConfig({
      configFiles: [],
      useDefaultSearch: false,
      overrides: [
        { group: 'DEFAULT', name: 'state_path', value: dir },
        { group: 'identity', name: 'listen', value: '127.0.0.1' },
        { group: 'identity', name: 'port', value: port },
      ],
    }).conf;

  it('builds the base URL from [identity]', () => {
    assert.equal(identityBaseUrl(conf('5000')), 'http://127.0.0.1:5000');
  });

  it('serves /v3 on [identity] listen:port from $state_path, bootstrapped from nova.conf', async () => {
    const c = conf('0');
    const idp = await startEmbeddedIdentity(c, { log: silentLogger() });
    try {
      const boot = await bootstrapFromConf(idp.identity, c, 'pw');
      assert.ok(boot.changes.length > 0);
      const r = await fetch(`${idp.api.url}/v3/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: 'admin', domain: { id: 'default' }, password: 'pw' } },
            },
            scope: { project: { name: 'admin', domain: { id: 'default' } } },
          },
        }),
      });
      assert.equal(r.status, 201);
      const ctx = await idp.validator.validate(r.headers.get('x-subject-token')!);
      assert.equal(ctx.project_name, 'admin');
      assert.equal((await bootstrapFromConf(idp.identity, c, 'pw')).changes.length, 0);
    } finally {
      await idp.stop();
    }
  });
});
