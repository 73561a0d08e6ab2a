import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../config/index.ts';
import { enforcerFromConf, findPolicyFile } from './from-conf.ts';

const dir = mkdtempSync(join(tmpdir(), 'novats-policy-conf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('policy.yaml is found beside the configuration files, not in the working directory', () => {
  const conf = join(dir, 'nova.conf');
  writeFileSync(conf, '[oslo_policy]\nenforce_scope = False\n');
  writeFileSync(join(dir, 'policy.yaml'), '"custom:rule": "role:auditor"\n');
  const loaded = loadConfig({ configFiles: [conf], useDefaultSearch: false, env: {} });
  assert.equal(findPolicyFile(loaded.conf, [conf]), join(dir, 'policy.yaml'));
  assert.equal(findPolicyFile(loaded.conf, []), undefined, 'only /etc/nova without config files');
  const e = enforcerFromConf(
    loaded.conf,
    [{ name: 'custom:rule', checkStr: 'role:admin', description: '' }],
    [conf],
  );
  assert.equal(e.checkString('custom:rule'), 'role:auditor');
});
