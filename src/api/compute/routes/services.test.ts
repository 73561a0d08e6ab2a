import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../db/connect.ts';
import type { CellDb } from '../../../db/tables/cell-db.ts';
import * as computeNodes from '../../../objects/compute-node.ts';
import * as hostMappings from '../../../objects/host-mapping.ts';
import * as migrations from '../../../objects/migration.ts';
import * as services from '../../../objects/service.ts';
import { addComputeHost, addInstance, type HostFixture } from '../test-fixtures.ts';
import { ALICE, startTestApi, type TestApi } from '../test-support.ts';

describe('os-services over two cells', () => {
  let t: TestApi;
  let cell2: Database<CellDb>;
  let cmp1: HostFixture;
  let cmp2: HostFixture;
  let sched: services.ServiceRecord;
  before(async () => {
    t = await startTestApi();
    cell2 = await t.addCell('cell2');
    const now = t.clock.now();
    sched = await services.createOrGet(
      t.cellDb,
      { host: 'ctl', binary: 'nova-scheduler', topic: 'scheduler', version: 1 },
      now,
    );
    await services.createOrGet(
      t.cellDb,
      { host: 'ctl', binary: 'nova-osapi_compute', topic: 'x', version: 1 },
      now,
    );
    cmp1 = await addComputeHost(t, t.cellDb, 'cell1', 'cmp1');
    cmp2 = await addComputeHost(t, cell2, 'cell2', 'cmp2');
  });
  after(() => t.close());

  it('lists services of every cell with zone, state and status; API services left out', async () => {
    const r = await t.call('GET', '/v2.1/os-services');
    assert.equal(r.statusCode, 200);
    const list = r.json().services;
    assert.deepEqual(list.map((s: { host: string; binary: string }) => `${s.host}/${s.binary}`).sort(), [
      'cmp1/nova-compute',
      'cmp2/nova-compute',
      'ctl/nova-scheduler',
    ]);
    const c1 = list.find((s: { host: string }) => s.host === 'cmp1');
    assert.deepEqual(c1, {
      binary: 'nova-compute',
      host: 'cmp1',
      id: cmp1.service.id,
      zone: 'nova',
      status: 'enabled',
      state: 'up',
      updated_at: '2026-01-02T03:04:05.678000',
      disabled_reason: null,
    });
    const s = list.find((x: { binary: string }) => x.binary === 'nova-scheduler');
    assert.equal(s.zone, 'internal');
    assert.equal(s.state, 'up', 'never reported: created_at counts, as upstream');
  });

  it('adds forced_down at 2.11 and uuids at 2.53; filters by host and binary', async () => {
    const r = await t.call('GET', '/v2.1/os-services?host=cmp2&binary=nova-compute', { mv: '2.53' });
    assert.deepEqual(
      r.json().services.map((s: { id: string; forced_down: boolean }) => [s.id, s.forced_down]),
      [[cmp2.service.uuid, false]],
    );
    const q = await t.call('GET', '/v2.1/os-services?foo=1', { mv: '2.75' });
    assert.equal(q.statusCode, 400);
    assert.equal((await t.call('GET', '/v2.1/os-services?foo=1', { mv: '2.74' })).statusCode, 200);
  });

  it('says state down once heartbeats stop for service_down_time', async () => {
    t.clock.advance(61_000);
    const r = await t.call('GET', '/v2.1/os-services?host=cmp1');
    assert.equal(r.json().services[0].state, 'down');
    t.clock.advance(-61_000);
  });

  it('is admin only (403 with the rule named)', async () => {
    const r = await t.call('GET', '/v2.1/os-services', { token: ALICE });
    assert.equal(r.statusCode, 403);
    assert.match(r.json().forbidden.message, /os_compute_api:os-services:list/);
  });

  it('disables and enables by host and binary before 2.53', async () => {
    const r = await t.call('PUT', '/v2.1/os-services/disable-log-reason', {
      body: { host: 'cmp2', binary: 'nova-compute', disabled_reason: 'maintenance' },
    });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), {
      service: { host: 'cmp2', binary: 'nova-compute', status: 'disabled', disabled_reason: 'maintenance' },
    });
    const svc = await services.getById(cell2, cmp2.service.id);
    assert.equal(svc.disabled, true);
    assert.equal(svc.disabled_reason, 'maintenance');
    const e = await t.call('PUT', '/v2.1/os-services/enable', {
      body: { host: 'cmp2', binary: 'nova-compute' },
    });
    assert.deepEqual(e.json(), { service: { host: 'cmp2', binary: 'nova-compute', status: 'enabled' } });
    assert.equal((await services.getById(cell2, cmp2.service.id)).disabled_reason, null);
  });

  it('refuses pre-2.53 forms with upstream errors', async () => {
    const body = { host: 'cmp2', binary: 'nova-compute' };
    const noReason = await t.call('PUT', '/v2.1/os-services/disable-log-reason', { body });
    assert.deepEqual(noReason.json(), {
      badRequest: { code: 400, message: 'Missing disabled reason field' },
    });
    const unknown = await t.call('PUT', '/v2.1/os-services/reboot', { body });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().itemNotFound.message, 'Unknown action');
    const fd = await t.call('PUT', '/v2.1/os-services/force-down', { body });
    assert.equal(fd.statusCode, 404, 'force-down arrives at 2.11');
    const fdNone = await t.call('PUT', '/v2.1/os-services/force-down', { mv: '2.11', body });
    assert.equal(fdNone.json().badRequest.message, 'Missing forced_down field');
    const fd2 = await t.call('PUT', '/v2.1/os-services/force-down', {
      mv: '2.11',
      body: { ...body, forced_down: true },
    });
    assert.deepEqual(fd2.json(), { service: { host: 'cmp2', binary: 'nova-compute', forced_down: true } });
    const sch = await t.call('PUT', '/v2.1/os-services/disable', {
      body: { host: 'ctl', binary: 'nova-scheduler' },
    });
    assert.equal(sch.statusCode, 400);
    assert.match(sch.json().badRequest.message, /Updating a nova-scheduler service is not supported/);
    const nohost = await t.call('PUT', '/v2.1/os-services/disable', {
      body: { host: 'nope', binary: 'nova-compute' },
    });
    assert.equal(nohost.statusCode, 404);
    assert.equal(nohost.json().itemNotFound.message, "Host 'nope' is not mapped to any cell");
    const extra = await t.call('PUT', '/v2.1/os-services/disable', { body: { ...body, forced_down: true } });
    assert.equal(extra.statusCode, 400, 'forced_down is not in the 2.1 schema');
  });

  it('updates by uuid at 2.53 (status, reason, forced_down) and answers the full service', async () => {
    const url = `/v2.1/os-services/${cmp2.service.uuid}`;
    const r = await t.call('PUT', url, {
      mv: '2.53',
      body: { status: 'disabled', disabled_reason: 'later' },
    });
    assert.equal(r.statusCode, 200);
    const s = r.json().service;
    assert.equal(s.id, cmp2.service.uuid);
    assert.equal(s.status, 'disabled');
    assert.equal(s.disabled_reason, 'later');
    assert.equal(s.zone, 'nova');
    const up = await t.call('PUT', url, { mv: '2.53', body: { status: 'enabled', forced_down: false } });
    assert.equal(up.json().service.forced_down, false);
    assert.equal(up.json().service.disabled_reason, null);
    const bad = await t.call('PUT', url, { mv: '2.53', body: { status: 'enabled', disabled_reason: 'x' } });
    assert.match(
      bad.json().badRequest.message,
      /Specifying 'disabled_reason' with status 'enabled' is invalid/,
    );
    const none = await t.call('PUT', url, { mv: '2.53', body: {} });
    assert.match(none.json().badRequest.message, /No updates were requested/);
    const notUuid = await t.call('PUT', '/v2.1/os-services/enable', {
      mv: '2.53',
      body: { status: 'enabled' },
    });
    assert.deepEqual(notUuid.json(), { badRequest: { code: 400, message: 'Invalid uuid enable' } });
    const missing = await t.call('PUT', '/v2.1/os-services/1bb62a04-c576-402c-8147-9e89757a09e3', {
      mv: '2.53',
      body: { status: 'enabled' },
    });
    assert.equal(missing.statusCode, 404);
    const sch = await t.call('PUT', `/v2.1/os-services/${sched.uuid}`, {
      mv: '2.53',
      body: { status: 'disabled' },
    });
    assert.equal(sch.statusCode, 400);
    const schema = await t.call('PUT', url, { mv: '2.53', body: { status: 'off' } });
    assert.equal(schema.statusCode, 400);
    assert.match(schema.json().badRequest.message, /Invalid input for field\/attribute status/);
  });

  it('refuses to force a compute up while done evacuations remain', async () => {
    const m = await migrations.create(
      cell2,
      { instance_uuid: cmp2.node.uuid, source_compute: 'cmp2', status: 'done', migration_type: 'evacuation' },
      t.clock.now(),
    );
    const r = await t.call('PUT', `/v2.1/os-services/${cmp2.service.uuid}`, {
      mv: '2.53',
      body: { forced_down: false },
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().badRequest.message, /Unable to force up host cmp2/);
    await migrations.setStatus(cell2, m.id, 'completed', t.clock.now());
  });

  it('deletes: 409 with instances, then removes service, nodes, host mapping and aggregate membership', async () => {
    const uuid = await addInstance(cell2, { host: 'cmp2' });
    const url = `/v2.1/os-services/${cmp2.service.uuid}`;
    const busy = await t.call('DELETE', url, { mv: '2.53' });
    assert.equal(busy.statusCode, 409);
    assert.match(busy.json().conflictingRequest.message, /hosting instances/);
    await cell2.kysely.deleteFrom('instances').where('uuid', '=', uuid).execute();
    const agg = await t.call('POST', '/v2.1/os-aggregates', { body: { aggregate: { name: 'a1' } } });
    await t.call('POST', `/v2.1/os-aggregates/${agg.json().aggregate.id}/action`, {
      body: { add_host: { host: 'cmp2' } },
    });
    const r = await t.call('DELETE', url, { mv: '2.53' });
    assert.equal(r.statusCode, 204);
    assert.equal(r.body, '');
    assert.equal(await hostMappings.findByHost(t.apiDb, 'cmp2'), undefined);
    assert.deepEqual(await computeNodes.listByHost(cell2, 'cmp2'), []);
    const a = await t.call('GET', `/v2.1/os-aggregates/${agg.json().aggregate.id}`);
    assert.deepEqual(a.json().aggregate.hosts, []);
    assert.equal((await t.call('DELETE', url, { mv: '2.53' })).statusCode, 404);
  });

  it('deletes by integer id before 2.53; id form errors are 400', async () => {
    assert.equal((await t.call('DELETE', '/v2.1/os-services/abc')).statusCode, 400);
    assert.equal((await t.call('DELETE', '/v2.1/os-services/12', { mv: '2.53' })).statusCode, 400);
    const missing = await t.call('DELETE', '/v2.1/os-services/999');
    assert.deepEqual(missing.json(), { itemNotFound: { code: 404, message: 'Service 999 not found.' } });
    assert.equal((await t.call('DELETE', '/v2.1/os-services/999', { token: ALICE })).statusCode, 403);
    // Ids are per cell: cell1's nova-osapi_compute and cell2's conductor are both id 2.
    const cond = await services.createOrGet(
      cell2,
      { host: 'ctl2', binary: 'nova-conductor', topic: 'conductor', version: 1 },
      t.clock.now(),
    );
    const r = await t.call('DELETE', `/v2.1/os-services/${cond.id}`);
    assert.equal(r.statusCode, 400, 'the same id in two cells is ambiguous');
    assert.match(r.json().badRequest.message, /refers to multiple services/);
    assert.equal((await t.call('DELETE', `/v2.1/os-services/${sched.id}`)).statusCode, 204);
    assert.equal((await services.list(t.cellDb, { binary: 'nova-scheduler' })).length, 0);
  });
});
