import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromDbTime, fromDbTimeStrict, toDbTime } from './time.ts';
import { toBool, toNumber, toNumberOrNull } from './values.ts';

describe('timestamps', () => {
  it('go in as UTC text and come back as the same instant', () => {
    const d = new Date('2026-12-31T23:59:59.123Z');
    assert.equal(toDbTime(d), '2026-12-31 23:59:59.123');
    assert.deepEqual(fromDbTime(toDbTime(d)), d);
  });

  it('read every engine’s form as UTC', () => {
    assert.deepEqual(fromDbTime('2026-01-02 03:04:05'), new Date('2026-01-02T03:04:05Z'));
    assert.deepEqual(fromDbTime('2026-01-02 03:04:05.5'), new Date('2026-01-02T03:04:05.500Z'));
    assert.deepEqual(fromDbTime('2026-01-02T03:04:05.000+02:00'), new Date('2026-01-02T01:04:05Z'));
    assert.deepEqual(fromDbTime(new Date(5)), new Date(5));
    assert.deepEqual(fromDbTime(5), new Date(5));
    assert.equal(fromDbTime(null), null);
    assert.throws(() => fromDbTime('yesterday'), /unreadable timestamp/);
    assert.throws(() => fromDbTimeStrict(null), /NULL/);
  });
});

describe('values', () => {
  it('normalise numbers and booleans', () => {
    assert.equal(toNumber('42'), 42);
    assert.equal(toNumber(42n), 42);
    assert.equal(toNumberOrNull(null), null);
    assert.throws(() => toNumber({}), /expected a number/);
    for (const t of [true, 1, '1', 1n, 'true']) assert.equal(toBool(t), true);
    for (const f of [false, 0, '0', 0n, 'false', '', null]) assert.equal(toBool(f), false);
  });
});
