import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCliConfigArgs } from './cli-args.ts';

test('pulls --config-file and --config-dir (both spellings, repeatable) out of argv', () => {
  const r = parseCliConfigArgs([
    'all-in-one',
    '--config-file',
    '/etc/nova/nova.conf',
    '--state-path',
    './data',
    '--config-file=/etc/nova/nova-compute.conf',
    '--config-dir',
    '/etc/nova/nova.conf.d',
    '--config-dir=/x',
    '-v',
  ]);
  assert.deepEqual(r.configFiles, ['/etc/nova/nova.conf', '/etc/nova/nova-compute.conf']);
  assert.deepEqual(r.configDirs, ['/etc/nova/nova.conf.d', '/x']);
  assert.deepEqual(r.rest, ['all-in-one', '--state-path', './data', '-v']);
});

test('stops at --; a flag without a path is an error', () => {
  assert.deepEqual(parseCliConfigArgs(['--', '--config-file', 'x']).rest, ['--', '--config-file', 'x']);
  assert.throws(() => parseCliConfigArgs(['--config-file']), /--config-file needs a path/);
  assert.throws(() => parseCliConfigArgs(['--config-dir=']), /--config-dir needs a path/);
});

test('similar-looking flags are left alone', () => {
  assert.deepEqual(parseCliConfigArgs(['--config-files', 'a', '--config']).rest, [
    '--config-files',
    'a',
    '--config',
  ]);
});
