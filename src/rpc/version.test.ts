import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Invalid } from '../faults/fault.ts';
import { isCompatible, parseVersion } from './version.ts';

test('compatible means same major and endpoint minor >= requested', () => {
  assert.equal(isCompatible('6.2', '6.0'), true);
  assert.equal(isCompatible('6.2', '6.2'), true);
  assert.equal(isCompatible('6.2', '6.3'), false);
  assert.equal(isCompatible('6.2', '5.9'), false);
  assert.equal(isCompatible('6.10', '6.9'), true);
});

test('versions are major.minor', () => {
  assert.deepEqual(parseVersion('6.10'), { major: 6, minor: 10 });
  for (const v of ['6', '6.0.1', 'v6.0', '06.0', '']) assert.throws(() => parseVersion(v), Invalid, v);
});
