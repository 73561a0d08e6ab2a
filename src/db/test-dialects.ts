// The engines every database test runs on, Kysely-style:
//   for (const d of testDialects()) describe(d.name, () => { … d.open(['cell']) … after(() => d.cleanup()) })
// SQLite (a temp file and `sqlite://` memory) always; MySQL and PostgreSQL when scripts/test.ts
// found them (NOVA_TS_TEST_MYSQL_URL / NOVA_TS_TEST_PG_URL), each in throwaway databases.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing, dropDatabaseIfExists } from './admin.ts';
import { connectDatabase, type Database } from './connect.ts';
import { migrateToLatest, type SchemaName } from './migrate.ts';
import { withDatabaseName } from './url.ts';

export interface TestDialect {
  readonly name: string;
  /** Two connects to one URL see the same data (false for in-memory SQLite). */
  readonly shared: boolean;
  /** The URL of a fresh, empty database (created on the server for MySQL/PostgreSQL). */
  newUrl(): Promise<string>;
  /** Connects to a fresh database with the given schemas migrated. */
  // biome-ignore lint/suspicious/noExplicitAny: callers pick their schema type
  open<T = any>(schemas?: readonly SchemaName[]): Promise<Database<T>>;
  /** Closes everything open() opened and drops every database this dialect made. */
  cleanup(): Promise<void>;
}

const uniqueName = (): string => `novats_t_${randomBytes(5).toString('hex')}`;

function makeDialect(
  name: string,
  shared: boolean,
  makeUrl: () => Promise<string>,
  drop: () => Promise<void>,
) {
  const opened: Database[] = [];
  const dialect: TestDialect = {
    name,
    shared,
    newUrl: makeUrl,
    async open(schemas = []) {
      const db = await connectDatabase(await makeUrl());
      opened.push(db);
      for (const s of schemas) await migrateToLatest(db, s);
      return db;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((db) => db.close()));
      await drop();
    },
  };
  return Object.freeze(dialect);
}

function sqliteFile(): TestDialect {
  let dir: string | undefined;
  return makeDialect(
    'sqlite-file',
    true,
    async () => {
      dir ??= mkdtempSync(join(tmpdir(), 'novats-db-'));
      return `sqlite:///${join(dir, `${uniqueName()}.db`)}`;
    },
    async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  );
}

function server(name: string, baseUrl: string): TestDialect {
  const made: string[] = [];
  return makeDialect(
    name,
    true,
    async () => {
      const url = withDatabaseName(baseUrl, uniqueName());
      await createDatabaseIfMissing(url);
      made.push(url);
      return url;
    },
    async () => {
      await Promise.all(made.splice(0).map((u) => dropDatabaseIfExists(u)));
    },
  );
}

/** The engines to run database tests on, each a fresh instance (call cleanup() in after()). */
export function testDialects(env: NodeJS.ProcessEnv = process.env): readonly TestDialect[] {
  const out: TestDialect[] = [
    sqliteFile(),
    makeDialect(
      'sqlite-memory',
      false,
      async () => 'sqlite://',
      async () => {},
    ),
  ];
  if (env.NOVA_TS_TEST_MYSQL_URL) out.push(server('mysql', env.NOVA_TS_TEST_MYSQL_URL));
  if (env.NOVA_TS_TEST_PG_URL) out.push(server('postgresql', env.NOVA_TS_TEST_PG_URL));
  return Object.freeze(out);
}
