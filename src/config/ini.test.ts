import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from './errors.ts';
import { parseIni } from './ini.ts';

const pairs = (text: string) =>
  parseIni(text, 'x.conf').assignments.map((a) => [a.section, a.key, a.value, a.line]);

test('sections, = and : separators, trimming', () => {
  const text = '[DEFAULT]\nhost = a\nmy_ip: 10.0.0.1\n[database]\nconnection=mysql://u:p@h/db\n';
  assert.deepEqual(pairs(text), [
    ['DEFAULT', 'host', 'a', 2],
    ['DEFAULT', 'my_ip', '10.0.0.1', 3],
    ['database', 'connection', 'mysql://u:p@h/db', 5],
  ]);
});

test('the first of = and : separates key from value', () => {
  assert.deepEqual(pairs('[a]\nurl = http://h:1/x\nk: a=b\n'), [
    ['a', 'url', 'http://h:1/x', 2],
    ['a', 'k', 'a=b', 3],
  ]);
});

test('comments with # and ; at line start; no inline comments', () => {
  assert.deepEqual(pairs('# top\n[a]\n; semi\n#k = v\nk = v # not a comment\n'), [
    ['a', 'k', 'v # not a comment', 5],
  ]);
});

test('continuation lines are appended with a newline; a blank line ends them', () => {
  const text = '[a]\nk = first\n  second\n\tthird\n\nj = x\n';
  assert.deepEqual(pairs(text), [
    ['a', 'k', 'first\nsecond\nthird', 2],
    ['a', 'j', 'x', 6],
  ]);
});

test('repeated keys and re-opened sections are all kept in order', () => {
  const text = '[a]\nk = 1\n[b]\nk = 2\n[a]\nk = 3\n';
  assert.deepEqual(pairs(text), [
    ['a', 'k', '1', 2],
    ['b', 'k', '2', 4],
    ['a', 'k', '3', 6],
  ]);
});

test('empty values are allowed; one pair of matching quotes is removed as oslo does', () => {
  assert.deepEqual(pairs(`[a]\ne =\nq = "x y"\ns = 'z'\nm = "x'\nin = a "b" c\n`), [
    ['a', 'e', '', 2],
    ['a', 'q', 'x y', 3],
    ['a', 's', 'z', 4],
    ['a', 'm', `"x'`, 5],
    ['a', 'in', 'a "b" c', 6],
  ]);
});

test('section names are kept as written (DEFAULT is case-sensitive downstream)', () => {
  assert.deepEqual(
    pairs('[Database]\nk = v\n[default]\nj = w\n').map((p) => p[0]),
    ['Database', 'default'],
  );
});

test('CRLF line ends, a BOM and whitespace-only lines are fine', () => {
  assert.deepEqual(pairs('\uFEFF[a]\r\nk = v\r\n \r\nj = w\r\n'), [
    ['a', 'k', 'v', 2],
    ['a', 'j', 'w', 4],
  ]);
});

const parseFails = (text: string, line: number, why: RegExp) => {
  assert.throws(
    () => parseIni(text, '/etc/nova/nova.conf'),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.details.line, line);
      assert.match(err.message, new RegExp(`^Cannot parse /etc/nova/nova.conf at line ${line}: `));
      assert.match(err.message, why);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    },
  );
};

test('errors name the file and line', () => {
  parseFails('[a]\nk = v\njunk\n', 3, /no '=' or ':'/);
  parseFails('[a]\n= v\n', 2, /empty key/);
  parseFails('k = v\n', 1, /section must be started/);
  parseFails('[a\n', 1, /must end with \]/);
  parseFails('[]\n', 1, /empty section name/);
  parseFails('[a]\n\n  orphan\n', 3, /unexpected continuation/);
});

test('an indented comment with nothing to continue is a comment', () => {
  assert.deepEqual(pairs('[a]\n\n  # note\nk = v\n'), [['a', 'k', 'v', 4]]);
});
