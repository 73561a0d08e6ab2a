// Real guests in the install-guide topology: seed 003's separate daemons over rabbit:// and
// MariaDB with two nova-compute processes running the libvirt.LibvirtDriver name (QEMU, TCG), each
// with its own host name and instances_path. A tiny guest boots on one, live-migrates to the other
// process without stopping (its uptime counter goes on, no second boot), placement follows, and
// delete leaves no qemu behind.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Seed003, startSeed003, tinyGuestAndFlavor } from '../seed003.ts';
import { lastUptime, qemuArgsOf, qemuPidOf, qemuSkip, waitGone } from './support.ts';

const mysql = process.env.NOVA_TS_TEST_MYSQL_URL;
const rabbit = process.env.NOVA_TS_TEST_RABBIT_URL;
const skip = qemuSkip || (!mysql || !rabbit ? 'needs MariaDB and RabbitMQ' : false);
const H = { 'x-auth-token': 'admin:admin', 'content-type': 'application/json' };
const BANNER = /nova-ts tiny guest .* booted/;

describe('QEMU guests under separate nova-compute daemons (seed 003)', { skip, timeout: 600_000 }, () => {
  let s: Seed003;
  let id = '';
  const api = async (method: string, path: string, body?: unknown, mv = '2.30') => {
    const res = await fetch(`${s.api}/v2.1${path}`, {
      method,
      headers: { ...H, 'openstack-api-version': `compute ${mv}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: loose response bodies
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as any };
  };
  const server = async () => (await api('GET', `/servers/${id}`)).body.server;
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> => {
    for (const end = Date.now() + ms; ; await sleep(250)) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`never: ${what}; server ${JSON.stringify(await server())}`);
    }
  };
  const consoleOut = async () => {
    const r = await api('POST', `/servers/${id}/action`, { 'os-getConsoleOutput': {} });
    return r.status === 200 ? String(r.body.output) : '';
  };
  const providers = async () => {
    const res = await fetch(`${s.placement}/allocations/${id}`, {
      headers: { 'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.28' },
    });
    return Object.keys(((await res.json()) as { allocations: Record<string, unknown> }).allocations);
  };
  const providerOf = async (host: string) => {
    const r = await api('GET', '/os-hypervisors/detail', undefined, '2.53');
    return r.body.hypervisors.find((h: { service: { host: string } }) => h.service.host === host).id;
  };

  before(async () => {
    s = await startSeed003(mysql ?? '', rabbit ?? '', 2, {
      computeDriver: 'libvirt.LibvirtDriver',
      common: ['[libvirt]', 'virt_type = qemu'],
      computeConf: (host, dir) => ['[DEFAULT]', `instances_path = ${join(dir, host, 'instances')}`],
    });
  });
  after(async () => {
    if (id) await api('DELETE', `/servers/${id}`).catch(() => {});
    await s?.teardown();
  });

  test('boot on one compute process, live-migrate to the other: the guest keeps running', async () => {
    const imageId = await tinyGuestAndFlavor(s);
    const r = await api(
      'POST',
      '/servers',
      {
        server: { name: 'mp-real', imageRef: imageId, flavorRef: 'qn', networks: 'none' },
      },
      '2.37',
    );
    assert.equal(r.status, 202, JSON.stringify(r.body));
    id = r.body.server.id;
    const src = await until('ACTIVE', async () => {
      const v = await server();
      if (v.status === 'ERROR') throw new Error(`ERROR: ${JSON.stringify(v.fault)}`);
      return v.status === 'ACTIVE' ? (v['OS-EXT-SRV-ATTR:host'] as string) : undefined;
    });
    const dest = src === 'compute1' ? 'compute2' : 'compute1';
    const pid = qemuPidOf(id) as number;
    assert.ok(pid, 'a qemu-system process runs the guest');
    assert.match(
      qemuArgsOf(id).join(' '),
      new RegExp(`/${src}/instances/${id}/`),
      'from its compute’s instances_path',
    );
    await until(
      'uptime on the console',
      async () => (/uptime/.test(await consoleOut()) ? true : undefined),
      60_000,
    );
    const upBefore = lastUptime(await consoleOut());

    const m = await api('POST', `/servers/${id}/action`, {
      'os-migrateLive': { host: dest, block_migration: 'auto' },
    });
    assert.equal(m.status, 202, JSON.stringify(m.body));
    await until('moved', async () => {
      const v = await server();
      return v['OS-EXT-SRV-ATTR:host'] === dest && v['OS-EXT-STS:task_state'] === null ? v : undefined;
    });
    const v = await server();
    assert.equal(v.status, 'ACTIVE');
    assert.equal(v['OS-EXT-STS:power_state'], 1);
    assert.ok(await waitGone(pid), 'the source qemu is gone');
    assert.match(
      qemuArgsOf(id).join(' '),
      new RegExp(`/${dest}/instances/${id}/`),
      'runs from the destination',
    );
    assert.equal(existsSync(join(s.dir, src, 'instances', id)), false, 'the source’s files are gone');
    const mark = (await consoleOut()).length;
    const out = await until(
      'uptime after the move',
      async () => {
        const o = await consoleOut();
        return /uptime/.test(o.slice(mark)) ? o : undefined;
      },
      30_000,
    );
    assert.doesNotMatch(out.slice(mark), BANNER, 'not rebooted');
    assert.ok(lastUptime(out) > upBefore, 'the uptime counter goes on');
    assert.deepEqual(await providers(), [await providerOf(dest)], 'allocations on the destination');

    const newPid = qemuPidOf(id) as number;
    assert.equal((await api('DELETE', `/servers/${id}`)).status, 204);
    await until('deleted', async () =>
      (await api('GET', `/servers/${id}`)).status === 404 ? true : undefined,
    );
    id = '';
    assert.ok(await waitGone(newPid), 'no qemu left');
  });
});
