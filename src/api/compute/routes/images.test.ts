import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '../../../db/test-dialects.ts';
import { type TestImageService, testImageService } from '../../../image/test-support.ts';
import { ImageClient, type ImageInfo } from '../../../image-client/client.ts';
import { startTestApi, type TestApi } from '../test-support.ts';

describe('images proxy (until 2.35) and image metadata (until 2.38) over the embedded image service', () => {
  const d = testDialects()[0];
  let svc: TestImageService;
  let t: TestApi;
  let glance: string;
  let img: ImageInfo;
  let snap: ImageInfo;
  before(async () => {
    svc = await testImageService(await d.open(['image']));
    glance = await svc.app.listen({ host: '127.0.0.1', port: 0 });
    const client = (token: string) => new ImageClient({ endpoints: [`${glance}/v2`], token });
    t = await startTestApi(
      [
        { group: 'glance', name: 'api_servers', value: glance },
        { group: 'quota', name: 'metadata_items', value: '3' },
      ],
      { imageClient: (auth) => client(`${auth.user_id}:${auth.project_id}`) },
    );
    const admin = client('admin:0a1b2c3d');
    img = await admin.create({
      name: 'cirros',
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'public',
      min_ram: 64,
      os_distro: 'cirros',
      auto_disk_config: 'true',
    });
    snap = await admin.create({
      name: 'snap',
      disk_format: 'qcow2',
      container_format: 'bare',
      instance_uuid: '1bb62a04-c576-402c-8147-9e89757a09e3',
      image_type: 'snapshot',
    });
  });
  after(async () => {
    await t.close();
    await svc.close();
    await d.cleanup();
  });

  it('lists and shows images in Nova’s shape', async () => {
    const list = await t.call('GET', '/v2.1/images', { headers: { host: 'h' } });
    assert.equal(list.statusCode, 200);
    const one = list.json().images.find((i: { id: string }) => i.id === img.id);
    assert.deepEqual(one, {
      id: img.id,
      name: 'cirros',
      links: [
        { rel: 'self', href: `http://h/v2.1/images/${img.id}` },
        { rel: 'bookmark', href: `http://h/images/${img.id}` },
        { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${glance}/images/${img.id}` },
      ],
    });
    const show = (await t.call('GET', `/v2.1/images/${img.id}`)).json().image;
    assert.equal(show.status, 'SAVING', 'queued');
    assert.equal(show.progress, 25);
    assert.equal(show.minRam, 64);
    assert.equal(show.minDisk, 0);
    assert.equal(show.metadata.os_distro, 'cirros');
    assert.equal(show['OS-DCF:diskConfig'], 'AUTO');
    assert.equal(show['OS-EXT-IMG-SIZE:size'], null);
    assert.match(show.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const s = (await t.call('GET', `/v2.1/images/${snap.id}`)).json().image;
    assert.equal(s.server.id, '1bb62a04-c576-402c-8147-9e89757a09e3');
  });

  it('filters (server, type, name) and pages by id', async () => {
    const ids = async (q: string) =>
      (await t.call('GET', `/v2.1/images/detail?${q}`)).json().images.map((i: { id: string }) => i.id);
    assert.deepEqual(await ids('type=snapshot'), [snap.id]);
    assert.deepEqual(await ids('server=http://x/servers/1bb62a04-c576-402c-8147-9e89757a09e3'), [snap.id]);
    assert.deepEqual(await ids('name=cirros'), [img.id]);
    const all = await ids('');
    const page = await t.call('GET', `/v2.1/images?limit=1&marker=${all[0]}`);
    assert.deepEqual(
      page.json().images.map((i: { id: string }) => i.id),
      [all[1]],
    );
    assert.equal((await t.call('GET', '/v2.1/images?marker=nope')).statusCode, 400);
  });

  it('answers 404 above 2.35 (metadata above 2.38) and for unknown images', async () => {
    assert.equal((await t.call('GET', '/v2.1/images', { mv: '2.36' })).statusCode, 404);
    assert.equal((await t.call('GET', `/v2.1/images/${img.id}/metadata`, { mv: '2.38' })).statusCode, 200);
    assert.equal((await t.call('GET', `/v2.1/images/${img.id}/metadata`, { mv: '2.39' })).statusCode, 404);
    const missing = await t.call('GET', '/v2.1/images/1bb62a04-c576-402c-8147-9e89757a09e3');
    assert.deepEqual(missing.json(), { itemNotFound: { code: 404, message: 'Image not found.' } });
  });

  it('reads and writes metadata with the metadata_items quota', async () => {
    const url = `/v2.1/images/${img.id}/metadata`;
    const meta = (await t.call('GET', url)).json().metadata;
    assert.equal(meta.os_distro, 'cirros');
    const k = await t.call('GET', `${url}/os_distro`);
    assert.deepEqual(k.json(), { meta: { os_distro: 'cirros' } });
    const post = await t.call('POST', url, { body: { metadata: { hw_disk_bus: 'virtio' } } });
    assert.equal(post.json().metadata.hw_disk_bus, 'virtio');
    const over = await t.call('POST', url, { body: { metadata: { a: '1', b: '2' } } });
    assert.deepEqual(over.json(), { forbidden: { code: 403, message: 'Image metadata limit exceeded' } });
    const mismatch = await t.call('PUT', `${url}/x`, { body: { meta: { y: '1' } } });
    assert.equal(mismatch.json().badRequest.message, 'Request body and URI mismatch');
    const put = await t.call('PUT', url, { body: { metadata: { only: 'this' } } });
    assert.deepEqual(put.json(), { metadata: { only: 'this' } });
    assert.deepEqual((await t.call('GET', url)).json().metadata, { only: 'this' });
    assert.equal((await t.call('DELETE', `${url}/only`)).statusCode, 204);
    const gone = await t.call('DELETE', `${url}/only`);
    assert.equal(gone.json().itemNotFound.message, 'Invalid metadata key');
    const bad = await t.call('POST', url, { body: { metadata: { 'bad/key': 'x' } } });
    assert.equal(bad.statusCode, 400);
  });

  it('deletes through the image service', async () => {
    assert.equal((await t.call('DELETE', `/v2.1/images/${snap.id}`)).statusCode, 204);
    assert.equal((await t.call('DELETE', `/v2.1/images/${snap.id}`)).statusCode, 404);
  });
});
