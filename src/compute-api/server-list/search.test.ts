import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceRecord } from '../../objects/instance.ts';
import { columnText, compilePattern, matchesTags } from './search.ts';
import { comparator, sortSpec } from './sort.ts';

describe('server list search helpers', () => {
  it('compiles Python-style patterns, case-insensitive, optionally anchored', () => {
    assert.ok(compilePattern('WEB').test('my-web-01'));
    assert.ok(compilePattern('(?P<n>ab)(?P=n)').test('xabab'));
    assert.ok(compilePattern('end\\Z').test('the end'));
    assert.ok(!compilePattern('0\\.5', true).test('10.0.0.5'));
    assert.ok(compilePattern('10\\.0', true).test('10.0.0.5'));
    assert.throws(() => compilePattern('('), /Invalid input/);
  });

  it('renders column values as the database compares them', () => {
    assert.equal(columnText(new Date('2026-01-02T03:04:05.678Z')), '2026-01-02 03:04:05');
    assert.equal(columnText(true), '1');
    assert.equal(columnText(4), '4');
    assert.equal(columnText(null), null);
  });

  it('tag filters: all, any, not all, none', () => {
    const s = (o: object) => o;
    assert.ok(matchesTags(['a', 'b'], s({ tags: ['a', 'b'] })));
    assert.ok(!matchesTags(['a'], s({ tags: ['a', 'b'] })));
    assert.ok(matchesTags(['a'], s({ tagsAny: ['b', 'a'] })));
    assert.ok(matchesTags(['a'], s({ notTags: ['a', 'b'] })));
    assert.ok(!matchesTags(['a', 'b'], s({ notTags: ['a', 'b'] })));
    assert.ok(!matchesTags(['b'], s({ notTagsAny: ['a', 'b'] })));
  });
});

describe('server list sorting', () => {
  it('completes keys with created_at and id in the first direction', () => {
    assert.deepEqual(sortSpec([], []), { keys: ['created_at', 'id'], dirs: ['desc', 'desc'] });
    assert.deepEqual(sortSpec(['display_name', 'host'], ['asc']), {
      keys: ['display_name', 'host', 'created_at', 'id'],
      dirs: ['asc', 'asc', 'asc', 'asc'],
    });
    assert.throws(() => sortSpec(['host'], ['asc', 'desc']), /exceeds sort key size/);
    assert.throws(() => sortSpec(['host'], ['sideways']), /Unknown sort direction/);
  });

  it('orders NULL first ascending and breaks ties by uuid', () => {
    const r = (uuid: string, host: string | null) =>
      ({ uuid, host, id: 1, created_at: null }) as unknown as InstanceRecord;
    const rows = [r('b', 'x'), r('a', 'x'), r('c', null)];
    const asc = [...rows].sort(comparator(sortSpec(['host'], ['asc'])));
    assert.deepEqual(
      asc.map((x) => x.uuid),
      ['c', 'a', 'b'],
    );
    const desc = [...rows].sort(comparator(sortSpec(['host'], ['desc'])));
    assert.deepEqual(
      desc.map((x) => x.uuid),
      ['a', 'b', 'c'],
    );
  });
});
