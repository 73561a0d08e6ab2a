// Runs every declarative HTTP test file of this directory (explicit list) against a fresh
// placement app and database, on in-memory SQLite and on MySQL/PostgreSQL when they are reachable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PlacementDb } from '../../db/tables/placement-db.ts';
import { testDialects } from '../../db/test-dialects.ts';
import { placementOn } from '../test-support.ts';
import { type HttpFile, runCase, varsFor } from './runner.ts';

const FILES = [
  'basic-http.json',
  'microversion.json',
  'resource-provider.json',
  'inventory.json',
  'resource-class.json',
  'traits.json',
  'aggregate.json',
  'allocations.json',
  'allocations-post.json',
  'usage.json',
  'candidates.json',
  'candidates-granular.json',
  'candidates-nested.json',
  'candidates-sharing.json',
  'reshaper.json',
  'policy.json',
];

for (const d of testDialects().filter((x) => x.name !== 'sqlite-file')) {
  describe(`placement http (${d.name})`, () => {
    after(() => d.cleanup());
    for (const name of FILES) {
      const file = JSON.parse(readFileSync(join(import.meta.dirname, name), 'utf8')) as HttpFile;
      it(`${name}: ${file.description ?? ''}`, async (t) => {
        const p = await placementOn(await d.open<PlacementDb>(['placement']));
        const vars = varsFor(file);
        try {
          for (const c of file.tests) await t.test(c.name, () => runCase(p.app, file, c, vars));
        } finally {
          await p.close();
        }
      });
    }
  });
}
