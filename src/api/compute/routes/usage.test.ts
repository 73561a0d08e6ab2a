import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../db/connect.ts';
import type { CellDb } from '../../../db/tables/cell-db.ts';
import * as flavors from '../../../objects/flavor.ts';
import * as instanceExtra from '../../../objects/instance-extra.ts';
import * as taskLog from '../../../objects/task-log.ts';
import { addComputeHost, addInstance } from '../test-fixtures.ts';
import { ADMIN, ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';

const P1 = '0a1b2c3d';
const P2 = '9f8e7d6c';
// The test clock is 2026-01-02T03:04:05.678Z.
const at = (iso: string) => new Date(iso);

describe('os-simple-tenant-usage over two cells', () => {
  let t: TestApi;
  let cell2: Database<CellDb>;
  let a: string;
  let b: string;
  let c: string;
  before(async () => {
    t = await startTestApi();
    cell2 = await t.addCell('cell2');
    const small = await flavors.create(
      t.apiDb,
      { flavorid: '7', name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20 },
      t.clock.now(),
    );
    a = await addInstance(t.cellDb, {
      uuid: '11111111-1111-4111-8111-111111111111',
      project_id: P1,
      name: 'a',
      launched_at: at('2026-01-01T00:00:00Z'),
    });
    await instanceExtra.setFlavors(
      t.cellDb,
      a,
      {
        cur: {
          name: 'm1.tiny',
          flavorid: '1',
          memory_mb: 512,
          vcpus: 1,
          root_gb: 1,
          ephemeral_gb: 0,
          swap: 0,
        },
        old: null,
        new: null,
      },
      t.clock.now(),
    );
    b = await addInstance(cell2, {
      uuid: '22222222-2222-4222-8222-222222222222',
      project_id: P1,
      name: 'b',
      launched_at: at('2026-01-01T12:00:00Z'),
      terminated_at: at('2026-01-01T18:00:00Z'),
      deleted: true,
      instance_type_id: small.id,
    });
    c = await addInstance(cell2, {
      uuid: '33333333-3333-4333-8333-333333333333',
      project_id: P2,
      name: 'c',
      launched_at: at('2026-01-02T02:04:05.678Z'),
    });
    // Never launched, or terminated before the window: not reported.
    await addInstance(t.cellDb, { project_id: P1, launched_at: null });
    await addInstance(t.cellDb, {
      project_id: P1,
      launched_at: at('2025-12-01T00:00:00Z'),
      terminated_at: at('2025-12-02T00:00:00Z'),
    });
  });
  after(() => t.close());

  it('lists totals per project over every cell (admin), server usages when detailed', async () => {
    const r = await t.call(
      'GET',
      '/v2.1/os-simple-tenant-usage?start=2026-01-01T00:00:00&end=2026-01-03T00:00:00',
    );
    assert.equal(r.statusCode, 200);
    const list = r.json().tenant_usages;
    assert.deepEqual(
      list.map((u: { tenant_id: string }) => u.tenant_id),
      [P1, P2],
    );
    const p1 = list[0];
    assert.equal(p1.start, '2026-01-01T00:00:00.000000');
    assert.equal(p1.stop, '2026-01-02T03:04:05.678000', 'end is capped at now');
    const hoursA = (Date.UTC(2026, 0, 2, 3, 4, 5, 678) - Date.UTC(2026, 0, 1)) / 3_600_000;
    assert.equal(p1.total_hours, hoursA + 6);
    assert.equal(p1.total_memory_mb_usage, 512 * (hoursA + 6));
    assert.equal(p1.server_usages, undefined);
    const d = await t.call('GET', '/v2.1/os-simple-tenant-usage?start=2026-01-01T00:00:00&detailed=1');
    const servers = d.json().tenant_usages[0].server_usages;
    assert.deepEqual(servers[1], {
      instance_id: b,
      name: 'b',
      tenant_id: P1,
      flavor: 'm1.small',
      hours: 6,
      memory_mb: 512,
      local_gb: 1,
      vcpus: 1,
      started_at: '2026-01-01T12:00:00.000000',
      ended_at: '2026-01-01T18:00:00.000000',
      state: 'terminated',
      uptime: 21600,
    });
    assert.equal(servers[0].flavor, 'm1.tiny');
    assert.equal(servers[0].state, 'active');
  });

  it('pages by instance uuid from 2.40 with next links', async () => {
    const q = '/v2.1/os-simple-tenant-usage?start=2026-01-01T00:00:00&detailed=1&limit=2';
    const r = await t.call('GET', q, { mv: '2.40', headers: { host: 'h' } });
    const usages = r.json().tenant_usages;
    assert.deepEqual(
      usages.flatMap((u: { server_usages: { instance_id: string }[] }) =>
        u.server_usages.map((s) => s.instance_id),
      ),
      [a, b],
    );
    assert.match(r.json().tenant_usages_links[0].href, new RegExp(`marker=${b}`));
    const next = await t.call('GET', `${q}&marker=${b}`, { mv: '2.40' });
    assert.deepEqual(
      next.json().tenant_usages.map((u: { tenant_id: string }) => u.tenant_id),
      [P2],
    );
    const bad = await t.call('GET', `${q}&marker=nope`, { mv: '2.40' });
    assert.deepEqual(bad.json(), { badRequest: { code: 400, message: 'Marker nope could not be found.' } });
  });

  it('shows one project for its reader; others need admin', async () => {
    const r = await t.call('GET', `/v2.1/os-simple-tenant-usage/${P2}?start=2026-01-01T00:00:00`, {
      token: BOB,
    });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().tenant_usage.server_usages[0].instance_id, c);
    const other = await t.call('GET', `/v2.1/os-simple-tenant-usage/${P2}`, { token: ALICE });
    assert.equal(other.statusCode, 403);
    const list = await t.call('GET', '/v2.1/os-simple-tenant-usage', { token: ALICE });
    assert.equal(list.statusCode, 403);
    const empty = await t.call('GET', '/v2.1/os-simple-tenant-usage/nobody?start=2026-01-01T00:00:00', {
      token: ADMIN,
    });
    assert.deepEqual(empty.json(), { tenant_usage: {} });
  });

  it('refuses bad times and (from 2.75) unknown parameters', async () => {
    const bad = await t.call('GET', '/v2.1/os-simple-tenant-usage?start=yesterday');
    assert.deepEqual(bad.json(), {
      badRequest: { code: 400, message: 'Invalid datetime string: Datetime is in invalid format' },
    });
    const order = await t.call(
      'GET',
      '/v2.1/os-simple-tenant-usage?start=2026-01-02T00:00:00&end=2026-01-01T00:00:00',
    );
    assert.match(order.json().badRequest.message, /The start time cannot occur after the end time/);
    const spaced = await t.call('GET', '/v2.1/os-simple-tenant-usage?start=2026-01-01+00:00:00.5');
    assert.equal(spaced.statusCode, 200);
    assert.equal((await t.call('GET', '/v2.1/os-simple-tenant-usage?x=1', { mv: '2.75' })).statusCode, 400);
    assert.equal(
      (await t.call('GET', '/v2.1/os-simple-tenant-usage?x=1&start=2026-01-01T00:00:00', { mv: '2.74' }))
        .statusCode,
      200,
    );
  });
});

