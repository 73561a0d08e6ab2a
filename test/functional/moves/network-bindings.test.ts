// A server's ports follow it: bound to the host it is built on, rebound to the destination of a
// cold migration, a live migration and an unshelve, unbound while shelved offloaded, and deleted
// with it. In-process all-in-one with three fake hosts and the embedded network service.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type MoveCloud, startMoveCloud } from './cloud.ts';

describe('port bindings follow moves', () => {
  let c: MoveCloud;
  let network: string;
  before(async () => {
    c = await startMoveCloud({ fakeHosts: 3 });
    network = c.aio.roles.find((r) => r.role.startsWith('network'))?.endpoint ?? '';
  });
  after(() => c?.stop());

  // biome-ignore lint/suspicious/noExplicitAny: test JSON
  const neutron = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${network}${path}`, {
      method,
      headers: { 'x-auth-token': c.token, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return res.status === 204 ? undefined : await res.json();
  };
  /** Shelves the server and offloads it (at once or on request, depending on shelved_offload_time). */
  const shelveOffloaded = async (id: string) => {
    assert.equal((await c.action(id, { shelve: null })).status, 202);
    const shelved = await c.waitFor(
      id,
      (x) => x.status.startsWith('SHELVED') && x['OS-EXT-STS:task_state'] === null,
      'SHELVED',
    );
    if (shelved.status === 'SHELVED') {
      assert.equal((await c.action(id, { shelveOffload: null })).status, 202);
      await c.waitFor(id, (x) => x.status === 'SHELVED_OFFLOADED', 'SHELVED_OFFLOADED');
    }
  };
  const binding = async (server: string) => {
    const { ports } = await neutron('GET', `/ports?device_id=${server}`);
    assert.equal(ports.length, 1);
    return ports[0]['binding:host_id'] as string;
  };

  test('build, cold migrate, live migrate, shelve offload, unshelve, delete', async () => {
    const net = (await neutron('POST', '/networks', { network: { name: 'mv-net' } })).network.id;
    await neutron('POST', '/subnets', { subnet: { network_id: net, ip_version: 4, cidr: '10.30.0.0/24' } });
    const s = await c.boot('nb1', { networks: [{ uuid: net }] });
    const src = s['OS-EXT-SRV-ATTR:host'];
    assert.deepEqual(Object.keys(s.addresses), ['mv-net']);
    assert.equal(await binding(s.id), src);

    assert.equal((await c.action(s.id, { migrate: null })).status, 202);
    const v = await c.waitFor(s.id, (x) => x.status === 'VERIFY_RESIZE', 'VERIFY_RESIZE');
    const dst = v['OS-EXT-SRV-ATTR:host'];
    assert.notEqual(dst, src);
    assert.equal(await binding(s.id), dst);
    assert.equal((await c.action(s.id, { confirmResize: null })).status, 204);
    await c.waitFor(s.id, (x) => x.status === 'ACTIVE', 'ACTIVE');

    assert.equal(
      (await c.action(s.id, { 'os-migrateLive': { host: src, block_migration: 'auto' } }, '2.30')).status,
      202,
    );
    await c.waitFor(
      s.id,
      (x) => x.status === 'ACTIVE' && x['OS-EXT-SRV-ATTR:host'] === src,
      'ACTIVE on the source',
    );
    assert.equal(await binding(s.id), src);

    await shelveOffloaded(s.id);
    assert.equal(await binding(s.id), '');
    const target = c.hosts.find((h) => h !== src) as string;
    assert.equal((await c.action(s.id, { unshelve: { host: target } }, '2.91')).status, 202);
    const back = await c.waitFor(s.id, (x) => x.status === 'ACTIVE', 'ACTIVE');
    assert.equal(back['OS-EXT-SRV-ATTR:host'], target);
    assert.equal(await binding(s.id), target);
    assert.deepEqual(Object.keys(back.addresses), ['mv-net']);

    assert.equal((await c.api('DELETE', `/servers/${s.id}`)).status, 204);
    await c
      .waitFor(s.id, (x) => x === undefined || x.status === 'DELETED', 'deleted', 10_000)
      .catch(() => {});
    for (let i = 0; i < 50; i++) {
      if ((await neutron('GET', `/ports?device_id=${s.id}`)).ports.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await neutron('GET', `/ports?device_id=${s.id}`)).ports.length, 0);
  });
  test('a server deleted while shelved offloaded (no host) lets its ports go', async () => {
    const net = (await neutron('POST', '/networks', { network: { name: 'off-net' } })).network.id;
    await neutron('POST', '/subnets', { subnet: { network_id: net, ip_version: 4, cidr: '10.31.0.0/24' } });
    const s = await c.boot('nb2', { networks: [{ uuid: net }] });
    await shelveOffloaded(s.id);
    assert.equal((await neutron('GET', `/ports?device_id=${s.id}`)).ports.length, 1);
    assert.equal((await c.api('DELETE', `/servers/${s.id}`)).status, 204);
    assert.equal((await neutron('GET', `/ports?device_id=${s.id}`)).ports.length, 0);
    assert.equal((await neutron('DELETE', `/networks/${net}`))?.NeutronError, undefined);
  });
});
