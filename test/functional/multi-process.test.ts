// Seed 003's deployment on loopback: every role its own OS process over rabbit:// and MariaDB.
// The operator's nova-manage sequence, then nova-conductor, nova-scheduler, nova-api and a
// nova-compute whose nova.conf has no database (it reports through the conductor), discover_hosts,
// service list, and SIGTERM stopping each cleanly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createDatabaseIfMissing, dropDatabaseIfExists, withDatabaseName } from '../../src/db/index.ts';
import { acquireShared, type Release } from '../../src/rpc/testing/broker-lock.ts';
import { type DaemonProcess, startDaemon } from './daemon-process.ts';
import { runCli } from './run-cli.ts';

const mysql = process.env.NOVA_TS_TEST_MYSQL_URL;
const rabbit = process.env.NOVA_TS_TEST_RABBIT_URL;
const skip =
  !mysql || !rabbit ? 'needs MariaDB and RabbitMQ (npm test finds them; CI=true requires them)' : false;

describe('separate daemons over rabbit:// and MariaDB (seed 003)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-mp-'));
  const tag = randomBytes(4).toString('hex');
  const urls = ['api', 'cell', 'cell_cell0'].map((n) =>
    withDatabaseName(mysql ?? 'sqlite://', `novats_mp_${tag}_${n}`),
  );
  const [apiUrl, cellUrl] = urls;
  const daemons: DaemonProcess[] = [];
  // The RPC broker-restart test restarts RabbitMQ; hold the shared lock so it waits for us.
  let release: Release = () => {};
  after(async () => {
    release();
    for (const d of daemons) await d.stop('SIGKILL').catch(() => {});
    for (const u of urls) await dropDatabaseIfExists(u).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  test('nova-manage, four daemons, discover_hosts, service list, clean stop', async () => {
    release = await acquireShared();
    for (const u of urls) await createDatabaseIfMissing(u);
    const common = [
      '[DEFAULT]',
      `transport_url = ${rabbit}`,
      `control_exchange = nova-mp-${tag}`,
      'report_interval = 1',
      'periodic_interval = 1',
      'osapi_compute_listen = 127.0.0.1',
      'osapi_compute_listen_port = 0',
      `state_path = ${dir}`,
    ];
    const controller = join(dir, 'nova.conf');
    writeFileSync(
      controller,
      [
        ...common,
        'host = controller',
        '[api]',
        'auth_strategy = noauth2',
        '[api_database]',
        `connection = ${apiUrl}`,
        '[database]',
        `connection = ${cellUrl}`,
        '',
      ].join('\n'),
    );
    // As seed 003 does on the compute node: the same file with the database sections removed.
    const computeConf = join(dir, 'nova-compute.conf');
    writeFileSync(computeConf, [...common, 'host = compute1', ''].join('\n'));
    const manage = (...a: string[]) => runCli('nova-manage', ['--config-file', controller, ...a]);

    for (const step of [
      ['api_db', 'sync'],
      ['cell_v2', 'map_cell0'],
      ['cell_v2', 'create_cell', '--name=cell1', '--verbose'],
      ['db', 'sync'],
    ]) {
      const r = await manage(...step);
      assert.equal(r.code, 0, `${step.join(' ')}: ${r.stdout}${r.stderr}`);
    }

    const conductor = startDaemon('nova-conductor', ['--config-file', controller]);
    const scheduler = startDaemon('nova-scheduler', ['--config-file', controller]);
    const api = startDaemon('nova-api', ['--config-file', controller]);
    const compute = startDaemon('nova-compute', ['--config-file', computeConf]);
    daemons.push(compute, api, scheduler, conductor);
    await conductor.waitFor(/nova-conductor started/);
    await scheduler.waitFor(/nova-scheduler started/);
    await compute.waitFor(/nova-compute started/);
    const apiUrlSeen = (await api.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/))[1];
    const res = await fetch(`${apiUrlSeen}/v2.1/`);
    assert.equal(res.status, 200);
    // The Compute API reads its API database on MariaDB (noauth2 token: admin of project admin).
    const flavors = await fetch(`${apiUrlSeen}/v2.1/flavors`, { headers: { 'x-auth-token': 'admin:admin' } });
    assert.equal(flavors.status, 200, await flavors.clone().text());
    assert.deepEqual(await flavors.json(), { flavors: [] });

    // The compute's node reaches cell1 through the conductor; then discover_hosts maps it.
    let r = await manage('cell_v2', 'discover_hosts', '--verbose');
    for (let i = 0; i < 50 && !/Creating host mapping for compute host 'compute1'/.test(r.stdout); i++) {
      await new Promise((res2) => setTimeout(res2, 200));
      r = await manage('cell_v2', 'discover_hosts', '--verbose');
    }
    assert.match(r.stdout, /Creating host mapping for compute host 'compute1'/);

    r = await manage('service', 'list');
    assert.match(r.stdout, /^nova-conductor\s+controller\s+internal\s+enabled\s+:-\)/m);
    assert.match(r.stdout, /^nova-scheduler\s+controller\s+internal\s+enabled\s+:-\)/m);
    assert.match(r.stdout, /^nova-compute\s+compute1\s+nova\s+enabled\s+:-\)/m);

    for (const d of [compute, api, scheduler, conductor])
      assert.equal(await d.stop('SIGTERM'), 0, d.output());
  });
});
