import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../db/connect.ts';
import type { CellDb } from '../../../db/tables/cell-db.ts';
import * as cellMappings from '../../../objects/cell-mapping.ts';
import * as instanceMappings from '../../../objects/instance-mapping.ts';
import * as migrations from '../../../objects/migration.ts';
import { createEnforcer } from '../../../policy/engine.ts';
import { COMPUTE_POLICY_DEFAULTS } from '../policies/index.ts';
import { USAGE_POLICIES } from '../policies/usage.ts';
import { addInstance } from '../test-fixtures.ts';
import { ADMIN, ALICE, startTestApi, type TestApi } from '../test-support.ts';

describe('os-migrations over two cells', () => {
  let t: TestApi;
  let cell2: Database<CellDb>;
  const ids: migrations.Migration[] = [];
  before(async () => {
    t = await startTestApi();
    cell2 = await t.addCell('cell2');
    const base = {
      instance_uuid: '8600d31b-d1a1-4632-b2ff-45c2be1a70ff',
      user_id: 'u1',
      project_id: '0a1b2c3d',
    };
    const mk = async (db: Database<CellDb>, m: Partial<migrations.NewMigration>, secs: number) => {
      t.clock.advance(secs * 1000);
      ids.push(
        await migrations.create(
          db,
          {
            ...base,
            source_compute: 'cmp1',
            dest_compute: 'cmp2',
            source_node: 'n1',
            dest_node: 'n2',
            dest_host: '192.0.2.2',
            status: 'running',
            migration_type: 'live-migration',
            ...m,
          },
          t.clock.now(),
        ),
      );
    };
    await mk(t.cellDb, {}, 0);
    await mk(cell2, { status: 'error', migration_type: 'resize', project_id: 'other' }, 10);
    await mk(cell2, { status: 'done', migration_type: 'evacuation', source_compute: 'cmp3' }, 10);
    await mk(t.cellDb, { status: 'finished', migration_type: 'migration', hidden: true }, 10);
  });
  after(() => t.close());

  it('lists every cell before 2.23 without type or links (natural order)', async () => {
    const r = await t.call('GET', '/v2.1/os-migrations');
    const list = r.json().migrations;
    assert.equal(list.length, 3, 'hidden migrations are left out');
    assert.deepEqual(Object.keys(list[0]).sort(), [
      'created_at',
      'dest_compute',
      'dest_host',
      'dest_node',
      'id',
      'instance_uuid',
      'new_instance_type_id',
      'old_instance_type_id',
      'source_compute',
      'source_node',
      'status',
      'updated_at',
    ]);
  });

  it('adds migration_type and links for in-progress live migrations at 2.23', async () => {
    const list = (await t.call('GET', '/v2.1/os-migrations', { mv: '2.23', headers: { host: 'h' } })).json()
      .migrations;
    const live = list.find((m: { migration_type: string }) => m.migration_type === 'live-migration');
    assert.deepEqual(live.links, [
      { rel: 'self', href: `http://h/v2.1/servers/${live.instance_uuid}/migrations/${live.id}` },
      { rel: 'bookmark', href: `http://h/servers/${live.instance_uuid}/migrations/${live.id}` },
    ]);
    assert.equal(
      list.find((m: { migration_type: string }) => m.migration_type === 'resize').links,
      undefined,
    );
  });

  it('filters by status, host, source_compute, migration_type, instance', async () => {
    const q = async (s: string, mv = '2.23') =>
      (await t.call('GET', `/v2.1/os-migrations?${s}`, { mv }))
        .json()
        .migrations.map((m: { status: string }) => m.status);
    assert.deepEqual(await q('status=error'), ['error']);
    assert.deepEqual((await q('host=cmp2')).sort(), ['done', 'error', 'running']);
    assert.deepEqual(await q('source_compute=cmp3'), ['done']);
    assert.deepEqual(await q('migration_type=evacuation'), ['done']);
    assert.deepEqual(await q('instance_uuid=00000000-0000-0000-0000-000000000001'), []);
    assert.deepEqual(
      await q('cell_name=cell1'),
      ['running', 'error', 'done'],
      'unknown filters ignored pre-2.59',
    );
  });

  it('sorts newest first and pages by uuid from 2.59 (uuid added), changes-since/before', async () => {
    // As upstream, hidden records take their place in a page and are dropped afterwards.
    const first = await t.call('GET', '/v2.1/os-migrations?limit=2', { mv: '2.59' });
    assert.deepEqual(
      first.json().migrations.map((m: { uuid: string }) => m.uuid),
      [ids[2].uuid],
    );
    assert.equal(first.json().migrations_links, undefined);
    const r = await t.call('GET', `/v2.1/os-migrations?limit=2&marker=${ids[3].uuid}`, {
      mv: '2.59',
      headers: { host: 'h' },
    });
    const list = r.json().migrations;
    assert.deepEqual(
      list.map((m: { uuid: string }) => m.uuid),
      [ids[2].uuid, ids[1].uuid],
    );
    assert.deepEqual(r.json().migrations_links, [
      { rel: 'next', href: `http://h/v2.1/os-migrations?limit=2&marker=${ids[1].uuid}` },
    ]);
    const next = await t.call('GET', `/v2.1/os-migrations?limit=2&marker=${ids[1].uuid}`, { mv: '2.59' });
    assert.deepEqual(
      next.json().migrations.map((m: { uuid: string }) => m.uuid),
      [ids[0].uuid],
    );
    const bad = await t.call('GET', '/v2.1/os-migrations?marker=nope', { mv: '2.59' });
    assert.deepEqual(bad.json(), { badRequest: { code: 400, message: 'Marker nope could not be found.' } });
    await migrations.setStatus(t.cellDb, ids[0].id, 'completed', t.clock.now());
    const since = await t.call('GET', '/v2.1/os-migrations?changes-since=2026-01-02T03:04:30Z', {
      mv: '2.59',
    });
    assert.deepEqual(
      since.json().migrations.map((m: { status: string }) => m.status),
      ['completed'],
    );
    const both = await t.call(
      'GET',
      '/v2.1/os-migrations?changes-since=2026-01-02T03:04:30Z&changes-before=2026-01-01T00:00:00Z',
      { mv: '2.66' },
    );
    assert.match(
      both.json().badRequest.message,
      /changes-since must be less than or equal to changes-before/,
    );
    assert.equal(
      (await t.call('GET', '/v2.1/os-migrations?changes-before=2026-01-01T00:00:00Z', { mv: '2.59' }))
        .statusCode,
      400,
    );
    assert.equal((await t.call('GET', '/v2.1/os-migrations?user_id=u1', { mv: '2.79' })).statusCode, 400);
    const user = await t.call('GET', '/v2.1/os-migrations?user_id=u1&project_id=other', { mv: '2.80' });
    assert.deepEqual(
      user.json().migrations.map((m: { project_id: string; user_id: string }) => [m.user_id, m.project_id]),
      [['u1', 'other']],
    );
  });

  it('needs index for the own project, all_projects for others, index:host for hosts', async () => {
    assert.equal((await t.call('GET', '/v2.1/os-migrations', { token: ALICE })).statusCode, 403);
    // Members act as project managers here (noauth2 has no manager persona).
    const defaults = COMPUTE_POLICY_DEFAULTS.map((r) =>
      r.name === USAGE_POLICIES.migrationsIndex ? { ...r, checkStr: 'role:member' } : r,
    );
    const t2 = await startTestApi([], {
      enforcer: createEnforcer({ defaults, enforceScope: true, enforceNewDefaults: true }),
    });
    await migrations.create(
      t2.cellDb,
      {
        instance_uuid: ids[0].instance_uuid ?? '',
        source_compute: 'cmp1',
        status: 'done',
        migration_type: 'resize',
        project_id: '0a1b2c3d',
      },
      t2.clock.now(),
    );
    const MANAGER = ALICE;
    const all = await t2.call('GET', '/v2.1/os-migrations', { token: MANAGER });
    assert.equal(all.statusCode, 403, 'all projects need admin');
    const own = await t2.call('GET', '/v2.1/os-migrations?project_id=0a1b2c3d', {
      token: MANAGER,
      mv: '2.80',
    });
    assert.equal(own.statusCode, 200);
    for (const m of own.json().migrations) {
      assert.equal(m.source_compute, null);
      assert.equal(m.dest_host, null);
    }
    assert.equal(own.json().migrations.length, 1);
    await t2.close();
    const admin = await t.call('GET', '/v2.1/os-migrations?project_id=0a1b2c3d', {
      token: ADMIN,
      mv: '2.80',
    });
    assert.ok(admin.json().migrations.some((m: { source_compute: string }) => m.source_compute === 'cmp1'));
  });
});

