import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../../db/connect.ts';
import type { CellDb } from '../../../db/tables/cell-db.ts';
import * as services from '../../../objects/service.ts';
import { addComputeHost, addInstance, type HostFixture } from '../test-fixtures.ts';
import { ALICE, startTestApi, type TestApi } from '../test-support.ts';

describe('os-hypervisors over two cells', () => {
  let t: TestApi;
  let cell2: Database<CellDb>;
  let h1: HostFixture;
  let h2: HostFixture;
  let vm: string;
  before(async () => {
    t = await startTestApi([], {
      hostUptime: { uptime: async (host) => (host === 'cmp1' ? ' 08:32:11 up 93 days' : undefined) },
    });
    cell2 = await t.addCell('cell2');
    h1 = await addComputeHost(t, t.cellDb, 'cell1', 'cmp1', { node: 'node-a' });
    h2 = await addComputeHost(t, cell2, 'cell2', 'cmp2', { node: 'node-b', vcpus: 4 });
    vm = await addInstance(cell2, { host: 'cmp2', name: 'web1' });
    // A node whose service is gone (and host unmapped) is not listed.
    await addComputeHost(t, cell2, 'cell2', 'gone', { mapped: false });
  });
  after(() => t.close());

  it('lists id, hostname, state and status with integer ids before 2.53', async () => {
    const r = await t.call('GET', '/v2.1/os-hypervisors');
    assert.deepEqual(r.json(), {
      hypervisors: [
        { id: h1.node.id, hypervisor_hostname: 'node-a', state: 'up', status: 'enabled' },
        { id: h2.node.id, hypervisor_hostname: 'node-b', state: 'up', status: 'enabled' },
      ],
    });
  });

  it('details: resources and cpu_info as text before 2.28, as object from 2.28, gone at 2.88', async () => {
    const v21 = (await t.call('GET', '/v2.1/os-hypervisors/detail')).json().hypervisors[0];
    assert.equal(v21.cpu_info, '{"arch": "x86_64", "model": "Nehalem"}');
    assert.equal(v21.vcpus, 8);
    assert.deepEqual(v21.service, { id: h1.service.id, host: 'cmp1', disabled_reason: null });
    const v228 = (await t.call('GET', '/v2.1/os-hypervisors/detail', { mv: '2.28' })).json().hypervisors[0];
    assert.deepEqual(v228.cpu_info, { arch: 'x86_64', model: 'Nehalem' });
    const v288 = (await t.call('GET', '/v2.1/os-hypervisors/detail', { mv: '2.88' })).json().hypervisors;
    assert.deepEqual(Object.keys(v288[0]).sort(), [
      'host_ip',
      'hypervisor_hostname',
      'hypervisor_type',
      'hypervisor_version',
      'id',
      'service',
      'state',
      'status',
      'uptime',
    ]);
    assert.equal(v288[0].id, h1.node.uuid);
    assert.equal(v288[0].service.id, h1.service.uuid);
    assert.equal(v288[0].uptime, ' 08:32:11 up 93 days');
    assert.equal(v288[1].uptime, null);
  });

  it('pages from 2.33 with next links (uuid markers from 2.53)', async () => {
    const r = await t.call('GET', '/v2.1/os-hypervisors?limit=1', { mv: '2.33', headers: { host: 'h' } });
    assert.equal(r.json().hypervisors.length, 1);
    assert.deepEqual(r.json().hypervisors_links, [
      { rel: 'next', href: `http://h/v2.1/os-hypervisors?limit=1&marker=${h1.node.id}` },
    ]);
    const next = await t.call('GET', `/v2.1/os-hypervisors?limit=1&marker=${h1.node.id}`, { mv: '2.33' });
    assert.deepEqual(
      next.json().hypervisors.map((h: { id: number }) => h.id),
      [h2.node.id],
    );
    const u = await t.call('GET', `/v2.1/os-hypervisors/detail?marker=${h1.node.uuid}`, { mv: '2.53' });
    assert.deepEqual(
      u.json().hypervisors.map((h: { id: string }) => h.id),
      [h2.node.uuid],
    );
    const bad = await t.call('GET', '/v2.1/os-hypervisors?marker=nope', { mv: '2.53' });
    assert.deepEqual(bad.json(), { badRequest: { code: 400, message: 'marker [nope] not found' } });
    const old = await t.call('GET', '/v2.1/os-hypervisors?limit=1');
    assert.equal(old.json().hypervisors.length, 2, 'no paging before 2.33');
  });

  it('searches by pattern and lists servers, in both the old routes and the 2.53 query', async () => {
    const s = await t.call('GET', '/v2.1/os-hypervisors/node-b/search');
    assert.deepEqual(
      s.json().hypervisors.map((h: { hypervisor_hostname: string }) => h.hypervisor_hostname),
      ['node-b'],
    );
    const sv = await t.call('GET', '/v2.1/os-hypervisors/node/servers');
    const hv = sv.json().hypervisors;
    assert.equal(hv.length, 2);
    assert.equal(hv[0].servers, undefined, 'no servers key when the host has none (before 2.75)');
    assert.deepEqual(hv[1].servers, [{ name: 'web1', uuid: vm }]);
    const none = await t.call('GET', '/v2.1/os-hypervisors/zzz/search');
    assert.deepEqual(none.json(), {
      itemNotFound: { code: 404, message: "No hypervisor matching 'zzz' could be found." },
    });
    assert.equal((await t.call('GET', '/v2.1/os-hypervisors/node/search', { mv: '2.53' })).statusCode, 404);
    const q = await t.call('GET', '/v2.1/os-hypervisors?hypervisor_hostname_pattern=node&with_servers=true', {
      mv: '2.75',
    });
    assert.deepEqual(
      q.json().hypervisors.map((h: { servers: unknown[] }) => h.servers.length),
      [0, 1],
    );
    const paging = await t.call('GET', '/v2.1/os-hypervisors?hypervisor_hostname_pattern=node&limit=1', {
      mv: '2.53',
    });
    assert.match(
      paging.json().badRequest.message,
      /Paging over hypervisors with the hypervisor_hostname_pattern/,
    );
    const strict = await t.call('GET', '/v2.1/os-hypervisors?foo=1', { mv: '2.53' });
    assert.equal(strict.statusCode, 400);
  });

  it('shows by id (404 for a bad id before 2.53, 400 from 2.53), with servers from 2.53', async () => {
    // Integer ids are per cell (both nodes are 1): the first cell's wins, as upstream.
    const r = await t.call('GET', `/v2.1/os-hypervisors/${h2.node.id}`);
    assert.equal(r.json().hypervisor.hypervisor_hostname, 'node-a');
    const u = await t.call('GET', `/v2.1/os-hypervisors/${h2.node.uuid}`, { mv: '2.53' });
    assert.equal(u.json().hypervisor.hypervisor_hostname, 'node-b');
    assert.equal(u.json().hypervisor.vcpus, 4);
    const bad = await t.call('GET', '/v2.1/os-hypervisors/abc');
    assert.deepEqual(bad.json(), {
      itemNotFound: { code: 404, message: "Hypervisor with ID 'abc' could not be found." },
    });
    const badUuid = await t.call('GET', '/v2.1/os-hypervisors/abc', { mv: '2.53' });
    assert.deepEqual(badUuid.json(), { badRequest: { code: 400, message: 'Invalid uuid abc' } });
    const ws = await t.call('GET', `/v2.1/os-hypervisors/${h2.node.uuid}?with_servers=1`, { mv: '2.53' });
    assert.deepEqual(ws.json().hypervisor.servers, [{ name: 'web1', uuid: vm }]);
    const missing = await t.call('GET', '/v2.1/os-hypervisors/1bb62a04-c576-402c-8147-9e89757a09e3', {
      mv: '2.53',
    });
    assert.equal(missing.statusCode, 404);
  });

  it('statistics (until 2.87) sum nodes of enabled compute services in every cell', async () => {
    const r = await t.call('GET', '/v2.1/os-hypervisors/statistics');
    const s = r.json().hypervisor_statistics;
    assert.equal(s.count, 3, 'the unmapped host still has an enabled service');
    assert.equal(s.vcpus, 20);
    await services.setDisabled(cell2, h2.service.id, true, 'x', t.clock.now());
    const after = (await t.call('GET', '/v2.1/os-hypervisors/statistics')).json().hypervisor_statistics;
    assert.equal(after.count, 2);
    assert.equal(after.vcpus, 16);
    const listed = (await t.call('GET', '/v2.1/os-hypervisors')).json().hypervisors;
    assert.equal(listed[1].status, 'disabled');
    await services.setDisabled(cell2, h2.service.id, false, null, t.clock.now());
    assert.equal((await t.call('GET', '/v2.1/os-hypervisors/statistics', { mv: '2.88' })).statusCode, 404);
  });

  it('uptime (until 2.87): the host answers, else 501; down hosts 400', async () => {
    const r = await t.call('GET', `/v2.1/os-hypervisors/${h1.node.id}/uptime`);
    assert.deepEqual(r.json(), {
      hypervisor: {
        id: h1.node.id,
        hypervisor_hostname: 'node-a',
        state: 'up',
        status: 'enabled',
        uptime: ' 08:32:11 up 93 days',
      },
    });
    const no = await t.call('GET', `/v2.1/os-hypervisors/${h2.node.uuid}/uptime`, { mv: '2.53' });
    assert.equal(no.statusCode, 501);
    t.clock.advance(120_000);
    const down = await t.call('GET', `/v2.1/os-hypervisors/${h1.node.id}/uptime`);
    assert.deepEqual(down.json(), {
      badRequest: { code: 400, message: 'Compute service of cmp1 is unavailable at this time.' },
    });
    t.clock.advance(-120_000);
    assert.equal(
      (await t.call('GET', `/v2.1/os-hypervisors/${h1.node.uuid}/uptime`, { mv: '2.88' })).statusCode,
      404,
    );
  });

  it('is admin only', async () => {
    for (const url of [
      '/v2.1/os-hypervisors',
      '/v2.1/os-hypervisors/detail',
      '/v2.1/os-hypervisors/statistics',
    ]) {
      const r = await t.call('GET', url, { token: ALICE });
      assert.equal(r.statusCode, 403, url);
    }
  });
});
