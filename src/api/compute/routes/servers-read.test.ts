import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUuid } from '../../../common/ids.ts';
import type { Database } from '../../../db/connect.ts';
import type { CellDb } from '../../../db/tables/cell-db.ts';
import * as buildRequests from '../../../objects/build-request.ts';
import * as cellMappings from '../../../objects/cell-mapping.ts';
import * as instances from '../../../objects/instance.ts';
import type { EmbeddedFlavor } from '../../../objects/instance-extra.ts';
import * as instanceMappings from '../../../objects/instance-mapping.ts';
import { addComputeHost } from '../test-fixtures.ts';
import { ADMIN, ALICE, BOB, startTestApi, type TestApi } from '../test-support.ts';

const FLAVOR: EmbeddedFlavor = {
  name: 'm1.tiny',
  flavorid: '1',
  memory_mb: 512,
  vcpus: 1,
  root_gb: 1,
  ephemeral_gb: 0,
  swap: 0,
  extra_specs: {},
};
const ALICE_PROJECT = '0a1b2c3d';
const BOB_PROJECT = '9f8e7d6c';

interface Boot {
  readonly name: string;
  readonly minute: number;
  readonly project?: string;
  readonly vm?: string;
  readonly task?: string | null;
  readonly host?: string | null;
  readonly tags?: string[];
  readonly ip?: string;
  readonly flavorid?: string;
}

type Json = Record<string, unknown> & { servers: Record<string, unknown>[] };