describe('os-server-external-events', () => {
  let t: TestApi;
  const delivered: unknown[] = [];
  let onHost: string;
  let noHost: string;
  before(async () => {
    t = await startTestApi([], { eventSink: { deliver: async (e) => void delivered.push(...e) } });
    const cell = await cellMappings.findByName(t.apiDb, 'cell1');
    onHost = await addInstance(t.cellDb, { host: 'cmp1' });
    noHost = await addInstance(t.cellDb, { host: null });
    for (const uuid of [onHost, noHost])
      await instanceMappings.create(
        t.apiDb,
        { instance_uuid: uuid, cell_id: cell!.id, project_id: 'p' },
        t.clock.now(),
      );
  });
  after(() => t.close());

  const SERVICE = 'neutron:0a1b2c3d';

  it('accepts events of hosted instances (200) and delivers them', async () => {
    const body = { events: [{ name: 'network-changed', server_uuid: onHost, tag: 'foo' }] };
    const r = await t.call('POST', '/v2.1/os-server-external-events', { body });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), {
      events: [{ name: 'network-changed', server_uuid: onHost, tag: 'foo', status: 'completed', code: 200 }],
    });
    assert.deepEqual(delivered, [
      { instance_uuid: onHost, host: 'cmp1', name: 'network-changed', status: 'completed', tag: 'foo' },
    ]);
  });

  it('answers 207 with per-event codes: 404 unknown, 422 no host, 400 missing tag', async () => {
    const unknown = '1bb62a04-c576-402c-8147-9e89757a09e3';
    const body = {
      events: [
        { name: 'network-vif-plugged', server_uuid: unknown },
        { name: 'network-vif-plugged', server_uuid: noHost, status: 'failed' },
        { name: 'volume-extended', server_uuid: onHost },
        { name: 'network-vif-deleted', server_uuid: onHost, tag: 'p1' },
      ],
    };
    const r = await t.call('POST', '/v2.1/os-server-external-events', { mv: '2.51', body });
    assert.equal(r.statusCode, 207);
    assert.deepEqual(
      r.json().events.map((e: { code: number; status: string }) => [e.code, e.status]),
      [
        [404, 'failed'],
        [422, 'failed'],
        [400, 'failed'],
        [200, 'completed'],
      ],
    );
    const allFail = await t.call('POST', '/v2.1/os-server-external-events', {
      body: { events: [{ name: 'network-changed', server_uuid: unknown }] },
    });
    assert.equal(allFail.statusCode, 207, 'not 404: bug 1855752 is fixed upstream');
  });

  it('validates names per microversion and the body shape', async () => {
    const ev = (name: string) => ({ events: [{ name, server_uuid: onHost, tag: 't' }] });
    const cases: [string, string, number][] = [
      ['volume-extended', '2.50', 400],
      ['volume-extended', '2.51', 200],
      ['power-update', '2.75', 400],
      ['power-update', '2.76', 200],
      ['accelerator-request-bound', '2.81', 400],
      ['accelerator-request-bound', '2.82', 200],
      ['volume-reimaged', '2.92', 400],
      ['volume-reimaged', '2.93', 200],
    ];
    for (const [name, mv, status] of cases) {
      const r = await t.call('POST', '/v2.1/os-server-external-events', { mv, body: ev(name) });
      assert.equal(r.statusCode, status, `${name} at ${mv}`);
    }
    const empty = await t.call('POST', '/v2.1/os-server-external-events', { body: { events: [] } });
    assert.equal(empty.statusCode, 400);
    const badUuid = await t.call('POST', '/v2.1/os-server-external-events', {
      body: { events: [{ name: 'network-changed', server_uuid: 'x' }] },
    });
    assert.match(badUuid.json().badRequest.message, /server_uuid/);
  });

  it('is for the service role or admins', async () => {
    const body = { events: [{ name: 'network-changed', server_uuid: onHost }] };
    assert.equal(
      (await t.call('POST', '/v2.1/os-server-external-events', { token: ALICE, body })).statusCode,
      403,
    );
    void SERVICE;
  });
});
