import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDialects } from '../../db/test-dialects.ts';
import { auth, type TestImageService, testImageService } from '../test-support.ts';

const ALICE = auth('alice:p1');
const BOB = auth('bob:p2');
const OCTET = { 'content-type': 'application/octet-stream' };

describe('image data', () => {
  const d = testDialects()[0];
  let svc: TestImageService;
  before(async () => {
    svc = await testImageService(await d.open(['image']), [
      { group: 'image', name: 'image_size_cap', value: '4096' },
    ]);
  });
  after(async () => {
    await svc.close();
    await d.cleanup();
  });

  const create = async (body: Record<string, unknown> = { disk_format: 'raw', container_format: 'bare' }) => {
    const res = await svc.app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: body });
    return res.json();
  };
  const show = async (id: string) =>
    (await svc.app.inject({ url: `/v2/images/${id}`, headers: ALICE })).json();
  const put = (id: string, payload: Buffer, headers: Record<string, string> = {}) =>
    svc.app.inject({
      method: 'PUT',
      url: `/v2/images/${id}/file`,
      headers: { ...ALICE, ...OCTET, ...headers },
      payload,
    });
  const parts = () => readdirSync(svc.store.dir).filter((f) => f.endsWith('.part'));

  test('upload makes the image active with size, md5 checksum and sha512 hash; download returns the bytes', async () => {
    const img = await create();
    const data = randomBytes(3000);
    const up = await put(img.id, data);
    assert.equal(up.statusCode, 204, up.body);
    const after = await show(img.id);
    assert.equal(after.status, 'active');
    assert.equal(after.size, 3000);
    assert.equal(after.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(after.os_hash_algo, 'sha512');
    assert.equal(after.os_hash_value, createHash('sha512').update(data).digest('hex'));
    const down = await svc.app.inject({ url: `/v2/images/${img.id}/file`, headers: ALICE });
    assert.equal(down.statusCode, 200);
    assert.equal(down.headers['content-type'], 'application/octet-stream');
    assert.equal(down.headers['content-md5'], after.checksum);
    assert.equal(down.headers['content-length'], '3000');
    assert.deepEqual(down.rawPayload, data);
    const part = await svc.app.inject({
      url: `/v2/images/${img.id}/file`,
      headers: { ...ALICE, range: 'bytes=10-19' },
    });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], 'bytes 10-19/3000');
    assert.deepEqual(part.rawPayload, data.subarray(10, 20));
    const tail = await svc.app.inject({
      url: `/v2/images/${img.id}/file`,
      headers: { ...ALICE, range: 'bytes=-5' },
    });
    assert.deepEqual(tail.rawPayload, data.subarray(2995));
    const bad = await svc.app.inject({
      url: `/v2/images/${img.id}/file`,
      headers: { ...ALICE, range: 'bytes=5000-' },
    });
    assert.equal(bad.statusCode, 416);
    // Uploading again to an active image is a conflict.
    const again = await put(img.id, data);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Image status transition from active to saving is not allowed/);
    assert.deepEqual(parts(), []);
  });

  test('download of an image without data is 204; of a deactivated one 403 for non-admins', async () => {
    const img = await create();
    const none = await svc.app.inject({ url: `/v2/images/${img.id}/file`, headers: ALICE });
    assert.equal(none.statusCode, 204);
    assert.equal(none.body, '');
    await put(img.id, Buffer.from('hello'));
    const deact = await svc.app.inject({
      method: 'POST',
      url: `/v2/images/${img.id}/actions/deactivate`,
      headers: ALICE,
    });
    assert.equal(deact.statusCode, 204);
    assert.equal((await show(img.id)).status, 'deactivated');
    const refused = await svc.app.inject({ url: `/v2/images/${img.id}/file`, headers: ALICE });
    assert.equal(refused.statusCode, 403);
    const admin = await svc.app.inject({ url: `/v2/images/${img.id}/file`, headers: auth('admin:adm') });
    assert.equal(admin.body, 'hello');
    await svc.app.inject({ method: 'POST', url: `/v2/images/${img.id}/actions/reactivate`, headers: ALICE });
    assert.equal((await show(img.id)).status, 'active');
  });

  test('upload: formats must be set, size cap gives 413, size header must match; image stays queued', async () => {
    const bare = await create({ name: 'noformats' });
    const missing = await put(bare.id, Buffer.from('x'));
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Properties disk_format, container_format must be set prior to saving data/);
    const img = await create();
    const big = await put(img.id, randomBytes(5000));
    assert.equal(big.statusCode, 413);
    assert.equal((await show(img.id)).status, 'queued');
    const mismatch = await put(img.id, Buffer.from('abc'), { 'x-openstack-image-size': '4' });
    assert.equal(mismatch.statusCode, 400);
    assert.equal((await show(img.id)).status, 'queued');
    assert.equal((await put(img.id, Buffer.from('abc'), { 'x-openstack-image-size': '3' })).statusCode, 204);
    assert.deepEqual(parts(), []);
  });

  test('another project may not upload (404 for a private image) nor download a private image', async () => {
    const img = await create({ disk_format: 'raw', container_format: 'bare', visibility: 'private' });
    assert.equal((await put(img.id, Buffer.from('x'), BOB)).statusCode, 404);
    await put(img.id, Buffer.from('x'));
    assert.equal((await svc.app.inject({ url: `/v2/images/${img.id}/file`, headers: BOB })).statusCode, 404);
  });

  test('an upload cut off mid-stream leaves the image queued and no temporary file', async () => {
    const img = await create();
    const address = await svc.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = svc.app.server.address() as AddressInfo;
    assert.ok(address);
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path: `/v2/images/${img.id}/file`,
      headers: { ...ALICE, ...OCTET, 'content-length': '4000' },
    });
    req.on('error', () => {});
    req.write(randomBytes(1000));
    for (let i = 0; i < 100 && (await show(img.id)).status !== 'saving'; i++) await sleep(10);
    assert.equal((await show(img.id)).status, 'saving');
    assert.equal(parts().length, 1);
    req.destroy();
    for (let i = 0; i < 200 && (await show(img.id)).status !== 'queued'; i++) await sleep(10);
    assert.equal((await show(img.id)).status, 'queued');
    assert.deepEqual(parts(), []);
    assert.deepEqual(
      readdirSync(svc.store.dir).filter((f) => f === img.id),
      [],
    );
  });
});
