import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as instances from '../../../objects/instance.ts';
import { addBuildRequest, addServer } from '../server-test-fixtures.ts';
import { ADMIN, ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';

describe('server metadata', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi([{ group: 'quota', name: 'metadata_items', value: '3' }]);
  });
  after(() => t.close());

  const url = (id: string, key?: string) => `/v2.1/servers/${id}/metadata${key ? `/${key}` : ''}`;

  it('lists and shows items; an unknown key is 404', async () => {
    const s = await addServer(t, { metadata: { a: '1', 'b c': '2' } });
    const list = await t.call('GET', url(s.uuid), { token: ALICE });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), { metadata: { a: '1', 'b c': '2' } });
    const one = await t.call('GET', url(s.uuid, 'b%20c'), { token: ALICE });
    assert.deepEqual(one.json(), { meta: { 'b c': '2' } });
    const none = await t.call('GET', url(s.uuid, 'zz'), { token: ALICE });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().itemNotFound.message, 'Metadata item was not found');
  });

  it('hides another project’s server (404) and unknown servers', async () => {
    const s = await addServer(t);
    assert.equal((await t.call('GET', url(s.uuid), { token: BOB })).statusCode, 404);
    const r = await t.call('GET', url('7d3b2a4e-0000-4000-8000-000000000001'), { token: ALICE });
    assert.equal(r.statusCode, 404);
  });

  it('merges with POST, replaces with PUT and sets one item with PUT …/{key}', async () => {
    const s = await addServer(t, { metadata: { a: '1', b: '2' } });
    const post = await t.call('POST', url(s.uuid), { token: ALICE, body: { metadata: { b: 'x', c: '3' } } });
    assert.equal(post.statusCode, 200);
    assert.deepEqual(post.json(), { metadata: { a: '1', b: 'x', c: '3' } });

    const put = await t.call('PUT', url(s.uuid), { token: ALICE, body: { metadata: { z: '9' } } });
    assert.deepEqual(put.json(), { metadata: { z: '9' } });
    assert.deepEqual((await instances.get(t.cellDb, s.uuid)).metadata, { z: '9' });

    const item = await t.call('PUT', url(s.uuid, 'k'), { token: ALICE, body: { meta: { k: 'v' } } });
    assert.equal(item.statusCode, 200);
    assert.deepEqual(item.json(), { meta: { k: 'v' } });
    assert.deepEqual((await instances.get(t.cellDb, s.uuid)).metadata, { z: '9', k: 'v' });
  });

  it('refuses a mismatched item body and invalid keys/values (400)', async () => {
    const s = await addServer(t);
    const mismatch = await t.call('PUT', url(s.uuid, 'k'), { token: ALICE, body: { meta: { other: 'v' } } });
    assert.equal(mismatch.statusCode, 400);
    assert.equal(mismatch.json().badRequest.message, 'Request body and URI mismatch');
    const two = await t.call('PUT', url(s.uuid, 'k'), { token: ALICE, body: { meta: { k: 'v', l: 'w' } } });
    assert.equal(two.statusCode, 400);
    const longValue = await t.call('POST', url(s.uuid), {
      token: ALICE,
      body: { metadata: { k: 'v'.repeat(256) } },
    });
    assert.equal(longValue.statusCode, 400);
    const badKey = await t.call('POST', url(s.uuid), { token: ALICE, body: { metadata: { 'a/b': 'v' } } });
    assert.equal(badKey.statusCode, 400);
    const longKey = await t.call('POST', url(s.uuid), {
      token: ALICE,
      body: { metadata: { ['k'.repeat(256)]: 'v' } },
    });
    assert.equal(longKey.statusCode, 400);
  });

  it('enforces the metadata_items quota on the result (403)', async () => {
    const s = await addServer(t, { metadata: { a: '1', b: '2' } });
    const ok = await t.call('POST', url(s.uuid), { token: ALICE, body: { metadata: { c: '3' } } });
    assert.equal(ok.statusCode, 200);
    const over = await t.call('POST', url(s.uuid), { token: ALICE, body: { metadata: { d: '4' } } });
    assert.equal(over.statusCode, 403);
    assert.equal(over.json().forbidden.message, 'Maximum number of metadata items exceeds 3');
    const replace = await t.call('PUT', url(s.uuid), {
      token: ALICE,
      body: { metadata: { w: '1', x: '2', y: '3', z: '4' } },
    });
    assert.equal(replace.statusCode, 403);
    const fewer = await t.call('PUT', url(s.uuid), { token: ALICE, body: { metadata: { w: '1' } } });
    assert.equal(fewer.statusCode, 200);
  });

  it('deletes one item (204); an unknown key is 404', async () => {
    const s = await addServer(t, { metadata: { a: '1', b: '2' } });
    const del = await t.call('DELETE', url(s.uuid, 'a'), { token: ALICE });
    assert.equal(del.statusCode, 204);
    assert.equal(del.body, '');
    assert.deepEqual((await instances.get(t.cellDb, s.uuid)).metadata, { b: '2' });
    const again = await t.call('DELETE', url(s.uuid, 'a'), { token: ALICE });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().itemNotFound.message, 'Metadata item was not found');
  });

  it('refuses changes on a locked server except for admins (409)', async () => {
    const s = await addServer(t, { locked: true, locked_by: 'owner', metadata: { a: '1' } });
    const r = await t.call('POST', url(s.uuid), { token: ALICE, body: { metadata: { b: '2' } } });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().conflictingRequest.message, `Instance ${s.uuid} is locked`);
    assert.equal((await t.call('DELETE', url(s.uuid, 'a'), { token: ALICE })).statusCode, 409);
    const admin = await t.call('POST', url(s.uuid), { token: ADMIN, body: { metadata: { b: '2' } } });
    assert.equal(admin.statusCode, 200);
  });

  it('refuses changes in states upstream forbids (409), allows them when stopped', async () => {
    const err = await addServer(t, { vm_state: 'error' });
    const r = await t.call('PUT', url(err.uuid), { token: ALICE, body: { metadata: {} } });
    assert.equal(r.statusCode, 409);
    assert.equal(
      r.json().conflictingRequest.message,
      `Cannot 'update metadata' instance ${err.uuid} while it is in vm_state error`,
    );
    const busy = await addServer(t, { task_state: 'rebooting', metadata: { a: '1' } });
    const d = await t.call('DELETE', url(busy.uuid, 'a'), { token: ALICE });
    assert.equal(d.statusCode, 409);
    assert.equal(
      d.json().conflictingRequest.message,
      `Cannot 'delete metadata' instance ${busy.uuid} while it is in task_state rebooting`,
    );
    const stopped = await addServer(t, { vm_state: 'stopped' });
    const ok = await t.call('POST', url(stopped.uuid), { token: ALICE, body: { metadata: { a: '1' } } });
    assert.equal(ok.statusCode, 200);
  });

  it('a server still being built shows its requested metadata but refuses changes (409)', async () => {
    const id = await addBuildRequest(t, { metadata: { req: 'yes' } });
    assert.deepEqual((await t.call('GET', url(id), { token: ALICE })).json(), { metadata: { req: 'yes' } });
    const r = await t.call('POST', url(id), { token: ALICE, body: { metadata: { b: '2' } } });
    assert.equal(r.statusCode, 409);
    assert.equal(
      r.json().conflictingRequest.message,
      `Cannot 'update metadata' instance ${id} while it is in vm_state building`,
    );
  });

  it('refuses unknown query parameters from 2.102', async () => {
    const s = await addServer(t);
    assert.equal((await t.call('GET', `${url(s.uuid)}?x=1`, { token: ALICE, mv: '2.101' })).statusCode, 200);
    assert.equal((await t.call('GET', `${url(s.uuid)}?x=1`, { token: ALICE, mv: '2.102' })).statusCode, 400);
  });
});
