// kill -9 in the middle of a boot storm, seed 003's topology over rabbit:// and MariaDB: the
// conductor dies while scheduling 30 servers, then a compute dies while building 20; each is
// started again. Nothing is stranded: every server ends ACTIVE, or ERROR with a fault, and
// placement holds allocations for exactly the ACTIVE servers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { acquireShared, type Release } from '../../src/rpc/testing/broker-lock.ts';
import { flavorAndImage } from './multi-process-flow.ts';
import { type Seed003, startSeed003 } from './seed003.ts';

const mysql = process.env.NOVA_TS_TEST_MYSQL_URL;
const rabbit = process.env.NOVA_TS_TEST_RABBIT_URL;
const skip =
  !mysql || !rabbit ? 'needs MariaDB and RabbitMQ (npm test finds them; CI=true requires them)' : false;
const H = {
  'x-auth-token': 'admin:admin',
  'content-type': 'application/json',
  'openstack-api-version': 'compute 2.90',
};

// biome-ignore lint/suspicious/noExplicitAny: server JSON
type Server = any;

describe('kill -9 during a boot storm (seed 003 over rabbit:// and MariaDB)', { skip }, () => {
  let s: Seed003;
  let release: Release = () => {};
  let imageRef = '';
  before(async () => {
    release = await acquireShared();
    s = await startSeed003(mysql ?? '', rabbit ?? '', 2);
    imageRef = await flavorAndImage(s.api, s.image);
    const q = await fetch(`${s.api}/v2.1/os-quota-sets/admin`, {
      method: 'PUT',
      headers: H,
      body: JSON.stringify({ quota_set: { instances: 200, cores: 400, ram: 400_000 } }),
    });
    assert.equal(q.status, 200, await q.text());
  });
  after(async () => {
    await s?.teardown();
    release();
  });

  const list = async (): Promise<Server[]> =>
    ((await (await fetch(`${s.api}/v2.1/servers/detail`, { headers: H })).json()) as { servers: Server[] })
      .servers;

  async function storm(prefix: string, batches: number, size: number): Promise<void> {
    for (let i = 0; i < batches; i++) {
      const r = await fetch(`${s.api}/v2.1/servers`, {
        method: 'POST',
        headers: H,
        body: JSON.stringify({
          server: {
            name: `${prefix}-${i}`,
            flavorRef: 'mp1',
            imageRef,
            networks: 'none',
            min_count: size,
            max_count: size,
          },
        }),
      });
      assert.equal(r.status, 202, await r.text());
    }
  }

  async function settled(prefix: string, n: number, timeoutMs: number): Promise<Server[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const mine = (await list()).filter((x) => x.name.startsWith(prefix));
      if (mine.length === n && mine.every((x) => x.status === 'ACTIVE' || x.status === 'ERROR')) return mine;
      if (Date.now() > end) {
        const counts: Record<string, number> = {};
        for (const x of mine) counts[x.status] = (counts[x.status] ?? 0) + 1;
        throw new Error(
          `${prefix}: not settled after ${timeoutMs} ms: ${JSON.stringify(counts)} of ${mine.length}/${n}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function assertNothingStranded(
    servers: Server[],
    t?: { diagnostic(m: string): void },
  ): Promise<void> {
    const counts: Record<string, number> = {};
    for (const x of servers) counts[x.status] = (counts[x.status] ?? 0) + 1;
    t?.diagnostic(`settled: ${JSON.stringify(counts)}`);
    for (const x of servers) {
      const alloc = (await (await fetch(`${s.placement}/allocations/${x.id}`, { headers: H })).json()) as {
        allocations: object;
      };
      const held = Object.keys(alloc.allocations).length;
      if (x.status === 'ACTIVE') assert.equal(held, 1, `ACTIVE ${x.id} holds its allocation`);
      else {
        assert.ok(x.fault?.message, `ERROR ${x.id} has a fault`);
        assert.equal(held, 0, `ERROR ${x.id} holds no allocation`);
      }
    }
  }

  test('the conductor killed while scheduling 30 servers', async (t) => {
    await storm('c9', 3, 10);
    await new Promise((r) => setTimeout(r, 150));
    await s.daemons.get('conductor')?.stop('SIGKILL');
    await s.start('conductor');
    const servers = await settled('c9', 30, 90_000);
    await assertNothingStranded(servers, t);
    assert.ok(servers.filter((x) => x.status === 'ACTIVE').length >= 1);
  });

  test('a compute killed while building 20 servers', async (t) => {
    await storm('k9', 2, 10);
    await new Promise((r) => setTimeout(r, 300));
    await s.daemons.get('compute1')?.stop('SIGKILL');
    await s.start('compute1');
    const servers = await settled('k9', 20, 90_000);
    await assertNothingStranded(servers, t);
  });
});
