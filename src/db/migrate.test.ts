import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { StartupError } from '../faults/fault.ts';
import { connectDatabase } from './connect.ts';
import {
  BASE_VERSION,
  currentVersion,
  latestVersion,
  migrateToLatest,
  SCHEMAS,
  type SchemaName,
} from './migrate.ts';
import type { SchemaMigration } from './migrations/types.ts';
import { testDialects } from './test-dialects.ts';

const ALL = Object.keys(SCHEMAS) as SchemaName[];

for (const d of testDialects()) {
  describe(`${d.name}: migrations`, () => {
    after(() => d.cleanup());

    it('migrates every schema from base to latest, once', async () => {
      // Each schema is its own database (api, cell, placement, identity and image may share table
      // names such as `projects`).
      for (const schema of ALL) {
        const db = await d.open();
        assert.equal(await currentVersion(db, schema), BASE_VERSION);
        const applied = await migrateToLatest(db, schema);
        assert.deepEqual(
          applied,
          SCHEMAS[schema].map((m) => m.name),
        );
        assert.equal(await currentVersion(db, schema), latestVersion(schema));
        assert.deepEqual(await migrateToLatest(db, schema), []);
      }
      for (const schema of ALL) {
        assert.equal(latestVersion(schema), SCHEMAS[schema].at(-1)?.name ?? BASE_VERSION);
      }
    });

    it('creates the platform tables with their columns', async () => {
      const db = await d.open(['api', 'cell']);
      const tables = await db.kysely.introspection.getTables();
      const columns = (name: string) =>
        tables
          .find((t) => t.name === name)
          ?.columns.map((c) => c.name)
          .sort();
      assert.deepEqual(columns('host_mappings'), ['cell_id', 'created_at', 'host', 'id', 'updated_at']);
      assert.deepEqual(columns('instance_mappings'), [
        'cell_id',
        'created_at',
        'id',
        'instance_uuid',
        'project_id',
        'queued_for_delete',
        'updated_at',
        'user_id',
      ]);
      assert.deepEqual(columns('services'), [
        'binary',
        'created_at',
        'deleted',
        'deleted_at',
        'disabled',
        'disabled_reason',
        'forced_down',
        'host',
        'id',
        'last_seen_up',
        'report_count',
        'topic',
        'updated_at',
        'uuid',
        'version',
      ]);
      assert.equal(columns('compute_nodes')?.length, 29);
      assert.ok(tables.some((t) => t.name === 'cell_mappings'));
    });

    it('reports a failed migration as one line; transactional DDL rolls the whole run back', async () => {
      const db = await d.open();
      const list: readonly SchemaMigration[] = [
        {
          name: '0001_ok',
          up: async (k) => k.schema.createTable('mig_ok').addColumn('x', 'integer').execute(),
        },
        {
          name: '0002_bad',
          up: async () => {
            throw new Error('boom');
          },
        },
      ];
      await assert.rejects(migrateToLatest(db, 'image', list), (err: Error) => {
        assert.ok(err instanceof StartupError);
        assert.equal(err.message, 'Migration 0002_bad of the image database failed: boom');
        return true;
      });
      const expected = db.caps.supportsTransactionalDdl ? BASE_VERSION : '0001_ok';
      assert.equal(await currentVersion(db, 'image', list), expected);
    });

    it('sees the version from another connection', { skip: !d.shared }, async () => {
      const url = await d.newUrl();
      const a = await connectDatabase(url);
      const b = await connectDatabase(url);
      try {
        await migrateToLatest(a, 'cell');
        assert.equal(await currentVersion(b, 'cell'), latestVersion('cell'));
        assert.equal(await currentVersion(b, 'api'), BASE_VERSION);
        assert.deepEqual(await migrateToLatest(b, 'cell'), []);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
