import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../db/test-dialects.ts';
import { type TestImageService, testConf, testImageService } from '../image/test-support.ts';
import { ImageClient } from './client.ts';
import { imageEndpoints } from './endpoint.ts';
import { ImageHashMismatch, ImageNotFound, ImageServiceError } from './errors.ts';

describe('ImageClient against the embedded image service', () => {
  const d = testDialects()[0];
  let svc: TestImageService;
  let url: string;
  let client: ImageClient;
  before(async () => {
    svc = await testImageService(await d.open(['image']));
    url = await svc.app.listen({ host: '127.0.0.1', port: 0 });
    client = new ImageClient({ endpoints: [`${url}/v2`], token: 'nova:service' });
  });
  after(async () => {
    await svc.close();
    await d.cleanup();
  });

  test('create, upload, show, list, update, download with verification, delete', async () => {
    const img = await client.create({
      name: 'snap',
      disk_format: 'qcow2',
      container_format: 'bare',
      min_disk: 1,
      hw_disk_bus: 'virtio',
    });
    assert.equal(img.status, 'queued');
    assert.equal(img.properties.hw_disk_bus, 'virtio');
    const data = randomBytes(256 * 1024);
    await client.upload(img.id, Readable.from([data.subarray(0, 1000), data.subarray(1000)]), data.length);
    const shown = await client.show(img.id);
    assert.equal(shown.status, 'active');
    assert.equal(shown.size, data.length);
    assert.equal(shown.min_disk, 1);
    assert.equal(shown.os_hash_value, createHash('sha512').update(data).digest('hex'));
    const listed = await client.list({ name: 'snap' });
    assert.deepEqual(
      listed.map((i) => i.id),
      [img.id],
    );
    const updated = await client.update(img.id, {
      set: { os_distro: 'debian', min_ram: 64 },
      remove: ['hw_disk_bus'],
    });
    assert.equal(updated.properties.os_distro, 'debian');
    assert.equal(updated.min_ram, 64);
    assert.equal(updated.properties.hw_disk_bus, undefined);
    const dl = await client.download(img.id);
    assert.equal(dl.size, data.length);
    assert.deepEqual(await buffer(dl.stream), data);
    await client.delete(img.id);
    await assert.rejects(client.show(img.id), ImageNotFound);
  });

  test('list follows next links', async () => {
    for (let i = 0; i < 30; i++) await client.create({ name: `many-${i}`, tags: ['many'] });
    assert.equal((await client.list({ tag: 'many' })).length, 30);
    assert.equal((await client.list({ tag: 'many', limit: '7' })).length, 30);
  });

  test('a download whose bytes do not match the hash fails', async () => {
    const img = await client.create({ name: 'bad', disk_format: 'raw', container_format: 'bare' });
    await client.upload(img.id, Readable.from([Buffer.from('good bytes')]));
    // Corrupt the stored file behind the service's back.
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(svc.store.dir, img.id), 'evil bytes');
    const dl = await client.download(img.id);
    await assert.rejects(buffer(dl.stream), ImageHashMismatch);
  });

  test('errors: unknown image, no data, unreachable endpoint retried on the next one', async () => {
    await assert.rejects(client.show('00000000-0000-0000-0000-000000000000'), ImageNotFound);
    const queued = await client.create({ name: 'empty' });
    await assert.rejects(client.download(queued.id), ImageServiceError);
    const failover = new ImageClient({
      endpoints: ['http://127.0.0.1:9', url],
      token: 'nova:service',
      retries: 1,
    });
    assert.equal((await failover.show(queued.id)).id, queued.id);
    const dead = new ImageClient({ endpoints: ['http://127.0.0.1:9'], token: 'x' });
    await assert.rejects(dead.show(queued.id), ImageServiceError);
  });

  test('endpoint: api_servers first, else the catalog by service type and interface', () => {
    const conf = svc.conf;
    assert.throws(() => imageEndpoints(conf));
    const catalog = [
      {
        type: 'image',
        endpoints: [
          { interface: 'public', region: 'RegionOne', url: 'http://pub:9292' },
          { interface: 'internal', region: 'RegionOne', url: 'http://int:9292' },
        ],
      },
    ];
    assert.deepEqual(imageEndpoints(conf, catalog), ['http://int:9292']);
    const withServers = testConf(svc.dir, [
      { group: 'glance', name: 'api_servers', value: 'g1:9292,https://g2' },
    ]);
    assert.deepEqual(imageEndpoints(withServers, catalog), ['http://g1:9292', 'https://g2']);
  });
});
