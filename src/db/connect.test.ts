import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { StartupError } from '../faults/fault.ts';
import { createDatabaseIfMissing, dropDatabaseIfExists } from './admin.ts';
import { connectDatabase } from './connect.ts';
import { testDialects } from './test-dialects.ts';
import { toDbTime } from './time.ts';
import { withDatabaseName } from './url.ts';

const MYSQL = process.env.NOVA_TS_TEST_MYSQL_URL;
const PG = process.env.NOVA_TS_TEST_PG_URL;

/** Asserts a one-line StartupError matching `re`, with no password in it. */
async function rejectsWithLine(url: string, re: RegExp, option?: string): Promise<void> {
  await assert.rejects(connectDatabase(url, { option }), (err: Error) => {
    assert.ok(err instanceof StartupError, `${err.name}: ${err.message}`);
    assert.match(err.message, re);
    assert.ok(!err.message.includes('\n'), err.message);
    assert.ok(!err.message.includes('s3cret'), err.message);
    return true;
  });
}

for (const d of testDialects()) {
  describe(`${d.name}: connectDatabase`, () => {
    after(() => d.cleanup());

    it('connects, answers a query and reports capabilities', async () => {
      const db = await d.open();
      const r = await sql<{ one: number }>`select 1 as one`.execute(db.kysely);
      assert.equal(Number(r.rows[0].one), 1);
      assert.equal(typeof db.caps.supportsReturning, 'boolean');
      assert.ok(['auto_increment', 'identity'].includes(db.caps.idColumn));
      assert.ok(!db.url.includes('s3cret'));
    });

    it('returns count(*) as a number and timestamps as UTC text, whatever the engine', async () => {
      const db = await d.open();
      await db.kysely.schema.createTable('ts').addColumn('t', db.caps.dateTimeType).execute();
      await sql`insert into ts (t) values (${toDbTime(new Date('2026-05-06T07:08:09.012Z'))})`.execute(
        db.kysely,
      );
      const r = await sql<{ n: unknown; t: unknown }>`select count(*) as n, max(t) as t from ts`.execute(
        db.kysely,
      );
      assert.equal(r.rows[0].n, 1);
      assert.equal(r.rows[0].t, '2026-05-06 07:08:09.012');
    });

    it('sees data across connections when the engine shares it', { skip: !d.shared }, async () => {
      const url = await d.newUrl();
      const a = await connectDatabase(url);
      const b = await connectDatabase(url);
      try {
        await sql`create table t (x integer)`.execute(a.kysely);
        await sql`insert into t values (42)`.execute(a.kysely);
        const r = await sql<{ x: number }>`select x from t`.execute(b.kysely);
        assert.equal(Number(r.rows[0].x), 42);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}

describe('connect failures are one-line StartupErrors', () => {
  it('an unwritable SQLite directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'novats-bad-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      await rejectsWithLine(
        `sqlite:///${dir}/file/sub/nova.db`,
        /^Cannot connect to database sqlite:\/\/\/.*\/file\/sub\/nova\.db: .+\. Make the directory exist and be writable, or fix \[database\] connection\.$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a URL without a database name', async () => {
    await rejectsWithLine('mysql+pymysql://nova:s3cret@127.0.0.1/', /no database name/);
  });

  it('MySQL: refused port', { skip: !MYSQL }, async () => {
    await rejectsWithLine(
      'mysql+pymysql://nova:s3cret@127.0.0.1:1/nova',
      /^Cannot connect to database mysql\+pymysql:\/\/nova:\*\*\*@127\.0\.0\.1:1\/nova: connect ECONNREFUSED 127\.0\.0\.1:1\. Start the database server, or fix \[api_database\] connection\.$/,
      '[api_database] connection',
    );
  });

  it('MySQL: unknown database', { skip: !MYSQL }, async () => {
    const url = withDatabaseName(MYSQL ?? '', 'novats_missing_db');
    await rejectsWithLine(
      url,
      /: Unknown database 'novats_missing_db'\. Create it, or fix \[database\] connection\.$/,
    );
  });

  it('MySQL: bad credentials', { skip: !MYSQL }, async () => {
    await rejectsWithLine(
      'mysql+pymysql://novats_nobody:s3cret@127.0.0.1:3306/nova',
      /Access denied.*Check the user name and password/,
    );
  });

  it('PostgreSQL: refused port and unknown database', { skip: !PG }, async () => {
    await rejectsWithLine(
      'postgresql://nova:s3cret@127.0.0.1:1/nova',
      /ECONNREFUSED.*Start the database server/,
    );
    const url = withDatabaseName(PG ?? '', 'novats_missing_db');
    await rejectsWithLine(
      url,
      /database "novats_missing_db" does not exist\. Create it, or fix \[database\] connection\.$/,
    );
  });

  it('PostgreSQL: unknown role', { skip: !PG }, async () => {
    await rejectsWithLine(
      'postgresql://novats_nobody:s3cret@127.0.0.1:5432/postgres',
      /novats_nobody.*Check the user name/,
    );
  });
});

describe('createDatabaseIfMissing', () => {
  it('is a no-op for SQLite', async () => {
    assert.equal(await createDatabaseIfMissing('sqlite://'), false);
  });

  for (const [name, base] of [
    ['MySQL', MYSQL],
    ['PostgreSQL', PG],
  ] as const) {
    it(`creates once on ${name}, then reports it exists`, { skip: !base }, async () => {
      const url = withDatabaseName(base ?? '', `novats_t_create_${process.pid}`);
      try {
        assert.equal(await createDatabaseIfMissing(url), true);
        assert.equal(await createDatabaseIfMissing(url), false);
        const db = await connectDatabase(url);
        await db.close();
      } finally {
        await dropDatabaseIfExists(url);
      }
      await assert.rejects(connectDatabase(url), StartupError);
    });
  }
});
