import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { wrapNodeSqlite } from './node-sqlite.ts';

describe('wrapNodeSqlite', () => {
  it('caches prepared statements, evicting the least recently used', () => {
    const raw = new DatabaseSync(':memory:');
    let prepared = 0;
    const counting = {
      prepare(sql: string) {
        prepared++;
        return raw.prepare(sql);
      },
      close: () => raw.close(),
      get isOpen() {
        return raw.isOpen;
      },
    } as unknown as DatabaseSync;
    const db = wrapNodeSqlite(counting, 2);
    db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1');
    assert.equal(prepared, 2);
    db.prepare('select 3'); // evicts 'select 2'
    db.prepare('select 1');
    assert.equal(prepared, 3);
    db.prepare('select 2');
    assert.equal(prepared, 4);
    db.close();
    assert.equal(raw.isOpen, false);
  });

  it('returns plain rows, binds booleans as 0/1 and Dates as UTC text', () => {
    const db = wrapNodeSqlite(new DatabaseSync(':memory:'));
    db.prepare('create table t (b boolean, d text)').run([]);
    const ins = db.prepare('insert into t values (?, ?)');
    assert.equal(ins.reader, false);
    ins.run([true, new Date('2026-02-03T04:05:06.789Z')]);
    const sel = db.prepare('select * from t');
    assert.equal(sel.reader, true);
    assert.deepEqual(sel.all([]), [{ b: 1, d: '2026-02-03 04:05:06.789' }]);
    assert.deepEqual([...sel.iterate([])], [{ b: 1, d: '2026-02-03 04:05:06.789' }]);
    db.close();
  });
});
