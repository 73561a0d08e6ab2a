import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUuid } from '../../../common/ids.ts';
import * as cellMappings from '../../../objects/cell-mapping.ts';
import * as computeNodes from '../../../objects/compute-node.ts';
import * as hostMappings from '../../../objects/host-mapping.ts';
import * as services from '../../../objects/service.ts';
import { ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';

async function addHost(t: TestApi, host: string): Promise<void> {
  const now = t.clock.now();
  const svc = await services.createOrGet(
    t.cellDb,
    { host, binary: 'nova-compute', topic: 'compute', version: 1 },
    now,
  );
  await services.heartbeat(t.cellDb, svc.id, now);
  const cell = await cellMappings.findByName(t.apiDb, 'cell1');
  await hostMappings.create(t.apiDb, { host, cell_id: cell!.id }, now);
  await computeNodes.upsert(
    t.cellDb,
    {
      host,
      hypervisor_hostname: host,
      hypervisor_type: 'fake',
      hypervisor_version: 1,
      vcpus: 8,
      memory_mb: 16384,
      local_gb: 100,
      vcpus_used: 2,
      memory_mb_used: 1024,
      local_gb_used: 10,
      cpu_info: '{}',
      service_id: svc.id,
    },
    now,
  );
}

describe('availability zones, hosts, extensions', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    const now = t.clock.now();
    await services.createOrGet(
      t.cellDb,
      { host: 'ctl', binary: 'nova-scheduler', topic: 'scheduler', version: 1 },
      now,
    );
    await addHost(t, 'cmp1');
    await addHost(t, 'cmp2');
    await t.cellDb.kysely
      .insertInto('instances')
      .values({
        uuid: newUuid(),
        project_id: 'p1',
        host: 'cmp1',
        vcpus: 2,
        memory_mb: 512,
        root_gb: 1,
        ephemeral_gb: 0,
      })
      .execute();
  });
  after(() => t.close());

  it('lists zones for anyone, hiding the internal zone', async () => {
    const r = await t.call('GET', '/v2.1/os-availability-zone', { token: ALICE });
    assert.deepEqual(r.json(), {
      availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }],
    });
  });

  it('takes zones from aggregates and details them for admins', async () => {
    const c = await t.call('POST', '/v2.1/os-aggregates', {
      body: { aggregate: { name: 'agg1', availability_zone: 'az1' } },
    });
    const id = c.json().aggregate.id;
    await t.call('POST', `/v2.1/os-aggregates/${id}/action`, { body: { add_host: { host: 'cmp2' } } });
    const r = await t.call('GET', '/v2.1/os-availability-zone', { token: ALICE });
    assert.deepEqual(
      r.json().availabilityZoneInfo.map((z: { zoneName: string }) => z.zoneName),
      ['az1', 'nova'],
    );
    const d = await t.call('GET', '/v2.1/os-availability-zone/detail');
    const zones = d.json().availabilityZoneInfo;
    assert.deepEqual(
      zones.map((z: { zoneName: string }) => z.zoneName),
      ['az1', 'internal', 'nova'],
    );
    assert.equal(zones[0].hosts.cmp2['nova-compute'].available, true);
    assert.equal(zones[0].hosts.cmp2['nova-compute'].active, true);
    assert.ok(zones[1].hosts.ctl['nova-scheduler']);
    const denied = await t.call('GET', '/v2.1/os-availability-zone/detail', { token: ALICE });
    assert.equal(denied.statusCode, 403);
  });

  it('lists hosts up to 2.42 (zone filter) and 404s after', async () => {
    const r = await t.call('GET', '/v2.1/os-hosts');
    assert.deepEqual(r.json().hosts, [
      { host_name: 'ctl', service: 'scheduler', zone: 'internal' },
      { host_name: 'cmp1', service: 'compute', zone: 'nova' },
      { host_name: 'cmp2', service: 'compute', zone: 'az1' },
    ]);
    const z = await t.call('GET', '/v2.1/os-hosts?zone=az1');
    assert.equal(z.json().hosts.length, 1);
    assert.equal((await t.call('GET', '/v2.1/os-hosts', { mv: '2.43' })).statusCode, 404);
    assert.equal((await t.call('GET', '/v2.1/os-hosts', { token: ALICE })).statusCode, 403);
  });

  it('shows host resources; power and maintenance actions are not implemented', async () => {
    const r = await t.call('GET', '/v2.1/os-hosts/cmp1');
    const host = r.json().host;
    assert.deepEqual(host[0].resource, {
      host: 'cmp1',
      project: '(total)',
      cpu: 8,
      memory_mb: 16384,
      disk_gb: 100,
    });
    assert.deepEqual(host[2].resource, {
      host: 'cmp1',
      project: '(used_max)',
      cpu: 2,
      memory_mb: 512,
      disk_gb: 1,
    });
    assert.equal(host[3].resource.project, 'p1');
    assert.equal((await t.call('GET', '/v2.1/os-hosts/nope')).statusCode, 404);
    const reboot = await t.call('GET', '/v2.1/os-hosts/cmp1/reboot');
    assert.equal(reboot.statusCode, 501);
    assert.equal(reboot.json().notImplemented.message, 'The requested functionality is not supported.');
    const bad = await t.call('PUT', '/v2.1/os-hosts/cmp1', { body: { status: 'on' } });
    assert.equal(bad.statusCode, 400);
  });

  it('lists the legacy extensions', async () => {
    const r = await t.call('GET', '/v2.1/extensions', { token: ALICE });
    assert.equal(r.json().extensions.length, 99);
    const one = await t.call('GET', '/v2.1/extensions/OS-EXT-AZ', { token: ALICE });
    assert.equal(one.json().extension.name, 'ExtendedAvailabilityZone');
    assert.equal((await t.call('GET', '/v2.1/extensions/NOPE', { token: ALICE })).statusCode, 404);
  });
});

