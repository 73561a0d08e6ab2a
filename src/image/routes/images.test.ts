import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import { auth, PATCH_21, type TestImageService, testImageService } from '../test-support.ts';

const ALICE = auth('alice:p1');
const BOB = auth('bob:p2');
const ADMIN = auth('admin:adm');

for (const d of testDialects()) {
  describe(`image API on ${d.name}`, () => {
    let svc: TestImageService;
    before(async () => {
      svc = await testImageService(await d.open(['image']));
    });
    after(async () => {
      await svc.close();
      await d.cleanup();
    });

    const create = async (body: Record<string, unknown>, headers = ALICE) => {
      const res = await svc.app.inject({ method: 'POST', url: '/v2/images', headers, payload: body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const patch = (id: string, ops: unknown, headers: Record<string, string> = ALICE, type = PATCH_21) =>
      svc.app.inject({
        method: 'PATCH',
        url: `/v2/images/${id}`,
        headers: { ...headers, 'content-type': type },
        payload: JSON.stringify(ops),
      });

    test('create: queued with Glance defaults, owner = project, Location header, free-form properties', async () => {
      const res = await svc.app.inject({
        method: 'POST',
        url: '/v2/images',
        headers: ALICE,
        payload: {
          name: 'cirros',
          disk_format: 'qcow2',
          container_format: 'bare',
          os_distro: 'cirros',
          tags: ['t1'],
        },
      });
      assert.equal(res.statusCode, 201);
      const img = res.json();
      assert.equal(res.headers.location, `http://localhost:80/v2/images/${img.id}`);
      assert.equal(img.status, 'queued');
      assert.equal(img.visibility, 'shared');
      assert.equal(img.owner, 'p1');
      assert.equal(img.os_distro, 'cirros');
      assert.deepEqual(img.tags, ['t1']);
      for (const k of ['size', 'checksum', 'os_hash_algo', 'os_hash_value', 'virtual_size'])
        assert.equal(img[k], null);
      assert.equal(img.protected, false);
      assert.equal(img.min_disk, 0);
      assert.equal(img.self, `/v2/images/${img.id}`);
      assert.equal(img.file, `/v2/images/${img.id}/file`);
      assert.equal(img.schema, '/v2/schemas/image');
      assert.match(img.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const shown = await svc.app.inject({ url: `/v2/images/${img.id}`, headers: ALICE });
      assert.deepEqual(shown.json(), img);
    });

    test('create: bad input gets Glance 4xx', async () => {
      const post = (payload: unknown, headers = ALICE) =>
        svc.app.inject({
          method: 'POST',
          url: '/v2/images',
          headers: { ...headers, accept: 'application/json' },
          payload: payload as object,
        });
      const bad = await post({ disk_format: 'floppy' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /'floppy' is not one of \[None, 'ami'/);
      assert.equal(bad.json().code, '400 Bad Request');
      assert.equal((await post({ container_format: 'tarball' })).statusCode, 400);
      assert.equal((await post({ min_ram: 'x' })).statusCode, 400);
      assert.equal((await post({ foo: 1 })).statusCode, 400);
      const ro = await post({ status: 'active' });
      assert.equal(ro.statusCode, 403);
      assert.match(ro.json().message, /^Attribute 'status' is read-only\./);
      assert.equal((await post({ self: '/x' })).statusCode, 403);
      assert.equal((await post({ os_glance_x: 'y' })).statusCode, 403);
      assert.equal((await post({ owner: 'other' })).statusCode, 403);
      assert.equal((await post({ visibility: 'public' })).statusCode, 403);
      assert.equal((await post({ visibility: 'public' }, ADMIN)).statusCode, 201);
      const id = '4e0f2c4a-5d2c-4d1e-9a55-aaaaaaaaaaaa';
      assert.equal((await post({ id })).statusCode, 201);
      assert.equal((await post({ id })).statusCode, 409);
      const malformed = await svc.app.inject({
        method: 'POST',
        url: '/v2/images',
        headers: { ...ALICE, 'content-type': 'application/json' },
        payload: '{nope',
      });
      assert.equal(malformed.statusCode, 400);
    });

    test('errors follow the Accept header as webob does', async () => {
      const id = '00000000-0000-0000-0000-00000000beef';
      const html = await svc.app.inject({ url: `/v2/images/${id}`, headers: ALICE });
      assert.equal(html.statusCode, 404);
      assert.match(String(html.headers['content-type']), /^text\/html/);
      assert.match(html.body, /<h1>404 Not Found<\/h1>/);
      assert.match(html.body, new RegExp(`No image found with ID ${id}`));
      const json = await svc.app.inject({
        url: `/v2/images/${id}`,
        headers: { ...ALICE, accept: 'application/json' },
      });
      assert.deepEqual(json.json(), {
        message: `No image found with ID ${id}<br /><br />\n\n\n`,
        code: '404 Not Found',
        title: 'Not Found',
      });
      const noToken = await svc.app.inject({ url: '/v2/images' });
      assert.equal(noToken.statusCode, 401);
      assert.ok(noToken.headers['www-authenticate']);
    });

    test('PATCH: replace/add/remove core attributes and properties; Glance 4xx on bad changes', async () => {
      const img = await create({ name: 'a', disk_format: 'raw', container_format: 'bare', hw_x: '1' });
      const ok = await patch(img.id, [
        { op: 'replace', path: '/name', value: 'b' },
        { op: 'add', path: '/os_distro', value: 'debian' },
        { op: 'remove', path: '/hw_x' },
        { op: 'replace', path: '/min_ram', value: 512 },
        { op: 'replace', path: '/tags', value: ['x', 'y'] },
      ]);
      assert.equal(ok.statusCode, 200, ok.body);
      const body = ok.json();
      assert.equal(body.name, 'b');
      assert.equal(body.os_distro, 'debian');
      assert.equal(body.hw_x, undefined);
      assert.equal(body.min_ram, 512);
      assert.deepEqual(body.tags, ['x', 'y']);
      const v20 = await patch(
        img.id,
        [{ replace: '/name', value: 'c' }],
        ALICE,
        'application/openstack-images-v2.0-json-patch',
      );
      assert.equal(v20.json().name, 'c');
      assert.equal(
        (
          await patch(
            img.id,
            [{ add: '/name', value: 'c' }],
            ALICE,
            'application/openstack-images-v2.0-json-patch',
          )
        ).statusCode,
        409,
      );
      const ro = await patch(img.id, [{ op: 'replace', path: '/status', value: 'active' }]);
      assert.equal(ro.statusCode, 403);
      assert.match(
        ro.body,
        /Attribute &#x27;status&#x27; is read-only|Attribute 'status' is read-only|Attribute &#39;status&#39;/,
      );
      assert.equal((await patch(img.id, [{ op: 'replace', path: '/id', value: 'x' }])).statusCode, 403);
      assert.equal((await patch(img.id, [{ op: 'remove', path: '/nothere' }])).statusCode, 409);
      assert.equal((await patch(img.id, [{ op: 'replace', path: '/nothere', value: 'x' }])).statusCode, 409);
      assert.equal((await patch(img.id, [{ op: 'remove', path: '/name' }])).statusCode, 403);
      assert.equal(
        (await patch(img.id, [{ op: 'replace', path: '/disk_format', value: 'floppy' }])).statusCode,
        400,
      );
      assert.equal((await patch(img.id, [{ op: 'add', path: '/prop', value: 5 }])).statusCode, 400);
      assert.equal((await patch(img.id, [{ op: 'move', path: '/name' }])).statusCode, 400);
      assert.equal((await patch(img.id, { op: 'add' })).statusCode, 400);
      assert.equal(
        (await patch(img.id, [{ op: 'replace', path: '/visibility', value: 'public' }])).statusCode,
        403,
      );
      assert.equal((await patch(img.id, [{ op: 'replace', path: '/owner', value: 'p9' }])).statusCode, 403);
      assert.equal(
        (await patch(img.id, [{ op: 'replace', path: '/visibility', value: 'public' }], ADMIN)).statusCode,
        200,
      );
      const wrongType = await patch(img.id, [], ALICE, 'application/json');
      assert.equal(wrongType.statusCode, 415);
      assert.match(String(wrongType.headers['accept-patch']), /openstack-images-v2.1-json-patch/);
      // Another project may see the (now public) image but not change it.
      assert.equal(
        (await patch(img.id, [{ op: 'replace', path: '/name', value: 'z' }], BOB)).statusCode,
        403,
      );
    });

    test('delete: protected images are refused with 403; deleted images are gone', async () => {
      const img = await create({ name: 'p', protected: true });
      const refused = await svc.app.inject({ method: 'DELETE', url: `/v2/images/${img.id}`, headers: ALICE });
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /is protected and cannot be deleted/);
      assert.equal(
        (await patch(img.id, [{ op: 'replace', path: '/protected', value: false }])).statusCode,
        200,
      );
      assert.equal(
        (await svc.app.inject({ method: 'DELETE', url: `/v2/images/${img.id}`, headers: BOB })).statusCode,
        404,
      );
      assert.equal(
        (await svc.app.inject({ method: 'DELETE', url: `/v2/images/${img.id}`, headers: ALICE })).statusCode,
        204,
      );
      assert.equal((await svc.app.inject({ url: `/v2/images/${img.id}`, headers: ALICE })).statusCode, 404);
      assert.equal((await svc.app.inject({ url: `/v2/images/${img.id}`, headers: ADMIN })).statusCode, 404);
    });

    test('tags: add and remove one tag', async () => {
      const img = await create({ name: 't' });
      const put = await svc.app.inject({
        method: 'PUT',
        url: `/v2/images/${img.id}/tags/gold`,
        headers: ALICE,
      });
      assert.equal(put.statusCode, 204);
      await svc.app.inject({ method: 'PUT', url: `/v2/images/${img.id}/tags/gold`, headers: ALICE });
      assert.deepEqual((await svc.app.inject({ url: `/v2/images/${img.id}`, headers: ALICE })).json().tags, [
        'gold',
      ]);
      const del = await svc.app.inject({
        method: 'DELETE',
        url: `/v2/images/${img.id}/tags/gold`,
        headers: ALICE,
      });
      assert.equal(del.statusCode, 204);
      const again = await svc.app.inject({
        method: 'DELETE',
        url: `/v2/images/${img.id}/tags/gold`,
        headers: ALICE,
      });
      assert.equal(again.statusCode, 404);
      assert.equal(
        (await svc.app.inject({ method: 'PUT', url: `/v2/images/${img.id}/tags/x`, headers: BOB }))
          .statusCode,
        404,
      );
    });

    test('deactivate/reactivate only from active; schemas, tasks and import info', async () => {
      const img = await create({ name: 'd' });
      const deact = await svc.app.inject({
        method: 'POST',
        url: `/v2/images/${img.id}/actions/deactivate`,
        headers: ALICE,
      });
      assert.equal(deact.statusCode, 403);
      assert.match(deact.body, /Not allowed to deactivate image in status 'queued'/);
      for (const s of ['image', 'images', 'member', 'members']) {
        const res = await svc.app.inject({ url: `/v2/schemas/${s}`, headers: ALICE });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().name, s);
      }
      assert.deepEqual((await svc.app.inject({ url: `/v2/images/${img.id}/tasks`, headers: ALICE })).json(), {
        tasks: [],
      });
      assert.deepEqual(
        (await svc.app.inject({ url: '/v2/info/import', headers: ALICE })).json()['import-methods'].value,
        [],
      );
    });

    test('version discovery needs no token', async () => {
      const root = await svc.app.inject({ url: '/' });
      assert.equal(root.statusCode, 300);
      const v = root.json().versions;
      assert.equal(v[0].id, 'v2.7');
      assert.equal(v[0].status, 'CURRENT');
      assert.equal(v[0].links[0].href, 'http://localhost:80/v2/');
      assert.equal((await svc.app.inject({ url: '/versions' })).statusCode, 200);
    });
  });
}
