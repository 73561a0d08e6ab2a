import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialects } from '../../db/test-dialects.ts';
import { auth, PATCH_21, type TestImageService, testImageService } from '../test-support.ts';

const ALICE = auth('alice:p1');
const BOB = auth('bob:p2');
const CAROL = auth('carol:p3');

describe('image members (sharing)', () => {
  const d = testDialects()[0];
  let svc: TestImageService;
  before(async () => {
    svc = await testImageService(await d.open(['image']));
  });
  after(async () => {
    await svc.close();
    await d.cleanup();
  });

  const req = (method: string, url: string, headers: Record<string, string>, payload?: object) =>
    svc.app.inject({ method: method as 'GET', url, headers, payload });
  const listIds = async (headers: Record<string, string>, q = '') =>
    ((await req('GET', `/v2/images${q}`, headers)).json().images as { id: string }[]).map((i) => i.id);

  test('shared image: pending members can show it but not list it until they accept', async () => {
    const img = (await req('POST', '/v2/images', ALICE, { name: 's' })).json();
    assert.equal(img.visibility, 'shared');
    assert.equal((await req('GET', `/v2/images/${img.id}`, BOB)).statusCode, 404);

    const added = await req('POST', `/v2/images/${img.id}/members`, ALICE, { member: 'p2' });
    assert.equal(added.statusCode, 200);
    assert.equal(added.json().status, 'pending');
    assert.equal(added.json().schema, '/v2/schemas/member');
    assert.equal(
      (await req('POST', `/v2/images/${img.id}/members`, ALICE, { member: 'p2' })).statusCode,
      409,
    );
    assert.equal((await req('POST', `/v2/images/${img.id}/members`, ALICE, {})).statusCode, 400);
    await req('POST', `/v2/images/${img.id}/members`, ALICE, { member: 'p4' });

    assert.equal((await req('GET', `/v2/images/${img.id}`, BOB)).statusCode, 200);
    assert.ok(!(await listIds(BOB)).includes(img.id));
    assert.ok((await listIds(BOB, '?member_status=pending')).includes(img.id));

    // A member sees only itself; the owner sees everyone.
    const mine = (await req('GET', `/v2/images/${img.id}/members`, BOB)).json();
    assert.deepEqual(
      mine.members.map((m: { member_id: string }) => m.member_id),
      ['p2'],
    );
    assert.equal(mine.schema, '/v2/schemas/members');
    assert.equal((await req('GET', `/v2/images/${img.id}/members`, ALICE)).json().members.length, 2);
    assert.equal((await req('GET', `/v2/images/${img.id}/members/p4`, BOB)).statusCode, 404);
    assert.equal((await req('GET', `/v2/images/${img.id}/members/p2`, BOB)).json().status, 'pending');

    // The owner may not set a member's status; the member may; others cannot see the image.
    assert.equal(
      (await req('PUT', `/v2/images/${img.id}/members/p2`, ALICE, { status: 'accepted' })).statusCode,
      403,
    );
    assert.equal(
      (await req('PUT', `/v2/images/${img.id}/members/p2`, BOB, { status: 'maybe' })).statusCode,
      400,
    );
    assert.equal(
      (await req('PUT', `/v2/images/${img.id}/members/p4`, BOB, { status: 'accepted' })).statusCode,
      404,
    );
    const accepted = await req('PUT', `/v2/images/${img.id}/members/p2`, BOB, { status: 'accepted' });
    assert.equal(accepted.statusCode, 200);
    assert.equal(accepted.json().status, 'accepted');
    assert.ok((await listIds(BOB)).includes(img.id));
    assert.equal((await req('GET', `/v2/images/${img.id}/members`, CAROL)).statusCode, 404);

    // A member may download but not modify or delete.
    const patch = await svc.app.inject({
      method: 'PATCH',
      url: `/v2/images/${img.id}`,
      headers: { ...BOB, 'content-type': PATCH_21 },
      payload: JSON.stringify([{ op: 'replace', path: '/name', value: 'x' }]),
    });
    assert.equal(patch.statusCode, 403);
    assert.equal((await req('DELETE', `/v2/images/${img.id}/members/p2`, BOB)).statusCode, 403);
    assert.equal((await req('DELETE', `/v2/images/${img.id}/members/p2`, ALICE)).statusCode, 204);
    assert.equal((await req('GET', `/v2/images/${img.id}`, BOB)).statusCode, 404);
    assert.equal((await req('DELETE', `/v2/images/${img.id}/members/p2`, ALICE)).statusCode, 404);
  });

  test('only shared images have members', async () => {
    const img = (await req('POST', '/v2/images', ALICE, { name: 'p', visibility: 'private' })).json();
    const res = await req('POST', `/v2/images/${img.id}/members`, ALICE, { member: 'p2' });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Only shared images have members\./);
  });

  test('community images: visible to all, listed only with visibility=community', async () => {
    const img = (await req('POST', '/v2/images', ALICE, { name: 'c', visibility: 'community' })).json();
    assert.equal((await req('GET', `/v2/images/${img.id}`, CAROL)).statusCode, 200);
    assert.ok(!(await listIds(CAROL)).includes(img.id));
    assert.ok((await listIds(CAROL, '?visibility=community')).includes(img.id));
    assert.ok((await listIds(ALICE)).includes(img.id));
  });
});
