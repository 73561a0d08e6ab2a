// rebuild, createImage and createBackup (and shelve with the default shelved_offload_time 0)
// against an in-process all-in-one with two fake hosts: task states back to none, images made in
// the image service with the snapshot properties, backup rotation, rebuild changes kept.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type MoveCloud, startMoveCloud } from './cloud.ts';

describe('rebuild and snapshots', () => {
  let c: MoveCloud;
  let imageId: string;
  before(async () => {
    c = await startMoveCloud({ fakeHosts: 2 });
    imageId = (await c.image('GET', '/v2/images')).body.images.find(
      (i: { name: string }) => i.name === 'nova-ts-tiny',
    ).id;
  });
  after(() => c?.stop());

  test('createImage (2.45+: image_id body; before: Location) makes an active snapshot image', async () => {
    const s = await c.boot('snap1');
    const r = await c.action(s.id, { createImage: { name: 'snap1-img', metadata: { purpose: 'test' } } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = r.body.image_id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    await c.waitFor(s.id, (x) => x['OS-EXT-STS:task_state'] === null, 'task cleared');
    const img = (await c.image('GET', `/v2/images/${id}`)).body;
    assert.equal(img.status, 'active');
    assert.equal(img.image_type, 'snapshot');
    assert.equal(img.instance_uuid, s.id);
    assert.equal(img.base_image_ref, imageId);
    assert.equal(img.purpose, 'test');
    assert.equal(img.min_disk, 1, 'flavor root disk');
    assert.equal(img.owner, s.tenant_id);
    const old = await c.action(s.id, { createImage: { name: 'snap1-old' } }, '2.44');
    assert.equal(old.status, 202);
    assert.match(old.headers.get('location') ?? '', /\/images\/[0-9a-f-]{36}$/);
    await c.waitFor(s.id, (x) => x['OS-EXT-STS:task_state'] === null, 'task cleared');
    assert.equal((await c.action(s.id, { createImage: {} })).status, 400);
  });

  test('createBackup rotates: only the newest `rotation` backups of that type remain', async () => {
    const s = await c.boot('bk1');
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await c.action(s.id, {
        createBackup: { name: `bk-${i}`, backup_type: 'daily', rotation: 2 },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      made.push(r.body.image_id);
      await c.waitFor(s.id, (x) => x['OS-EXT-STS:task_state'] === null, 'task cleared');
      await new Promise((res) => setTimeout(res, 1100));
    }
    const left = (await c.image('GET', '/v2/images')).body.images
      .filter(
        (i: { instance_uuid?: string; image_type?: string }) =>
          i.instance_uuid === s.id && i.image_type === 'backup',
      )
      .map((i: { id: string }) => i.id)
      .sort();
    assert.deepEqual(left, made.slice(1).sort());
    const r = await c.action(s.id, { createBackup: { name: 'bk-x', backup_type: 'daily', rotation: 0 } });
    assert.equal(r.status, 202);
    await c.waitFor(s.id, (x) => x['OS-EXT-STS:task_state'] === null, 'task cleared');
    // Rotation runs after the upload finished (as upstream: once the task state is cleared).
    const backups = async () =>
      (await c.image('GET', '/v2/images')).body.images.filter(
        (i: { instance_uuid?: string; image_type?: string }) =>
          i.instance_uuid === s.id && i.image_type === 'backup',
      );
    let none = await backups();
    for (let i = 0; i < 100 && none.length > 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
      none = await backups();
    }
    assert.deepEqual(none, [], 'rotation 0 deletes them all');
  });

  test('rebuild: REBUILD → ACTIVE on the same host with the new name, metadata and hostname', async () => {
    const s = await c.boot('rb1', { metadata: { a: '1' } });
    const r = await c.action(s.id, {
      rebuild: {
        imageRef: imageId,
        name: 'rb1-new',
        metadata: { b: '2' },
        hostname: 'rb-host',
        key_name: null,
      },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.server.id, s.id);
    assert.equal(r.body.server.name, 'rb1-new');
    const done = await c.waitFor(
      s.id,
      (x) => x.status === 'ACTIVE' && x['OS-EXT-STS:task_state'] === null,
      'ACTIVE',
    );
    assert.equal(done['OS-EXT-SRV-ATTR:host'], s['OS-EXT-SRV-ATTR:host']);
    assert.deepEqual(done.metadata, { b: '2' });
    assert.equal(done['OS-EXT-SRV-ATTR:hostname'], 'rb-host');
    assert.equal(
      (await c.action(s.id, { rebuild: { imageRef: '00000000-0000-0000-0000-00000000dead' } })).status,
      400,
    );
    assert.equal(
      (await c.action(s.id, { rebuild: { imageRef: imageId, hostname: 'x' } }, '2.89')).status,
      400,
    );
    const acts = (await c.api('GET', `/servers/${s.id}/os-instance-actions`)).body.instanceActions;
    assert.ok(acts.some((a: { action: string }) => a.action === 'rebuild'));
  });

  test('rebuild to an image the host does not suit (runOnRebuild filters) → ERROR, old image kept', async () => {
    const s = await c.boot('rb2');
    const created = await c.image('POST', '/v2/images', {
      name: 'xen-only',
      disk_format: 'raw',
      container_format: 'bare',
      img_hv_type: 'xen',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const up = await fetch(`${c.urls.image}/v2/images/${created.body.id}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': c.token, 'content-type': 'application/octet-stream' },
      body: 'disk',
    });
    assert.equal(up.status, 204);
    assert.equal((await c.action(s.id, { rebuild: { imageRef: created.body.id } })).status, 202);
    const bad = await c.waitFor(s.id, (x) => x.status === 'ERROR', 'ERROR');
    assert.equal(bad.image.id, imageId, `image_ref rolled back: ${JSON.stringify(bad.fault)}`);
    assert.match(bad.fault.message, /No valid host/);
  });

  test('shelve with shelved_offload_time 0 offloads at once', async () => {
    const s = await c.boot('sh0');
    assert.equal((await c.action(s.id, { shelve: null })).status, 202);
    const off = await c.waitFor(s.id, (x) => x.status === 'SHELVED_OFFLOADED', 'SHELVED_OFFLOADED');
    assert.equal(off['OS-EXT-SRV-ATTR:host'], null);
    assert.deepEqual(await c.allocations(s.id), {});
  });
});
