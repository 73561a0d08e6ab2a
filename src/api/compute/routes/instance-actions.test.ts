import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as instances from '../../../objects/instance.ts';
import * as actions from '../../../objects/instance-action.ts';
import { addBuildRequest, addServer } from '../server-test-fixtures.ts';
import { ADMIN, ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';

const PROJECT = '0a1b2c3d';
const at = (s: number) => new Date(Date.UTC(2026, 0, 2, 3, 0, s));

describe('os-instance-actions', () => {
  let t: TestApi;
  let uuid: string;
  before(async () => {
    t = await startTestApi();
    uuid = (await addServer(t)).uuid;
    const who = (request_id: string) => ({ request_id, user_id: 'alice', project_id: PROJECT });
    await actions.start(t.cellDb, uuid, 'create', who('req-1'), at(1));
    await actions.eventStart(t.cellDb, uuid, who('req-1'), 'compute_build_and_run_instance', 'cmp1', at(2));
    await actions.eventFinish(t.cellDb, uuid, who('req-1'), 'compute_build_and_run_instance', null, at(3));
    await actions.start(t.cellDb, uuid, 'stop', who('req-2'), at(10));
    await actions.eventStart(t.cellDb, uuid, who('req-2'), 'compute_stop_instance', 'cmp1', at(11));
    await actions.eventFinish(
      t.cellDb,
      uuid,
      who('req-2'),
      'compute_stop_instance',
      { message: 'boom', traceback: 'Traceback: boom' },
      at(12),
    );
    await actions.start(t.cellDb, uuid, 'start', who('req-3'), at(20));
  });
  after(() => t.close());

  const url = (id: string, req?: string) => `/v2.1/servers/${id}/os-instance-actions${req ? `/${req}` : ''}`;

  it('lists actions newest first with the 2.1 fields', async () => {
    const r = await t.call('GET', url(uuid), { token: ALICE });
    assert.equal(r.statusCode, 200);
    const list = r.json().instanceActions;
    assert.deepEqual(
      list.map((a: { request_id: string }) => a.request_id),
      ['req-3', 'req-2', 'req-1'],
    );
    assert.deepEqual(list[2], {
      action: 'create',
      instance_uuid: uuid,
      request_id: 'req-1',
      user_id: 'alice',
      project_id: PROJECT,
      start_time: '2026-01-02T03:00:01.000000',
      message: null,
    });
  });

  it('pages with limit and marker from 2.58 (updated_at, next link) and filters by time', async () => {
    const r = await t.call('GET', `${url(uuid)}?limit=2`, { token: ALICE, mv: '2.58' });
    const body = r.json();
    assert.deepEqual(
      body.instanceActions.map((a: { request_id: string }) => a.request_id),
      ['req-3', 'req-2'],
    );
    assert.equal(body.instanceActions[1].updated_at, '2026-01-02T03:00:12.000000');
    // An action no event touched yet counts as changed when it started.
    assert.equal(body.instanceActions[0].updated_at, '2026-01-02T03:00:20.000000');
    assert.equal(body.instanceActions[1].message, 'Error');
    assert.deepEqual(body.links, [
      {
        rel: 'next',
        href: `http://localhost:80/v2.1/servers/${uuid}/os-instance-actions?limit=2&marker=req-2`,
      },
    ]);
    const next = await t.call('GET', `${url(uuid)}?limit=2&marker=req-2`, { token: ALICE, mv: '2.58' });
    assert.deepEqual(
      next.json().instanceActions.map((a: { request_id: string }) => a.request_id),
      ['req-1'],
    );
    assert.equal(next.json().links, undefined);

    const bad = await t.call('GET', `${url(uuid)}?marker=nope`, { token: ALICE, mv: '2.58' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().badRequest.message, 'Marker nope could not be found.');

    const since = await t.call('GET', `${url(uuid)}?changes-since=2026-01-02T03:00:05Z`, {
      token: ALICE,
      mv: '2.58',
    });
    assert.deepEqual(
      since.json().instanceActions.map((a: { request_id: string }) => a.request_id),
      ['req-3', 'req-2'],
    );
    assert.equal(
      (await t.call('GET', `${url(uuid)}?changes-before=2026-01-02T03:00:05Z`, { token: ALICE, mv: '2.58' }))
        .statusCode,
      400,
    );
    const window = await t.call(
      'GET',
      `${url(uuid)}?changes-since=2026-01-02T03:00:05Z&changes-before=2026-01-02T03:00:15Z`,
      { token: ALICE, mv: '2.66' },
    );
    assert.deepEqual(
      window.json().instanceActions.map((a: { request_id: string }) => a.request_id),
      ['req-2'],
    );
    const reversed = await t.call(
      'GET',
      `${url(uuid)}?changes-since=2026-01-02T03:00:15Z&changes-before=2026-01-02T03:00:05Z`,
      { token: ALICE, mv: '2.66' },
    );
    assert.equal(reversed.statusCode, 400);
    assert.equal(
      reversed.json().badRequest.message,
      'The value of changes-since must be less than or equal to changes-before.',
    );
  });

  it('shows an action: events only for admins before 2.51', async () => {
    const user = await t.call('GET', url(uuid, 'req-2'), { token: ALICE });
    assert.equal(user.statusCode, 200);
    assert.equal(user.json().instanceAction.events, undefined);
    assert.equal(user.json().instanceAction.action, 'stop');
    const admin = await t.call('GET', url(uuid, 'req-2'), { token: ADMIN });
    assert.deepEqual(admin.json().instanceAction.events, [
      {
        event: 'compute_stop_instance',
        start_time: '2026-01-02T03:00:11.000000',
        finish_time: '2026-01-02T03:00:12.000000',
        result: 'Error',
        traceback: 'Traceback: boom',
      },
    ]);
  });

  it('shows events to owners from 2.51 without traceback; hostId from 2.62, host for admins', async () => {
    const v251 = await t.call('GET', url(uuid, 'req-2'), { token: ALICE, mv: '2.51' });
    assert.deepEqual(Object.keys(v251.json().instanceAction.events[0]).sort(), [
      'event',
      'finish_time',
      'result',
      'start_time',
    ]);
    const hid = createHash('sha224').update(`${PROJECT}cmp1`).digest('hex');
    const user = (await t.call('GET', url(uuid, 'req-2'), { token: ALICE, mv: '2.62' })).json();
    assert.equal(user.instanceAction.events[0].hostId, hid);
    assert.equal(user.instanceAction.events[0].host, undefined);
    assert.equal(user.instanceAction.updated_at, '2026-01-02T03:00:12.000000');
    const admin = (await t.call('GET', url(uuid, 'req-2'), { token: ADMIN, mv: '2.62' })).json();
    assert.equal(admin.instanceAction.events[0].host, 'cmp1');
    assert.equal(admin.instanceAction.events[0].hostId, hid);
    assert.equal(admin.instanceAction.events[0].details, undefined);
  });

  it('adds details from 2.84 for those the events:details policy allows', async () => {
    const admin = (await t.call('GET', url(uuid, 'req-2'), { token: ADMIN, mv: '2.84' })).json();
    assert.equal(admin.instanceAction.events[0].details, 'boom');
    const user = (await t.call('GET', url(uuid, 'req-2'), { token: ALICE, mv: '2.84' })).json();
    assert.equal('details' in user.instanceAction.events[0], false);
  });

  it('answers 404 for an unknown request id or another project’s server', async () => {
    const r = await t.call('GET', url(uuid, 'req-x'), { token: ALICE });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().itemNotFound.message, 'Action req-x not found');
    assert.equal((await t.call('GET', url(uuid), { token: BOB })).statusCode, 404);
  });

  it('reads a deleted server’s actions from 2.21 on', async () => {
    const s = await addServer(t);
    await actions.start(t.cellDb, s.uuid, 'delete', { request_id: 'req-d', project_id: PROJECT }, at(30));
    await instances.destroy(t.cellDb, s.uuid, at(31));
    assert.equal((await t.call('GET', url(s.uuid), { token: ALICE, mv: '2.20' })).statusCode, 404);
    const r = await t.call('GET', url(s.uuid), { token: ALICE, mv: '2.21' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().instanceActions[0].action, 'delete');
    const one = await t.call('GET', url(s.uuid, 'req-d'), { token: ALICE, mv: '2.21' });
    assert.equal(one.json().instanceAction.request_id, 'req-d');
  });

  it('a server still being built has no actions', async () => {
    const id = await addBuildRequest(t);
    assert.deepEqual((await t.call('GET', url(id), { token: ALICE })).json(), { instanceActions: [] });
    assert.equal((await t.call('GET', url(id, 'req-1'), { token: ALICE })).statusCode, 404);
  });

  it('validates the 2.58 query (no unknown parameters)', async () => {
    assert.equal((await t.call('GET', `${url(uuid)}?foo=1`, { token: ALICE, mv: '2.57' })).statusCode, 200);
    assert.equal((await t.call('GET', `${url(uuid)}?foo=1`, { token: ALICE, mv: '2.58' })).statusCode, 400);
    assert.equal(
      (await t.call('GET', `${url(uuid)}?limit=-1`, { token: ALICE, mv: '2.58' })).statusCode,
      400,
    );
  });
});
