import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tags from '../../../objects/tag.ts';
import { addBuildRequest, addServer } from '../server-test-fixtures.ts';
import { ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';

const MV = '2.26';

describe('server tags', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.close());

  const url = (id: string, tag?: string) => `/v2.1/servers/${id}/tags${tag === undefined ? '' : `/${tag}`}`;

  it('exists from 2.26 only', async () => {
    const s = await addServer(t);
    assert.equal((await t.call('GET', url(s.uuid), { token: ALICE, mv: '2.25' })).statusCode, 404);
    const r = await t.call('GET', url(s.uuid), { token: ALICE, mv: MV });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { tags: [] });
  });

  it('lists tags and checks one (204 / 404)', async () => {
    const s = await addServer(t, { tags: ['b', 'a'] });
    assert.deepEqual((await t.call('GET', url(s.uuid), { token: ALICE, mv: MV })).json(), {
      tags: ['a', 'b'],
    });
    const yes = await t.call('GET', url(s.uuid, 'a'), { token: ALICE, mv: MV });
    assert.equal(yes.statusCode, 204);
    const no = await t.call('GET', url(s.uuid, 'zz'), { token: ALICE, mv: MV });
    assert.equal(no.statusCode, 404);
    assert.equal(no.json().itemNotFound.message, `Server ${s.uuid} has no tag 'zz'`);
  });

  it('answers 404 for an unmapped server and 403 for another project’s', async () => {
    const none = await t.call('GET', url('7d3b2a4e-0000-4000-8000-000000000002'), { token: ALICE, mv: MV });
    assert.equal(none.statusCode, 404);
    assert.equal(
      none.json().itemNotFound.message,
      'Instance 7d3b2a4e-0000-4000-8000-000000000002 has no mapping to a cell.',
    );
    const s = await addServer(t);
    assert.equal((await t.call('GET', url(s.uuid), { token: BOB, mv: MV })).statusCode, 403);
    assert.equal((await t.call('PUT', url(s.uuid, 'x'), { token: BOB, mv: MV })).statusCode, 403);
  });

  it('adds one tag: 201 with Location, then 204 when already there', async () => {
    const s = await addServer(t);
    const r = await t.call('PUT', url(s.uuid, 'new%20tag'), { token: ALICE, mv: MV });
    assert.equal(r.statusCode, 201);
    assert.equal(r.body, '');
    assert.equal(r.headers.location, `http://localhost:80/v2.1/servers/${s.uuid}/tags/new tag`);
    const again = await t.call('PUT', url(s.uuid, 'new%20tag'), { token: ALICE, mv: MV });
    assert.equal(again.statusCode, 204);
    assert.deepEqual(await tags.list(t.cellDb, s.uuid), ['new tag']);
  });

  it('refuses invalid tags with upstream’s message (400)', async () => {
    const s = await addServer(t);
    const comma = await t.call('PUT', url(s.uuid, 'a,b'), { token: ALICE, mv: MV });
    assert.equal(comma.statusCode, 400);
    assert.equal(
      comma.json().badRequest.message,
      "Tag 'a,b' is invalid. It must be a non empty string without characters '/' and ','. " +
        "Validation error message: 'a,b' does not match '^[^,/]*$'",
    );
    const long = await t.call('PUT', url(s.uuid, 'x'.repeat(61)), { token: ALICE, mv: MV });
    assert.equal(long.statusCode, 400);
    assert.match(long.json().badRequest.message, /is too long$/);
    const bulk = await t.call('PUT', url(s.uuid), { token: ALICE, mv: MV, body: { tags: ['ok', 'a/b'] } });
    assert.equal(bulk.statusCode, 400);
  });

  it('limits a server to 50 tags', async () => {
    const s = await addServer(t);
    const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const put = await t.call('PUT', url(s.uuid), { token: ALICE, mv: MV, body: { tags: fifty } });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().tags.length, 50);
    const one = await t.call('PUT', url(s.uuid, 'more'), { token: ALICE, mv: MV });
    assert.equal(one.statusCode, 400);
    assert.equal(one.json().badRequest.message, 'The number of tags exceeded the per-server limit 50');
    const tooMany = await t.call('PUT', url(s.uuid), {
      token: ALICE,
      mv: MV,
      body: { tags: [...fifty, 'x'] },
    });
    assert.equal(tooMany.statusCode, 400);
  });

  it('replaces all tags, deletes one (404 when absent) and deletes all', async () => {
    const s = await addServer(t, { tags: ['old'] });
    const put = await t.call('PUT', url(s.uuid), { token: ALICE, mv: MV, body: { tags: ['x', 'y', 'x'] } });
    assert.deepEqual(put.json(), { tags: ['x', 'y'] });
    assert.equal((await t.call('DELETE', url(s.uuid, 'x'), { token: ALICE, mv: MV })).statusCode, 204);
    const gone = await t.call('DELETE', url(s.uuid, 'x'), { token: ALICE, mv: MV });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().itemNotFound.message, `Instance ${s.uuid} has no tag 'x'`);
    assert.equal((await t.call('DELETE', url(s.uuid), { token: ALICE, mv: MV })).statusCode, 204);
    assert.deepEqual(await tags.list(t.cellDb, s.uuid), []);
  });

  it('refuses changes while the server is building or in another state (409)', async () => {
    const id = await addBuildRequest(t, { tags: ['req'] });
    assert.deepEqual((await t.call('GET', url(id), { token: ALICE, mv: MV })).json(), { tags: ['req'] });
    const r = await t.call('PUT', url(id, 'x'), { token: ALICE, mv: MV });
    assert.equal(r.statusCode, 409);
    assert.equal(
      r.json().conflictingRequest.message,
      `Cannot 'update tag' instance ${id} while it is in vm_state building`,
    );
    const err = await addServer(t, { vm_state: 'error' });
    const d = await t.call('DELETE', url(err.uuid), { token: ALICE, mv: MV });
    assert.equal(d.statusCode, 409);
    assert.equal(
      d.json().conflictingRequest.message,
      `Cannot 'delete tags' instance ${err.uuid} while it is in vm_state error`,
    );
  });
});
