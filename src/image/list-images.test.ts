import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../common/clock.ts';
import { testDialects } from '../db/test-dialects.ts';
import { parseIn } from './list-query.ts';
import { auth, type TestImageService, testImageService } from './test-support.ts';

const ALICE = auth('alice:p1');
const ADMIN = auth('admin:adm');

test('in: lists honour quotes', () => {
  assert.deepEqual(parseIn('in:"glass, darkly",share me'), ['glass, darkly', 'share me']);
  assert.deepEqual(parseIn('plain'), ['plain']);
});

for (const d of testDialects()) {
  describe(`GET /v2/images filters, sorting and paging on ${d.name}`, () => {
    let svc: TestImageService;
    const ids: Record<string, string> = {};
    before(async () => {
      svc = await testImageService(await d.open(['image']));
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const specs = [
        { name: 'a', disk_format: 'qcow2', container_format: 'bare', tags: ['gold'], os_distro: 'debian' },
        { name: 'b', disk_format: 'raw', container_format: 'bare', tags: ['gold', 'x86'] },
        { name: 'c', disk_format: 'raw', container_format: 'ova', os_distro: 'debian' },
        { name: 'd', disk_format: 'iso', container_format: 'bare', visibility: 'private' },
        { name: 'e', os_hidden: true },
      ];
      for (const s of specs) {
        const res = await svc.app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: s });
        ids[s.name] = res.json().id;
        clock.advance(1000);
        // Distinct creation times: rewrite created_at so sorting is deterministic.
        await svc.db.kysely
          .updateTable('images')
          .set({ created_at: clock.now().toISOString().replace('T', ' ').replace('Z', '') })
          .where('id', '=', ids[s.name])
          .execute();
      }
      await svc.app.inject({
        method: 'PUT',
        url: `/v2/images/${ids.b}/file`,
        headers: { ...ALICE, 'content-type': 'application/octet-stream' },
        payload: Buffer.alloc(100),
      });
    });
    after(async () => {
      await svc.close();
      await d.cleanup();
    });

    const names = async (q: string, headers = ALICE) => {
      const res = await svc.app.inject({ url: `/v2/images${q}`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json().images as { name: string }[]).map((i) => i.name);
    };

    test('default: newest first, hidden images left out', async () => {
      assert.deepEqual(await names(''), ['d', 'c', 'b', 'a']);
      assert.deepEqual(await names('?os_hidden=true'), ['e']);
    });

    test('column, in:, tag, property and size filters', async () => {
      assert.deepEqual(await names('?name=b'), ['b']);
      assert.deepEqual(await names('?name=in:a,c'), ['c', 'a']);
      assert.deepEqual(await names('?disk_format=raw'), ['c', 'b']);
      assert.deepEqual(await names('?container_format=ova'), ['c']);
      assert.deepEqual(await names('?status=active'), ['b']);
      assert.deepEqual(await names('?status=in:queued,saving'), ['d', 'c', 'a']);
      assert.deepEqual(await names('?tag=gold'), ['b', 'a']);
      assert.deepEqual(await names('?tag=gold&tag=x86'), ['b']);
      assert.deepEqual(await names('?os_distro=debian'), ['c', 'a']);
      assert.deepEqual(await names('?size_min=50&size_max=100'), ['b']);
      assert.deepEqual(await names('?visibility=private'), ['d']);
      assert.deepEqual(await names('?owner=p1&name=a'), ['a']);
      assert.deepEqual(await names(`?id=in:${ids.a},${ids.d}`), ['d', 'a']);
      assert.deepEqual(await names('?created_at=lte:2026-01-01T00:00:02Z'), ['b', 'a']);
      assert.deepEqual(await names('?created_at=gt:2026-01-01T00:00:03Z'), ['d']);
    });

    test('sorting: sort_key/sort_dir and sort=k:dir', async () => {
      assert.deepEqual(await names('?sort_key=name&sort_dir=asc'), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await names('?sort=disk_format:asc,name:desc'), ['d', 'a', 'c', 'b']);
      assert.deepEqual(await names('?sort=name'), ['d', 'c', 'b', 'a']);
    });

    test('paging: limit, marker, next and first links', async () => {
      const first = await svc.app.inject({
        url: '/v2/images?limit=2&sort_key=name&sort_dir=asc',
        headers: ALICE,
      });
      const body = first.json();
      assert.deepEqual(
        body.images.map((i: { name: string }) => i.name),
        ['a', 'b'],
      );
      assert.equal(body.first, '/v2/images?limit=2&sort_key=name&sort_dir=asc');
      assert.equal(body.schema, '/v2/schemas/images');
      assert.equal(body.next, `/v2/images?limit=2&sort_key=name&sort_dir=asc&marker=${ids.b}`);
      const second = (await svc.app.inject({ url: body.next, headers: ALICE })).json();
      assert.deepEqual(
        second.images.map((i: { name: string }) => i.name),
        ['c', 'd'],
      );
      const third = (await svc.app.inject({ url: second.next, headers: ALICE })).json();
      assert.deepEqual(third.images, []);
      assert.equal(third.next, undefined);
    });

    test('bad parameters are 400 with Glance messages', async () => {
      const bad = async (q: string, re: RegExp) => {
        const res = await svc.app.inject({
          url: `/v2/images${q}`,
          headers: { ...ALICE, accept: 'application/json' },
        });
        assert.equal(res.statusCode, 400, q);
        assert.match(res.json().message, re);
      };
      await bad('?limit=x', /limit param must be an integer/);
      await bad('?limit=-1', /limit param must be positive/);
      await bad('?sort_key=owner', /Invalid sort key: owner/);
      await bad('?sort_dir=up', /Invalid sort direction: up/);
      await bad('?sort=name&sort_key=name', /Old and new sorting syntax cannot be combined/);
      await bad('?visibility=everyone', /Invalid visibility value: everyone/);
      await bad('?member_status=maybe', /Invalid status: maybe/);
      await bad('?protected=yes', /Invalid value 'yes' for 'protected' filter/);
      await bad('?marker=00000000-0000-0000-0000-000000000000', /No image found with ID/);
    });

    test('other projects see none of these; admins see all', async () => {
      assert.deepEqual(await names('', auth('bob:p2')), []);
      assert.deepEqual(await names('?sort_key=name&sort_dir=asc', ADMIN), ['a', 'b', 'c', 'd']);
    });
  });
}
