import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extractPassword, passwordItems } from '../../../compute-api/server-password.ts';
import * as instances from '../../../objects/instance.ts';
import { addBuildRequest, addServer } from '../server-test-fixtures.ts';
import { ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';

describe('password chunks', () => {
  it('splits into four 255-character chunks and joins them back in key order', () => {
    const pw = 'x'.repeat(300) + 'y'.repeat(10);
    const items = passwordItems(pw);
    assert.deepEqual(Object.keys(items), ['password_0', 'password_1', 'password_2', 'password_3']);
    assert.equal(items.password_0.length, 255);
    assert.equal(items.password_1, 'x'.repeat(45) + 'y'.repeat(10));
    assert.equal(items.password_2, '');
    assert.equal(extractPassword({ ...items, other: 'z' }), pw);
    assert.equal(extractPassword(passwordItems(null)), undefined);
    assert.equal(extractPassword({}), undefined);
  });
});

describe('os-server-password', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.close());

  const url = (id: string) => `/v2.1/servers/${id}/os-server-password`;

  it('shows the stored password, "" when there is none', async () => {
    const s = await addServer(t, { system_metadata: { password_0: 'abc', password_1: 'def', image_x: '1' } });
    const r = await t.call('GET', url(s.uuid), { token: ALICE });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { password: 'abcdef' });
    const none = await addServer(t);
    assert.deepEqual((await t.call('GET', url(none.uuid), { token: ALICE })).json(), { password: '' });
    const building = await addBuildRequest(t);
    assert.deepEqual((await t.call('GET', url(building), { token: ALICE })).json(), { password: '' });
  });

  it('clears it (204) without touching other system metadata', async () => {
    const s = await addServer(t, { system_metadata: { password_0: 'secret', image_x: '1' } });
    const r = await t.call('DELETE', url(s.uuid), { token: ALICE });
    assert.equal(r.statusCode, 204);
    assert.deepEqual((await t.call('GET', url(s.uuid), { token: ALICE })).json(), { password: '' });
    const sm = (await instances.get(t.cellDb, s.uuid)).system_metadata;
    assert.equal(sm.image_x, '1');
    assert.equal(sm.password_0, '');
  });

  it('404 for another project’s server', async () => {
    const s = await addServer(t);
    assert.equal((await t.call('GET', url(s.uuid), { token: BOB })).statusCode, 404);
    assert.equal((await t.call('DELETE', url(s.uuid), { token: BOB })).statusCode, 404);
  });
});