describe('aggregates', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    await addHost(t, 'h1');
    await addHost(t, 'h2');
  });
  after(() => t.close());

  it('creates (brief view), shows with uuid from 2.41, lists', async () => {
    const c = await t.call('POST', '/v2.1/os-aggregates', {
      body: { aggregate: { name: 'rack1', availability_zone: 'z1' } },
    });
    assert.equal(c.statusCode, 200);
    const a = c.json().aggregate;
    assert.equal(a.name, 'rack1');
    assert.equal(a.availability_zone, 'z1');
    assert.equal('hosts' in a, false);
    assert.equal('uuid' in a, false);
    const s = await t.call('GET', `/v2.1/os-aggregates/${a.id}`, { mv: '2.41' });
    assert.match(s.json().aggregate.uuid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(s.json().aggregate.metadata, { availability_zone: 'z1' });
    const dup = await t.call('POST', '/v2.1/os-aggregates', { body: { aggregate: { name: 'rack1' } } });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().conflictingRequest.message, 'Aggregate rack1 already exists.');
    const l = await t.call('GET', '/v2.1/os-aggregates');
    assert.equal(l.json().aggregates.length, 1);
  });

  it('adds and removes hosts with the zone checks', async () => {
    const z1 = (await t.call('GET', '/v2.1/os-aggregates')).json().aggregates[0].id;
    const z2 = (
      await t.call('POST', '/v2.1/os-aggregates', {
        body: { aggregate: { name: 'rack2', availability_zone: 'z2' } },
      })
    ).json().aggregate.id;
    const add = await t.call('POST', `/v2.1/os-aggregates/${z1}/action`, {
      body: { add_host: { host: 'h1' } },
    });
    assert.deepEqual(add.json().aggregate.hosts, ['h1']);
    const again = await t.call('POST', `/v2.1/os-aggregates/${z1}/action`, {
      body: { add_host: { host: 'h1' } },
    });
    assert.equal(again.statusCode, 409);
    const conflict = await t.call('POST', `/v2.1/os-aggregates/${z2}/action`, {
      body: { add_host: { host: 'h1' } },
    });
    assert.equal(conflict.statusCode, 409);
    assert.match(
      conflict.json().conflictingRequest.message,
      /One or more hosts already in availability zone\(s\) \['z1'\]/,
    );
    const unknown = await t.call('POST', `/v2.1/os-aggregates/${z1}/action`, {
      body: { add_host: { host: 'nope' } },
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().itemNotFound.message, 'Compute host nope could not be found.');
    const notEmpty = await t.call('DELETE', `/v2.1/os-aggregates/${z1}`);
    assert.equal(notEmpty.statusCode, 400);
    const rm = await t.call('POST', `/v2.1/os-aggregates/${z1}/action`, {
      body: { remove_host: { host: 'h1' } },
    });
    assert.deepEqual(rm.json().aggregate.hosts, []);
    const rmAgain = await t.call('POST', `/v2.1/os-aggregates/${z1}/action`, {
      body: { remove_host: { host: 'h1' } },
    });
    assert.equal(rmAgain.json().itemNotFound.message, `Cannot remove host h1 in aggregate ${z1}`);
    assert.equal((await t.call('DELETE', `/v2.1/os-aggregates/${z2}`)).statusCode, 200);
  });

  it('sets metadata and updates name and zone', async () => {
    const id = (await t.call('GET', '/v2.1/os-aggregates')).json().aggregates[0].id;
    const md = await t.call('POST', `/v2.1/os-aggregates/${id}/action`, {
      body: { set_metadata: { metadata: { ssd: 'true' } } },
    });
    assert.deepEqual(md.json().aggregate.metadata, { availability_zone: 'z1', ssd: 'true' });
    const del = await t.call('POST', `/v2.1/os-aggregates/${id}/action`, {
      body: { set_metadata: { metadata: { ssd: null } } },
    });
    assert.deepEqual(del.json().aggregate.metadata, { availability_zone: 'z1' });
    const empty = await t.call('POST', `/v2.1/os-aggregates/${id}/action`, {
      body: { set_metadata: { metadata: { availability_zone: null } } },
    });
    assert.equal(empty.statusCode, 400);
    const u = await t.call('PUT', `/v2.1/os-aggregates/${id}`, {
      body: { aggregate: { name: 'renamed', availability_zone: 'z9' } },
    });
    assert.equal(u.json().aggregate.name, 'renamed');
    assert.equal(u.json().aggregate.availability_zone, 'z9');
    const bad = await t.call('PUT', `/v2.1/os-aggregates/${id}`, { body: { aggregate: {} } });
    assert.equal(bad.statusCode, 400);
    const badId = await t.call('GET', '/v2.1/os-aggregates/abc');
    assert.equal(badId.json().badRequest.message, 'Invalid input received: id must be an integer');
    const missing = await t.call('GET', '/v2.1/os-aggregates/999');
    assert.equal(missing.json().itemNotFound.message, 'Aggregate 999 could not be found.');
  });

  it('accepts image precache requests from 2.81', async () => {
    const id = (await t.call('GET', '/v2.1/os-aggregates')).json().aggregates[0].id;
    const body = { cache: [{ id: newUuid() }] };
    assert.equal(
      (await t.call('POST', `/v2.1/os-aggregates/${id}/images`, { mv: '2.80', body })).statusCode,
      404,
    );
    assert.equal(
      (await t.call('POST', `/v2.1/os-aggregates/${id}/images`, { mv: '2.81', body })).statusCode,
      202,
    );
    const dup = { cache: [body.cache[0], body.cache[0]] };
    assert.equal(
      (await t.call('POST', `/v2.1/os-aggregates/${id}/images`, { mv: '2.81', body: dup })).statusCode,
      400,
    );
  });

  it('is admin only', async () => {
    assert.equal((await t.call('GET', '/v2.1/os-aggregates', { token: ALICE })).statusCode, 403);
  });
});

