// The boot path against an all-in-one started in this process (2 fake hosts): every simple action
// moves the server as upstream does, NoValidHost leaves an ERROR server in cell0 with a fault and
// no allocation, anti-affinity over 2 hosts refuses a third member, 20 concurrent creates never
// exceed the instances quota, and a delete releases the allocation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../src/db/connect.ts';
import type { ApiDb } from '../../../src/db/tables/api-db.ts';
import * as cellMappings from '../../../src/objects/cell-mapping.ts';
import * as instanceMappings from '../../../src/objects/instance-mapping.ts';
import { type MoveCloud, startMoveCloud } from '../moves/cloud.ts';

describe('servers: boot path and actions (all-in-one, 2 fake hosts)', () => {
  let c: MoveCloud;
  before(async () => {
    c = await startMoveCloud({ fakeHosts: 2 });
  });
  after(() => c.stop());

  test('every simple action moves the server through upstream states', async () => {
    const s = await c.boot('acts');
    assert.equal(s['OS-EXT-STS:power_state'], 1);
    assert.ok(c.hosts.includes(s['OS-EXT-SRV-ATTR:host']));
    const steps: [unknown, string][] = [
      [{ 'os-stop': null }, 'SHUTOFF'],
      [{ 'os-start': null }, 'ACTIVE'],
      [{ reboot: { type: 'SOFT' } }, 'ACTIVE'],
      [{ reboot: { type: 'HARD' } }, 'ACTIVE'],
      [{ pause: null }, 'PAUSED'],
      [{ unpause: null }, 'ACTIVE'],
      [{ suspend: null }, 'SUSPENDED'],
      [{ resume: null }, 'ACTIVE'],
      [{ rescue: null }, 'RESCUE'],
      [{ unrescue: null }, 'ACTIVE'],
    ];
    for (const [body, want] of steps) {
      const r = await c.action(s.id, body);
      assert.ok(
        r.status === 202 || r.status === 200,
        `${JSON.stringify(body)}: ${r.status} ${JSON.stringify(r.body)}`,
      );
      await c.waitFor(s.id, (x) => x.status === want && x['OS-EXT-STS:task_state'] === null, want);
    }
    // A state the action does not allow: upstream's 409 wording.
    const bad = await c.action(s.id, { unpause: null });
    assert.equal(bad.status, 409);
    assert.match(
      bad.body.conflictingRequest.message,
      /Cannot 'unpause' instance .* while it is in vm_state active/,
    );

    const lock = await c.action(s.id, { lock: { locked_reason: 'maintenance' } }, '2.73');
    assert.equal(lock.status, 202);
    const locked = (await c.api('GET', `/servers/${s.id}`, undefined, '2.73')).body.server;
    assert.equal(locked.locked, true);
    assert.equal(locked.locked_reason, 'maintenance');
    assert.equal((await c.action(s.id, { unlock: null })).status, 202);

    const out = await c.action(s.id, { 'os-getConsoleOutput': { length: 5 } });
    assert.equal(out.status, 200);
    assert.ok(out.body.output.split('\n').length <= 5);

    // The legacy console action (≤2.5) shares the action route.
    const vnc = await c.action(s.id, { 'os-getVNCConsole': { type: 'novnc' } }, '2.1');
    assert.equal(vnc.status, 200, JSON.stringify(vnc.body));
    assert.match(vnc.body.console.url, /token/);

    const reset = await c.action(s.id, { 'os-resetState': { state: 'error' } });
    assert.equal(reset.status, 202);
    assert.equal((await c.api('GET', `/servers/${s.id}`)).body.server.status, 'ERROR');

    const events = await c.api('GET', `/servers/${s.id}/os-instance-actions`);
    const names = events.body.instanceActions.map((a: { action: string }) => a.action);
    for (const a of [
      'create',
      'stop',
      'start',
      'reboot',
      'pause',
      'suspend',
      'rescue',
      'lock',
      'reset_state',
    ])
      assert.ok(names.includes(a), `instance action ${a} recorded (${names.join(', ')})`);

    assert.equal((await c.api('DELETE', `/servers/${s.id}`)).status, 204);
    for (let i = 0; i < 100 && (await c.api('GET', `/servers/${s.id}`)).status !== 404; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal((await c.api('GET', `/servers/${s.id}`)).status, 404);
    assert.deepEqual(await c.allocations(s.id), {});
  });

  test('external events reach the compute: power-update (2.76) powers the server off', async () => {
    const s = await c.boot('ev');
    const r = await c.api(
      'POST',
      '/os-server-external-events',
      { events: [{ server_uuid: s.id, name: 'power-update', tag: 'POWER_OFF' }] },
      '2.76',
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.events[0].code, 200);
    await c.waitFor(s.id, (x) => x.status === 'SHUTOFF' && x['OS-EXT-STS:power_state'] === 4, 'SHUTOFF');
    await c.api('DELETE', `/servers/${s.id}`);
  });

  test('network events (network-changed, network-vif-deleted) are no instance actions, as upstream', async () => {
    const s = await c.boot('ev-net');
    const r = await c.api('POST', '/os-server-external-events', {
      events: [
        { server_uuid: s.id, name: 'network-changed' },
        { server_uuid: s.id, name: 'network-vif-deleted', tag: 'p1' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const actions = await c.api('GET', `/servers/${s.id}/os-instance-actions`);
    assert.deepEqual(
      actions.body.instanceActions.map((a: { action: string }) => a.action),
      ['create'],
    );
    await c.api('DELETE', `/servers/${s.id}`);
  });

  test('NoValidHost: an ERROR server in cell0 with a fault and no allocation', async () => {
    // Within quota, but no host has the trait the flavor requires.
    const f = await c.api('POST', '/flavors', {
      flavor: { name: 'nohost', ram: 256, vcpus: 1, disk: 1, id: 'huge' },
    });
    assert.equal(f.status, 200, JSON.stringify(f.body));
    const es = await c.api('POST', '/flavors/huge/os-extra_specs', {
      extra_specs: { 'trait:CUSTOM_NO_SUCH_HOST': 'required' },
    });
    assert.equal(es.status, 200, JSON.stringify(es.body));
    const images = await c.image('GET', '/v2/images');
    const r = await c.api('POST', '/servers', {
      server: { name: 'too-big', flavorRef: 'huge', imageRef: images.body.images[0].id, networks: 'none' },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const s = await c.waitFor(r.body.server.id, (x) => x.status === 'ERROR', 'ERROR');
    assert.equal(s.fault.code, 500);
    assert.match(s.fault.message, /No valid host was found/);
    assert.equal(s['OS-EXT-SRV-ATTR:host'], null);
    const api = c.aio.apiDb as Database<ApiDb>;
    const m = await instanceMappings.getByInstanceUuid(api, s.id);
    assert.equal(m.cell_mapping?.uuid, cellMappings.CELL0_UUID);
    assert.deepEqual(await c.allocations(s.id), {});
    assert.equal((await c.api('DELETE', `/servers/${s.id}`)).status, 204);
    assert.equal((await c.api('GET', `/servers/${s.id}`)).status, 404);
  });

  test('anti-affinity over 2 hosts: two members on different hosts, a third is refused', async () => {
    const g = await c.api(
      'POST',
      '/os-server-groups',
      { server_group: { name: 'aa', policy: 'anti-affinity' } },
      '2.64',
    );
    assert.equal(g.status, 200, JSON.stringify(g.body));
    const hints = { 'os:scheduler_hints': { group: g.body.server_group.id } };
    const images = await c.image('GET', '/v2/images');
    const boot = async (name: string) => {
      const r = await c.api('POST', '/servers', {
        server: { name, flavorRef: '1', imageRef: images.body.images[0].id, networks: 'none' },
        ...hints,
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      return c.waitFor(r.body.server.id, (x) => x.status === 'ACTIVE' || x.status === 'ERROR', 'settled');
    };
    const a = await boot('aa-1');
    const b = await boot('aa-2');
    assert.equal(a.status, 'ACTIVE');
    assert.equal(b.status, 'ACTIVE');
    assert.notEqual(a['OS-EXT-SRV-ATTR:host'], b['OS-EXT-SRV-ATTR:host']);
    const third = await boot('aa-3');
    assert.equal(third.status, 'ERROR');
    assert.match(third.fault.message, /No valid host was found/);
    // A forced host skips the filters; the compute's late group check still refuses it.
    const forced = await c.api('POST', '/servers', {
      server: {
        name: 'aa-forced',
        flavorRef: '1',
        imageRef: images.body.images[0].id,
        networks: 'none',
        availability_zone: `nova:${a['OS-EXT-SRV-ATTR:host']}`,
      },
      ...hints,
    });
    assert.equal(forced.status, 202, JSON.stringify(forced.body));
    const late = await c.waitFor(
      forced.body.server.id,
      (x) => x.status === 'ERROR' || x.status === 'ACTIVE',
      'settled',
    );
    assert.equal(late.status, 'ERROR');
    assert.match(
      late.fault.message,
      /Anti-affinity instance group policy was violated|Exceeded maximum number of retries/,
    );
    assert.deepEqual(await c.allocations(late.id), {});
    for (const s of [a, b, third, late]) await c.api('DELETE', `/servers/${s.id}`);
  });

  test('20 concurrent creates never exceed the instances quota', async () => {
    const project = await adminProject(c);
    const used = (await c.api('GET', '/limits')).body.limits.absolute.totalInstancesUsed as number;
    const cap = used + 5;
    const quota = await c.api('PUT', `/os-quota-sets/${project}`, { quota_set: { instances: cap } });
    assert.equal(quota.status, 200, JSON.stringify(quota.body));
    const images = await c.image('GET', '/v2/images');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.api('POST', '/servers', {
          server: { name: `q-${i}`, flavorRef: '1', imageRef: images.body.images[0].id, networks: 'none' },
        }),
      ),
    );
    const accepted = results.filter((r) => r.status === 202);
    const refused = results.filter((r) => r.status === 403);
    assert.equal(accepted.length + refused.length, 20);
    assert.ok(accepted.length <= 5, `${accepted.length} accepted with room for 5`);
    assert.ok(accepted.length >= 1);
    for (const r of refused) assert.match(r.body.forbidden.message, /Quota exceeded for instances/);
    const after = (await c.api('GET', '/limits')).body.limits.absolute.totalInstancesUsed as number;
    assert.ok(after <= cap, `${after} instances used, quota ${cap}`);
    for (const r of accepted) {
      await c.waitFor(r.body.server.id, (x) => x.status === 'ACTIVE', 'ACTIVE');
      await c.api('DELETE', `/servers/${r.body.server.id}`);
    }
  });
});

/** The admin token's project id: the tenant_id of a server it boots (deleted again, and waited for). */
async function adminProject(c: MoveCloud): Promise<string> {
  const s = await c.boot('who-am-i');
  await c.api('DELETE', `/servers/${s.id}`);
  for (let i = 0; i < 200 && (await c.api('GET', `/servers/${s.id}`)).status !== 404; i++)
    await new Promise((r) => setTimeout(r, 50));
  return s.tenant_id;
}