describe('GET /servers across two cells', () => {
  let t: TestApi;
  let cell2: Database<CellDb>;
  const ids: Record<string, string> = {};
  const base = Date.UTC(2026, 0, 1);

  async function boot(db: Database<CellDb>, cellName: string, b: Boot): Promise<string> {
    const uuid = newUuid();
    const created = new Date(base + b.minute * 60_000);
    await instances.create(
      db,
      {
        uuid,
        project_id: b.project ?? ALICE_PROJECT,
        user_id: 'alice',
        display_name: b.name,
        image_ref: 'c0ffee00-0000-4000-8000-000000000001',
        vm_state: b.vm ?? 'active',
        task_state: b.task ?? null,
        power_state: 1,
        host: b.host === undefined ? 'cmp1' : b.host,
        node: 'cmp1.example.org',
        flavor: b.flavorid ? { ...FLAVOR, flavorid: b.flavorid, name: `f${b.flavorid}` } : FLAVOR,
        tags: b.tags ?? [],
        created_at: created,
      },
      created,
    );
    if (b.ip)
      await instances.setNetworkInfo(
        db,
        uuid,
        [
          {
            id: newUuid(),
            address: 'fa:16:3e:00:00:01',
            network: {
              id: 'net1',
              label: 'private',
              subnets: [
                {
                  cidr: '10.0.0.0/24',
                  ips: [{ address: b.ip, type: 'fixed', version: 4, floating_ips: [] }],
                },
              ],
            },
          },
        ],
        created,
      );
    const cell = await cellMappings.findByName(t.apiDb, cellName);
    await instanceMappings.create(
      t.apiDb,
      { instance_uuid: uuid, cell_id: cell?.id, project_id: b.project ?? ALICE_PROJECT },
      created,
    );
    ids[b.name] = uuid;
    return uuid;
  }

  async function list(url: string, token = ALICE, mv?: string): Promise<Json> {
    const res = await t.call('GET', url, { token, ...(mv && { mv }) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Json;
  }
  const names = (j: Json) => j.servers.map((s) => s.name);

  before(async () => {
    t = await startTestApi();
    cell2 = await t.addCell('cell2');
    // Alternate cells, one minute apart: newest first is e, d, c, b, a.
    await boot(t.cellDb, 'cell1', { name: 'alpha', minute: 1, tags: ['red', 'blue'], ip: '10.0.0.5' });
    await boot(cell2, 'cell2', { name: 'bravo', minute: 2, vm: 'stopped', tags: ['red'], ip: '10.0.0.50' });
    await boot(t.cellDb, 'cell1', { name: 'charlie', minute: 3, tags: ['blue'], host: 'cmp2' });
    await boot(cell2, 'cell2', { name: 'delta', minute: 4, task: 'rebooting', flavorid: '42' });
    await boot(t.cellDb, 'cell1', { name: 'Echo', minute: 5, vm: 'error' });
    await boot(cell2, 'cell2', { name: 'bob-vm', minute: 6, project: BOB_PROJECT });
  });
  after(() => t.close());

  it('lists the caller project newest first, merged over both cells', async () => {
    const j = await list('/v2.1/servers');
    assert.deepEqual(names(j), ['Echo', 'delta', 'charlie', 'bravo', 'alpha']);
    assert.deepEqual(Object.keys(j.servers[0]).sort(), ['id', 'links', 'name']);
    assert.equal(j.servers_links, undefined);
  });

  it('pages with limit and marker across cells, with next links', async () => {
    const p1 = await list('/v2.1/servers?limit=2');
    assert.deepEqual(names(p1), ['Echo', 'delta']);
    const next = (p1.servers_links as { rel: string; href: string }[])[0];
    assert.equal(next.rel, 'next');
    const url = new URL(next.href);
    assert.equal(url.pathname, '/v2.1/servers');
    assert.equal(url.searchParams.get('marker'), ids.delta);
    const p2 = await list(`/v2.1/servers${url.search}`);
    assert.deepEqual(names(p2), ['charlie', 'bravo']);
    const p3 = await list(`/v2.1/servers?limit=2&marker=${ids.bravo}`);
    assert.deepEqual(names(p3), ['alpha']);
    assert.equal(p3.servers_links, undefined);
  });

  it('sorts by the requested keys across cells', async () => {
    const j = await list('/v2.1/servers?sort_key=display_name&sort_dir=asc');
    assert.deepEqual(names(j), ['Echo', 'alpha', 'bravo', 'charlie', 'delta']);
    const k = await list(`/v2.1/servers?sort_key=display_name&sort_dir=asc&limit=2&marker=${ids.alpha}`);
    assert.deepEqual(names(k), ['bravo', 'charlie']);
  });

  it('refuses an unknown marker, a bad sort direction, and host sorting for non-admins', async () => {
    const m = await t.call('GET', `/v2.1/servers?marker=${newUuid()}`, { token: ALICE });
    assert.equal(m.statusCode, 400);
    assert.match(m.body, /marker \[[0-9a-f-]+\] not found/);
    const d = await t.call('GET', '/v2.1/servers?sort_key=display_name&sort_dir=up', { token: ALICE });
    assert.equal(d.statusCode, 400);
    assert.match(d.body, /Unknown sort direction/);
    const h = await t.call('GET', '/v2.1/servers?sort_key=host', { token: ALICE });
    assert.equal(h.statusCode, 403);
    assert.match(h.body, /Only administrators can sort servers by host/);
    assert.equal((await t.call('GET', '/v2.1/servers?sort_key=host', { token: ADMIN })).statusCode, 200);
  });

  it('filters by name as a case-insensitive regular expression', async () => {
    assert.deepEqual(names(await list('/v2.1/servers?name=^e')), ['Echo']);
    assert.deepEqual(names(await list('/v2.1/servers?name=ha')), ['charlie', 'alpha']);
  });

  it('filters by status through the vm/task state map', async () => {
    assert.deepEqual(names(await list('/v2.1/servers?status=SHUTOFF')), ['bravo']);
    assert.deepEqual(names(await list('/v2.1/servers?status=reboot')), ['delta']);
    assert.deepEqual(names(await list('/v2.1/servers?status=ACTIVE')), ['delta', 'charlie', 'alpha']);
    assert.deepEqual(names(await list('/v2.1/servers?status=ERROR&status=SHUTOFF')), ['Echo', 'bravo']);
    assert.deepEqual(names(await list('/v2.1/servers?status=BOGUS', ALICE, '2.37')), []);
    const bad = await t.call('GET', '/v2.1/servers?status=BOGUS', { token: ALICE, mv: '2.38' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Invalid status value/);
    const del = await t.call('GET', '/v2.1/servers?status=DELETED', { token: ALICE });
    assert.equal(del.statusCode, 403);
  });

  it('filters by tags from 2.26', async () => {
    assert.deepEqual(names(await list('/v2.1/servers?tags=red,blue', ALICE, '2.26')), ['alpha']);
    assert.deepEqual(names(await list('/v2.1/servers?tags-any=red,blue', ALICE, '2.26')), [
      'charlie',
      'bravo',
      'alpha',
    ]);
    assert.deepEqual(names(await list('/v2.1/servers?not-tags=red,blue', ALICE, '2.26')), [
      'Echo',
      'delta',
      'charlie',
      'bravo',
    ]);
    assert.deepEqual(names(await list('/v2.1/servers?not-tags-any=red', ALICE, '2.26')), [
      'Echo',
      'delta',
      'charlie',
    ]);
    // Before 2.26 the parameter is not a filter.
    assert.equal((await list('/v2.1/servers?tags=red', ALICE, '2.25')).servers.length, 5);
  });

  it('filters by changes-since / changes-before (updated_at) and refuses since > before', async () => {
    const since = new Date(base + 3 * 60_000).toISOString();
    assert.deepEqual(names(await list(`/v2.1/servers?changes-since=${since}`)), ['Echo', 'delta', 'charlie']);
    const before = new Date(base + 2 * 60_000).toISOString();
    assert.deepEqual(names(await list(`/v2.1/servers?changes-before=${before}`, ALICE, '2.66')), [
      'bravo',
      'alpha',
    ]);
    const bad = await t.call('GET', `/v2.1/servers?changes-since=${since}&changes-before=${before}`, {
      token: ALICE,
      mv: '2.66',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /changes-since must be less than or equal to changes-before/);
    const junk = await t.call('GET', '/v2.1/servers?changes-since=yesterday', { token: ALICE });
    assert.equal(junk.statusCode, 400);
  });

  it('filters by fixed IP (matched from the start) and by flavor', async () => {
    assert.deepEqual(names(await list('/v2.1/servers?ip=10.0.0.5')), ['bravo', 'alpha']);
    assert.deepEqual(names(await list('/v2.1/servers?ip=10.0.0.5$')), ['alpha']);
    assert.deepEqual(names(await list('/v2.1/servers?ip=0.0.5')), []);
    assert.deepEqual(names(await list('/v2.1/servers?flavor=nonexistent')), []);
  });

  it('ignores admin-only filters for users, applies them for admins', async () => {
    assert.equal((await list('/v2.1/servers?host=cmp2')).servers.length, 5);
    assert.deepEqual(names(await list('/v2.1/servers?host=cmp2', ADMIN)), ['charlie']);
  });

  it('lists every project only for admins with all_tenants', async () => {
    const all = await list('/v2.1/servers?all_tenants=1', ADMIN);
    assert.deepEqual(names(all), ['bob-vm', 'Echo', 'delta', 'charlie', 'bravo', 'alpha']);
    const only = await list(`/v2.1/servers?all_tenants&project_id=${BOB_PROJECT}`, ADMIN);
    assert.deepEqual(names(only), ['bob-vm']);
    const denied = await t.call('GET', '/v2.1/servers?all_tenants=1', { token: ALICE });
    assert.equal(denied.statusCode, 403);
    assert.deepEqual(names(await list('/v2.1/servers', BOB)), ['bob-vm']);
    const bad = await t.call('GET', '/v2.1/servers?all_tenants=maybe', { token: ADMIN });
    assert.equal(bad.statusCode, 400);
  });

  it('shows deleted servers to admins only with deleted=true', async () => {
    const gone = await boot(t.cellDb, 'cell1', { name: 'gone', minute: 7 });
    await instances.destroy(t.cellDb, gone, new Date(base + 8 * 60_000));
    assert.ok(!names(await list('/v2.1/servers', ADMIN)).includes('gone'));
    const j = await list('/v2.1/servers/detail?deleted=true', ADMIN);
    assert.deepEqual(names(j), ['gone']);
    assert.equal(j.servers[0].status, 'DELETED');
    // A user's deleted=true is not a filter they may use.
    assert.ok(!names(await list('/v2.1/servers?deleted=true')).includes('gone'));
    // changes-since also returns recently deleted servers.
    const since = new Date(base + 6 * 60_000).toISOString();
    assert.deepEqual(names(await list(`/v2.1/servers?changes-since=${since}`)), ['gone']);
  });

  it('refuses unknown parameters from 2.75 and joined-table filters for admins', async () => {
    assert.equal((await t.call('GET', '/v2.1/servers?foo=1', { token: ALICE, mv: '2.74' })).statusCode, 200);
    const strict = await t.call('GET', '/v2.1/servers?foo=1', { token: ALICE, mv: '2.75' });
    assert.equal(strict.statusCode, 400);
    const joined = await t.call('GET', '/v2.1/servers?metadata=x', { token: ADMIN });
    assert.equal(joined.statusCode, 400);
    assert.match(joined.body, /Invalid filter field: metadata\./);
    assert.equal((await t.call('GET', '/v2.1/servers?metadata=x', { token: ALICE })).statusCode, 200);
  });

  it('details each server with status, flavor and addresses', async () => {
    const j = await list('/v2.1/servers/detail?name=alpha', ALICE, '2.47');
    const s = j.servers[0];
    assert.equal(s.status, 'ACTIVE');
    assert.deepEqual(s.flavor, {
      vcpus: 1,
      ram: 512,
      disk: 1,
      ephemeral: 0,
      swap: 0,
      original_name: 'm1.tiny',
      extra_specs: {},
    });
    assert.deepEqual(s.addresses, {
      private: [
        {
          version: 4,
          addr: '10.0.0.5',
          'OS-EXT-IPS:type': 'fixed',
          'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01',
        },
      ],
    });
    assert.equal(s['OS-EXT-SRV-ATTR:host'], undefined);
    const admin = await list('/v2.1/servers/detail?name=alpha', ADMIN);
    assert.equal(admin.servers[0]['OS-EXT-SRV-ATTR:host'], 'cmp1');
    const links = (await list('/v2.1/servers/detail?limit=1')).servers_links as { href: string }[];
    assert.match(links[0].href, /\/v2\.1\/servers\/detail\?limit=1&marker=/);
  });

  it('host_status (2.16) for admins from the compute service; zone of the host', async () => {
    const show = async () =>
      (
        (await t.call('GET', `/v2.1/servers/${ids.alpha}`, { token: ADMIN, mv: '2.16' })).json() as {
          server: Record<string, unknown>;
        }
      ).server;
    assert.equal((await show()).host_status, '');
    await addComputeHost(t, t.cellDb, 'cell1', 'cmp1');
    const s = await show();
    assert.equal(s.host_status, 'UP');
    assert.equal(s['OS-EXT-AZ:availability_zone'], 'nova');
    const user = await t.call('GET', `/v2.1/servers/${ids.alpha}`, { token: ALICE, mv: '2.16' });
    assert.equal('host_status' in (user.json() as { server: object }).server, false);
  });

  it('shows a server, and 404 for another project or an unknown id', async () => {
    const res = await t.call('GET', `/v2.1/servers/${ids.delta}`, { token: ALICE, mv: '2.100' });
    assert.equal(res.statusCode, 200, res.body);
    const s = (res.json() as { server: Record<string, unknown> }).server;
    assert.equal(s.id, ids.delta);
    assert.equal(s.status, 'REBOOT');
    assert.deepEqual(s.server_groups, []);
    assert.deepEqual(s.scheduler_hints, {});
    assert.equal(s.pinned_availability_zone, null);
    const other = await t.call('GET', `/v2.1/servers/${ids['bob-vm']}`, { token: ALICE });
    assert.equal(other.statusCode, 404);
    assert.match(other.body, new RegExp(`Instance ${ids['bob-vm']} could not be found\\.`));
    assert.equal((await t.call('GET', `/v2.1/servers/${ids['bob-vm']}`, { token: ADMIN })).statusCode, 200);
    assert.equal((await t.call('GET', `/v2.1/servers/${newUuid()}`, { token: ALICE })).statusCode, 404);
  });

  it('lists build requests first as BUILD servers and shows them', async () => {
    const uuid = newUuid();
    const now = new Date(base + 30 * 60_000);
    await buildRequests.create(
      t.apiDb,
      {
        uuid,
        project_id: ALICE_PROJECT,
        user_id: 'alice',
        display_name: 'pending',
        image_ref: 'c0ffee00-0000-4000-8000-000000000001',
        vm_state: 'building',
        task_state: 'scheduling',
        flavor: FLAVOR,
        tags: ['new'],
        created_at: now,
      },
      [],
      now,
    );
    await instanceMappings.create(t.apiDb, { instance_uuid: uuid, project_id: ALICE_PROJECT }, now);
    const j = await list('/v2.1/servers/detail', ALICE, '2.26');
    assert.equal(j.servers[0].id, uuid);
    assert.equal(j.servers[0].status, 'BUILD');
    assert.deepEqual(j.servers[0].tags, ['new']);
    assert.deepEqual(j.servers[0].addresses, {});
    // A build request marker pages on into the cells.
    const p = await list(`/v2.1/servers?limit=2&marker=${uuid}`);
    assert.deepEqual(names(p), ['Echo', 'delta']);
    const show = await t.call('GET', `/v2.1/servers/${uuid}`, { token: ALICE });
    assert.equal(show.statusCode, 200, show.body);
    const s = (show.json() as { server: Record<string, unknown> }).server;
    assert.equal(s.status, 'BUILD');
    assert.equal(s['OS-EXT-STS:task_state'], 'scheduling');
    assert.equal(s.hostId, '');
    assert.equal((await t.call('GET', `/v2.1/servers/${uuid}`, { token: BOB })).statusCode, 404);
    const adminShow = await t.call('GET', `/v2.1/servers/${uuid}`, { token: ADMIN });
    assert.equal(
      (adminShow.json() as { server: Record<string, unknown> }).server['OS-EXT-SRV-ATTR:instance_name'],
      '',
    );
  });
});
