import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from './errors.ts';
import { type LoadOptions, loadConfig } from './load.ts';
import { reloadConfig } from './reload.ts';
import { HOST, tempTree } from './test-support.ts';

function setup(text: string) {
  const dir = tempTree({ 'nova.conf': text });
  const file = join(dir, 'nova.conf');
  const opts: LoadOptions = { env: {}, hostFacts: HOST, configFiles: [file] };
  return { file, opts, first: loadConfig(opts) };
}

test('only mutable options change; others keep their old value with a warning', () => {
  const { file, opts, first } = setup('[DEFAULT]\ndebug = false\nreport_interval = 10\n');
  writeFileSync(
    file,
    '[DEFAULT]\ndebug = true\nreport_interval = 30\n[compute]\nresource_provider_association_refresh = 60\n',
  );
  const next = reloadConfig(first, opts);
  assert.equal(next.conf.DEFAULT.debug, true);
  assert.equal(next.conf.compute.resource_provider_association_refresh, 60);
  assert.equal(next.conf.DEFAULT.report_interval, 10);
  assert.deepEqual(
    next.changed.map((c) => [c.group, c.name, c.oldValue, c.newValue]),
    [
      ['DEFAULT', 'debug', false, true],
      ['compute', 'resource_provider_association_refresh', 300, 60],
    ],
  );
  assert.ok(
    next.warnings.includes(
      'Option "report_interval" in group "DEFAULT" changed but cannot change without a restart; keeping the old value',
    ),
  );
  assert.ok(Object.isFrozen(next.conf.DEFAULT));
  assert.deepEqual(next.files, [file]);
});

test('nothing changed → nothing reported', () => {
  const { opts, first } = setup('[DEFAULT]\ndebug = true\n');
  const next = reloadConfig(first, opts);
  assert.deepEqual(next.changed, []);
  assert.deepEqual(next.warnings, first.warnings);
  assert.deepEqual(next.conf, first.conf);
});

test('a file that no longer loads throws; the caller keeps the previous conf', () => {
  const { file, opts, first } = setup('[DEFAULT]\ndebug = true\n');
  writeFileSync(file, '[DEFAULT]\ndebug = perhaps\n');
  assert.throws(() => reloadConfig(first, opts), ConfigError);
  assert.equal(first.conf.DEFAULT.debug, true);
});