describe('os-instance_usage_audit_log', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    await addComputeHost(t, t.cellDb, 'cell1', 'cmp1');
    await addComputeHost(t, t.cellDb, 'cell1', 'cmp2');
    const period = {
      period_beginning: at('2025-12-01T00:00:00Z'),
      period_ending: at('2026-01-01T00:00:00Z'),
    };
    await taskLog.begin(
      t.cellDb,
      { task_name: 'instance_usage_audit', host: 'cmp1', task_items: 3, ...period },
      t.clock.now(),
    );
    await taskLog.end(
      t.cellDb,
      { task_name: 'instance_usage_audit', host: 'cmp1', errors: 1, message: 'ran', ...period },
      t.clock.now(),
    );
  });
  after(() => t.close());

  it('reports the last completed month: hosts done, not run, totals', async () => {
    const r = await t.call('GET', '/v2.1/os-instance_usage_audit_log');
    assert.deepEqual(r.json(), {
      instance_usage_audit_logs: {
        period_beginning: '2025-12-01 00:00:00',
        period_ending: '2026-01-01 00:00:00',
        num_hosts: 2,
        num_hosts_done: 1,
        num_hosts_running: 0,
        num_hosts_not_run: 1,
        hosts_not_run: ['cmp2'],
        total_instances: 3,
        total_errors: 1,
        overall_status: '1 of 2 hosts done. 1 errors.',
        log: { cmp1: { state: 'DONE', instances: 3, errors: 1, message: 'ran' } },
      },
    });
  });

  it('shows the period before a timestamp; bad timestamps are 400; admin only', async () => {
    const r = await t.call('GET', '/v2.1/os-instance_usage_audit_log/2025-12-15%2010:00:00');
    assert.equal(r.json().instance_usage_audit_log.period_beginning, '2025-11-01 00:00:00');
    assert.equal(r.json().instance_usage_audit_log.num_hosts_done, 0);
    const frac = await t.call('GET', '/v2.1/os-instance_usage_audit_log/2026-01-15%2010:00:00.25');
    assert.equal(frac.json().instance_usage_audit_log.total_instances, 3);
    const bad = await t.call('GET', '/v2.1/os-instance_usage_audit_log/yesterday');
    assert.deepEqual(bad.json(), {
      badRequest: { code: 400, message: 'Invalid timestamp for date yesterday' },
    });
    assert.equal(
      (await t.call('GET', '/v2.1/os-instance_usage_audit_log', { token: ALICE })).statusCode,
      403,
    );
    assert.equal(
      (await t.call('GET', '/v2.1/os-instance_usage_audit_log?x=1', { mv: '2.102' })).statusCode,
      400,
    );
  });
});
