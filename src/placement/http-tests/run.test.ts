// Runs every declarative HTTP test file of this directory (explicit list) against a fresh
// placement app over in-memory SQLite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { memoryPlacement } from '../test-support.ts';
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

for (const name of FILES) {
  const file = JSON.parse(readFileSync(join(import.meta.dirname, name), 'utf8')) as HttpFile;
  describe(`placement ${name}`, () => {
    it(file.description ?? name, async (t) => {
      const p = await memoryPlacement();
      const vars = varsFor(file);
      try {
        for (const c of file.tests) await t.test(c.name, () => runCase(p.app, file, c, vars));
      } finally {
        await p.close();
      }
    });
  });
}
