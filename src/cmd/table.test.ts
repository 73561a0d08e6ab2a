import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prettyTable } from './table.ts';

test('prettyTable centres cells like PrettyTable', () => {
  const out = prettyTable(
    ['Name', 'UUID', 'Disabled'],
    [
      ['cell0', '00000000-0000-0000-0000-000000000000', false],
      ['cell1', 'f690f4fd-2bc5-4f15-8145-db561a7b9d3d', true],
    ],
  );
  assert.equal(
    out,
    [
      '+-------+--------------------------------------+----------+',
      '|  Name |                 UUID                 | Disabled |',
      '+-------+--------------------------------------+----------+',
      '| cell0 | 00000000-0000-0000-0000-000000000000 |  False   |',
      '| cell1 | f690f4fd-2bc5-4f15-8145-db561a7b9d3d |   True   |',
      '+-------+--------------------------------------+----------+',
    ].join('\n'),
  );
});

test('an empty table prints the header only', () => {
  assert.equal(prettyTable(['A'], []), ['+---+', '| A |', '+---+'].join('\n'));
});
