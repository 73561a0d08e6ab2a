import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StartupError } from '../faults/fault.ts';
import { databaseName, maskUrl, parseDbUrl, withDatabaseName } from './url.ts';

describe('parseDbUrl', () => {
  it('reads SQLite memory, relative and absolute paths', () => {
    assert.equal(parseDbUrl('sqlite://').database, undefined);
    assert.equal(parseDbUrl('sqlite:///:memory:').database, undefined);
    assert.equal(parseDbUrl('sqlite:///data/nova.db').database, 'data/nova.db');
    assert.equal(parseDbUrl('sqlite:////var/lib/nova/nova.db').database, '/var/lib/nova/nova.db');
    const u = parseDbUrl('sqlite:///nova.db?check_same_thread=False');
    assert.equal(u.backend, 'sqlite');
    assert.deepEqual(u.query, { check_same_thread: 'False' });
  });

  it('reads every MySQL form', () => {
    for (const scheme of ['mysql', 'mysql+pymysql', 'mysql+mysqldb', 'mariadb+pymysql']) {
      const u = parseDbUrl(`${scheme}://nova:secret@db.example:3307/nova?charset=utf8`);
      assert.equal(u.backend, 'mysql');
      assert.equal(u.username, 'nova');
      assert.equal(u.password, 'secret');
      assert.equal(u.host, 'db.example');
      assert.equal(u.port, 3307);
      assert.equal(u.database, 'nova');
      assert.deepEqual(u.query, { charset: 'utf8' });
    }
    assert.equal(parseDbUrl('mysql+pymysql://root@127.0.0.1/nova').password, undefined);
    assert.equal(parseDbUrl('mysql+pymysql://root@127.0.0.1:3306/').database, undefined);
  });

  it('reads every PostgreSQL form, IPv6 hosts and encoded passwords', () => {
    for (const scheme of ['postgresql', 'postgresql+psycopg2', 'postgres']) {
      const u = parseDbUrl(`${scheme}://nova:p%40ss%2Fw%3Ard@[::1]:5433/nova_api`);
      assert.equal(u.backend, 'postgresql');
      assert.equal(u.password, 'p@ss/w:rd');
      assert.equal(u.host, '::1');
      assert.equal(u.port, 5433);
      assert.equal(u.database, 'nova_api');
      assert.equal(u.masked, `${scheme}://nova:***@[::1]:5433/nova_api`);
    }
    const bare = parseDbUrl('postgresql:///nova');
    assert.equal(bare.host, undefined);
    assert.equal(bare.port, undefined);
  });

  it('rejects bad URLs with one line naming the option and masking the password', () => {
    const cases: [string, RegExp][] = [
      ['oracle://u:pw@h/db', /unknown database dialect 'oracle'/],
      ['mysql+odbc://u:pw@h/db', /unknown driver 'odbc' for mysql/],
      ['mysql://u:pw@h:99999/db', /bad port '99999'/],
      ['not a url', /not of the form/],
    ];
    for (const [url, why] of cases) {
      assert.throws(
        () => parseDbUrl(url, { option: '[api_database] connection' }),
        (err: Error) => {
          assert.ok(err instanceof StartupError);
          assert.match(err.message, why);
          assert.match(err.message, /\[api_database\] connection\.$/);
          assert.ok(!err.message.includes('pw@'), err.message);
          assert.ok(!err.message.includes('\n'));
          return true;
        },
      );
    }
  });
});

describe('maskUrl', () => {
  it('hides passwords and leaves the rest', () => {
    assert.equal(
      maskUrl('mysql+pymysql://nova:s3cret@127.0.0.1/nova'),
      'mysql+pymysql://nova:***@127.0.0.1/nova',
    );
    assert.equal(maskUrl('mysql://nova@127.0.0.1/nova'), 'mysql://nova@127.0.0.1/nova');
    assert.equal(maskUrl('sqlite:////a/b.db'), 'sqlite:////a/b.db');
    assert.equal(maskUrl('bogus://u:p@h'), 'bogus://u:***@h');
  });
});

describe('withDatabaseName / databaseName', () => {
  it('replaces the database on servers, keeping credentials and query', () => {
    assert.equal(
      withDatabaseName('mysql+pymysql://nova:pw@db:3306/nova?charset=utf8', 'nova_cell0'),
      'mysql+pymysql://nova:pw@db:3306/nova_cell0?charset=utf8',
    );
    assert.equal(
      withDatabaseName('postgresql://pg@db/nova', (n) => `${n}_cell0`),
      'postgresql://pg@db/nova_cell0',
    );
    assert.equal(
      withDatabaseName('mysql+pymysql://root@127.0.0.1:3306/', 'x'),
      'mysql+pymysql://root@127.0.0.1:3306/x',
    );
    assert.equal(withDatabaseName('mysql://root@127.0.0.1', 'x'), 'mysql://root@127.0.0.1/x');
  });

  it('renames the SQLite file, keeping directory and extension; memory stays memory', () => {
    assert.equal(
      withDatabaseName('sqlite:////var/lib/nova/nova.db', (n) => `${n}_cell0`),
      'sqlite:////var/lib/nova/nova_cell0.db',
    );
    assert.equal(withDatabaseName('sqlite:///nova.sqlite', 'other'), 'sqlite:///other.sqlite');
    assert.equal(withDatabaseName('sqlite:///data/nova', 'nova_cell0'), 'sqlite:///data/nova_cell0');
    assert.equal(withDatabaseName('sqlite://', 'nova_cell0'), 'sqlite://');
  });

  it('names the database', () => {
    assert.equal(databaseName('mysql://u@h/nova'), 'nova');
    assert.equal(databaseName('sqlite:////x/nova_api.db'), 'nova_api');
    assert.equal(databaseName('sqlite://'), undefined);
  });
});