describe('server groups', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi([{ group: 'quota', name: 'server_groups', value: '2' }]);
  });
  after(() => t.close());

  it('creates with policies before 2.64 and policy + rules from it', async () => {
    const old = await t.call('POST', '/v2.1/os-server-groups', {
      token: ALICE,
      body: { server_group: { name: 'g1', policies: ['affinity'] } },
    });
    assert.equal(old.statusCode, 200);
    assert.deepEqual(Object.keys(old.json().server_group).sort(), [
      'id',
      'members',
      'metadata',
      'name',
      'policies',
    ]);
    assert.deepEqual(old.json().server_group.policies, ['affinity']);
    const soft = await t.call('POST', '/v2.1/os-server-groups', {
      token: ALICE,
      mv: '2.14',
      body: { server_group: { name: 'g', policies: ['soft-affinity'] } },
    });
    assert.equal(soft.statusCode, 400);
    const neu = await t.call('POST', '/v2.1/os-server-groups', {
      token: ALICE,
      mv: '2.64',
      body: { server_group: { name: 'g2', policy: 'anti-affinity', rules: { max_server_per_host: 2 } } },
    });
    assert.equal(neu.statusCode, 200);
    const g = neu.json().server_group;
    assert.equal(g.policy, 'anti-affinity');
    assert.deepEqual(g.rules, { max_server_per_host: 2 });
    assert.equal(g.project_id, '0a1b2c3d');
    assert.equal(g.user_id, 'alice');
    const rulesOnAffinity = await t.call('POST', '/v2.1/os-server-groups', {
      token: BOB,
      mv: '2.64',
      body: { server_group: { name: 'g3', policy: 'affinity', rules: { max_server_per_host: 2 } } },
    });
    assert.equal(rulesOnAffinity.json().badRequest.message, 'Only anti-affinity policy supports rules.');
  });

  it('enforces the server_groups quota', async () => {
    const r = await t.call('POST', '/v2.1/os-server-groups', {
      token: ALICE,
      body: { server_group: { name: 'g3', policies: ['affinity'] } },
    });
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().forbidden.message, 'Quota exceeded, too many server groups.');
  });

  it('lists own groups, all for admins with all_projects; shows and deletes', async () => {
    const mine = await t.call('GET', '/v2.1/os-server-groups', { token: ALICE, mv: '2.13' });
    assert.equal(mine.json().server_groups.length, 2);
    const bobs = await t.call('GET', '/v2.1/os-server-groups?all_projects=1', { token: BOB });
    assert.equal(bobs.json().server_groups.length, 0);
    const all = await t.call('GET', '/v2.1/os-server-groups?all_projects=1&limit=1', { token: 'admin:55aa' });
    assert.equal(all.json().server_groups.length, 1);
    const id = mine.json().server_groups[0].id;
    assert.equal((await t.call('GET', `/v2.1/os-server-groups/${id}`, { token: BOB })).statusCode, 403);
    assert.equal((await t.call('DELETE', `/v2.1/os-server-groups/${id}`, { token: ALICE })).statusCode, 204);
    const gone = await t.call('GET', `/v2.1/os-server-groups/${id}`, { token: ALICE });
    assert.equal(gone.json().itemNotFound.message, `Instance group ${id} could not be found.`);
  });
});
