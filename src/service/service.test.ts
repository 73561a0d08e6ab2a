// A daemon's services row: registered at start, heartbeats every report_interval, counted up while
// heartbeats are recent and down after service_down_time, up again when heartbeats resume — on
// every database engine. The clock is a ManualClock, so nothing waits for real minutes.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { ManualClock } from '../common/clock.ts';
import { silentLogger } from '../common/log.ts';
import { ConductorClient, conductorServiceStore } from '../conductor/client.ts';
import { conductorEndpoint } from '../conductor/service.ts';
import type { Database } from '../db/index.ts';
import { testDialects } from '../db/test-dialects.ts';
import * as services from '../objects/service.ts';
import { createTransport, type Transport } from '../rpc/index.ts';
import { dbServiceStore } from './db-service-store.ts';
import { NovaService } from './service.ts';

const SERVICE_DOWN_TIME = 60;

async function until(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A nova-conductor serving the given cell database. */
function conductorService(transport: Transport, db: Database, clock: ManualClock): NovaService {
  return new NovaService({
    binary: 'nova-conductor',
    topic: 'conductor',
    host: 'ctl1',
    transport,
    store: dbServiceStore(db, clock),
    endpoints: [conductorEndpoint({ cellDb: db, clock })],
    reportIntervalMs: 1000,
    log: silentLogger(),
  });
}

for (const d of testDialects()) {
  describe(`${d.name}: services and heartbeats`, () => {
    after(() => d.cleanup());

    test('a service is up while it heartbeats, down after service_down_time, up again after', async () => {
      const db = await d.open(['cell']);
      const clock = new ManualClock();
      const transport = await createTransport('memory://', { log: silentLogger() });
      const svc = new NovaService({
        binary: 'nova-scheduler',
        topic: 'scheduler',
        host: 'ctl1',
        transport,
        store: dbServiceStore(db, clock),
        endpoints: [],
        reportIntervalMs: 20,
        log: silentLogger(),
      });
      await svc.start();
      const row = async () => (await services.getByHostAndBinary(db, 'ctl1', 'nova-scheduler'))!;
      await until('two heartbeats', async () => (await row()).report_count >= 2);
      assert.equal((await row()).topic, 'scheduler');
      assert.equal(services.isServiceUp(await row(), clock.now(), SERVICE_DOWN_TIME), true);

      await svc.stop();
      clock.advance((SERVICE_DOWN_TIME + 1) * 1000);
      assert.equal(
        services.isServiceUp(await row(), clock.now(), SERVICE_DOWN_TIME),
        false,
        'down without heartbeats',
      );

      const count = (await row()).report_count;
      const again = new NovaService({
        binary: 'nova-scheduler',
        topic: 'scheduler',
        host: 'ctl1',
        transport,
        store: dbServiceStore(db, clock),
        endpoints: [],
        reportIntervalMs: 20,
        log: silentLogger(),
      });
      await again.start();
      await until('a new heartbeat', async () => (await row()).report_count > count);
      assert.equal(services.isServiceUp(await row(), clock.now(), SERVICE_DOWN_TIME), true, 'up again');
      assert.equal(
        (await services.list(db, { binary: 'nova-scheduler' })).length,
        1,
        'the same row is reused',
      );
      await again.stop();
      await transport.close();
    });
  });
}

describe('computes register through the conductor', () => {
  const [sqlite] = testDialects();
  let transport: Transport | undefined;
  after(async () => {
    await transport?.close();
    await sqlite.cleanup();
  });

  test('nova-compute gets its services row and compute node without database access', async () => {
    const db = await sqlite.open(['cell']);
    const clock = new ManualClock();
    transport = await createTransport('memory://', { log: silentLogger() });
    const conductor = conductorService(transport, db, clock);
    await conductor.start();
    const client = new ConductorClient(transport);
    const compute = new NovaService({
      binary: 'nova-compute',
      topic: 'compute',
      host: 'cmp1',
      transport,
      store: conductorServiceStore(client, silentLogger()),
      endpoints: [],
      reportIntervalMs: 20,
      log: silentLogger(),
    });
    await compute.start();
    await until(
      'compute heartbeats',
      async () => ((await services.findByHostAndBinary(db, 'cmp1', 'nova-compute'))?.report_count ?? 0) >= 2,
    );
    const node = await client.computeNodeUpdate({
      host: 'cmp1',
      hypervisor_hostname: 'cmp1',
      hypervisor_type: 'QEMU',
      hypervisor_version: 1,
      vcpus: 2,
      memory_mb: 2048,
      local_gb: 20,
      vcpus_used: 0,
      memory_mb_used: 512,
      local_gb_used: 0,
      cpu_info: '{}',
    });
    assert.ok(node.uuid);
    const pong = await transport.call(
      { request_id: 'req-1', roles: [], is_admin: true },
      { topic: 'compute', server: 'cmp1', namespace: 'baseapi', version: '1.0' },
      'ping',
      { arg: 'x' },
    );
    assert.deepEqual(pong, { binary: 'nova-compute', host: 'cmp1', arg: 'x' });
    await compute.stop();
    await conductor.stop();
  });
});

describe('a compute started before its conductor', () => {
  const [sqlite] = testDialects();
  after(() => sqlite.cleanup());

  test('warns that it waits for nova-conductor, then registers once the conductor starts', async () => {
    const db = await sqlite.open(['cell']);
    const clock = new ManualClock();
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
    const transport = await createTransport('memory://', { log: silentLogger() });
    const compute = new NovaService({
      binary: 'nova-compute',
      topic: 'compute',
      host: 'cmp2',
      transport,
      store: conductorServiceStore(new ConductorClient(transport), log, 50),
      endpoints: [],
      reportIntervalMs: 20,
      log: silentLogger(),
    });
    const started = compute.start();
    await until('a waiting warning', async () => warnings.length > 0);
    assert.match(warnings[0], /Timed out waiting for nova-conductor/);
    const conductor = conductorService(transport, db, clock);
    await conductor.start();
    await started;
    assert.ok(await services.findByHostAndBinary(db, 'cmp2', 'nova-compute'));
    await compute.stop();
    await conductor.stop();
    await transport.close();
  });
});
