// API samples: test/api-samples/<resource>/v2.N/<name>.json hold a request (method, path, body)
// and the response expected at microversion 2.N, after upstream's doc/api_samples. Each resource
// runs its samples in name order against a fresh world (world.ts); responses are compared
// structurally (compare.ts). API_SAMPLES_RECORD=1 rewrites the expected responses from the server.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestApi } from '../../src/api/compute/test-support.ts';
import { compareStructure } from './compare.ts';
import { startSampleWorld } from './world.ts';

interface Sample {
  readonly request: { readonly method: string; readonly path: string; readonly body?: unknown };
  readonly status: number;
  readonly response?: unknown;
}

const ROOT = import.meta.dirname;
const RECORD = process.env.API_SAMPLES_RECORD === '1';

/** [version, file] pairs of a resource, in (file name, version) order. */
function samplesOf(resource: string): [string, string][] {
  const out: [string, string][] = [];
  for (const dir of readdirSync(join(ROOT, resource)))
    for (const f of readdirSync(join(ROOT, resource, dir)))
      if (f.endsWith('.json')) out.push([dir.replace(/^v/, ''), join(ROOT, resource, dir, f)]);
  return out.sort(
    ([va, a], [vb, b]) => a.split('/').pop()!.localeCompare(b.split('/').pop()!) || va.localeCompare(vb),
  );
}

const RESOURCES = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

for (const resource of RESOURCES) {
  describe(`api samples: ${resource}`, () => {
    let t: TestApi;
    before(async () => {
      t = await startSampleWorld();
    });
    after(() => t.close());
    for (const [mv, file] of samplesOf(resource)) {
      it(`${file.slice(ROOT.length + 1)}`, async () => {
        const sample = JSON.parse(readFileSync(file, 'utf8')) as Sample;
        const r = await t.call(sample.request.method, `/v2.1${sample.request.path}`, {
          mv,
          body: sample.request.body,
          headers: { host: 'openstack.example.com' },
        });
        const body = r.body === '' ? undefined : r.json();
        if (RECORD) {
          writeFileSync(
            file,
            `${JSON.stringify({ ...sample, status: r.statusCode, response: body }, null, 4)}\n`,
          );
          return;
        }
        assert.equal(r.statusCode, sample.status, r.body);
        assert.deepEqual(compareStructure(body, sample.response), []);
      });
    }
  });
}
