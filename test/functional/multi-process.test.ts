// Seed 003's deployment on loopback: every role its own OS process over rabbit:// and MariaDB.
// The operator's nova-manage sequence, then placement, an image service, nova-conductor,
// nova-scheduler, nova-api and two nova-computes (fake driver) whose nova.conf has no database
// (they report through the conductor), discover_hosts, service list, a server booted, acted on and
// deleted through the API, and SIGTERM stopping each cleanly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createDatabaseIfMissing, dropDatabaseIfExists, withDatabaseName } from '../../src/db/index.ts';
import { acquireShared, type Release } from '../../src/rpc/testing/broker-lock.ts';
import { type DaemonProcess, startDaemon } from './daemon-process.ts';
import { freePorts } from './free-ports.ts';
import { bootActDelete } from './multi-process-flow.ts';
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
  const placementDbUrl = withDatabaseName(mysql ?? 'sqlite://', `novats_mp_${tag}_placement`);
  urls.push(placementDbUrl);
  const daemons: DaemonProcess[] = [];
  // The RPC broker-restart test restarts RabbitMQ; hold the shared lock so it waits for us.
  let release: Release = () => {};
  after(async () => {
    release();
    for (const d of daemons) await d.stop('SIGKILL').catch(() => {});
    for (const u of urls) await dropDatabaseIfExists(u).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  test('nova-manage, seven daemons, discover_hosts, service list, boot/act/delete, clean stop', async () => {
    release = await acquireShared();
    for (const u of urls) await createDatabaseIfMissing(u);
    const [placementPort, imagePort] = await freePorts(2);
    const placementUrl = `http://127.0.0.1:${placementPort}`;
    const imageUrl = `http://127.0.0.1:${imagePort}`;
    const common = [
      '[DEFAULT]',
      `transport_url = ${rabbit}`,
      `control_exchange = nova-mp-${tag}`,
      'report_interval = 1',
      'periodic_interval = 1',
      'osapi_compute_listen = 127.0.0.1',
      'osapi_compute_listen_port = 0',
      'metadata_listen = 127.0.0.1',
      'metadata_listen_port = 0',
      `state_path = ${dir}`,
      'compute_driver = fake.FakeDriver',
      '[placement]',
      'auth_type = noauth',
      `endpoint_override = ${placementUrl}`,
      '[glance]',
      `api_servers = ${imageUrl}`,
    ];
    const controller = join(dir, 'nova.conf');
    writeFileSync(
      controller,
      [
        '[DEFAULT]',
        'host = controller',
        ...common.slice(1),
        '[api]',
        'auth_strategy = noauth2',
        '[api_database]',
        `connection = ${apiUrl}`,
        '[database]',
        `connection = ${cellUrl}`,
        '[placement_database]',
        `connection = ${placementDbUrl}`,
        '[placement_api]',
        'listen = 127.0.0.1',
        `port = ${placementPort}`,
        '[image]',
        'listen = 127.0.0.1',
        `port = ${imagePort}`,
        `connection = sqlite:///${dir}/image.sqlite`,
        '',
      ].join('\n'),
    );
    // As seed 003 does on the compute node: the same file with the database sections removed.
    const computeConf = join(dir, 'nova-compute.conf');
    writeFileSync(computeConf, ['[DEFAULT]', 'host = compute1', ...common.slice(1), ''].join('\n'));
    const compute2Conf = join(dir, 'nova-compute2.conf');
    writeFileSync(compute2Conf, ['[DEFAULT]', 'host = compute2', ...common.slice(1), ''].join('\n'));
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

    const placement = startDaemon('nova-ts', ['placement', '--config-file', controller]);
    const image = startDaemon('nova-ts', ['image', 'serve', '--config-file', controller]);
    daemons.push(placement, image);
    await placement.waitFor(/Placement API listening/);
    await image.waitFor(/listening/i);
    const conductor = startDaemon('nova-conductor', ['--config-file', controller]);
    const scheduler = startDaemon('nova-scheduler', ['--config-file', controller]);
    const api = startDaemon('nova-api', ['--config-file', controller]);
    const compute = startDaemon('nova-compute', ['--config-file', computeConf]);
    const compute2 = startDaemon('nova-compute', ['--config-file', compute2Conf]);
    daemons.push(compute, compute2, api, scheduler, conductor);
    await conductor.waitFor(/nova-conductor started/);
    await scheduler.waitFor(/nova-scheduler started/);
    await compute.waitFor(/nova-compute started/);
    await compute2.waitFor(/nova-compute started/);
    const apiUrlSeen = (await api.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/))[1];
    const res = await fetch(`${apiUrlSeen}/v2.1/`);
    assert.equal(res.status, 200);
    // The Compute API reads its API database on MariaDB (noauth2 token: admin of project admin).
    const flavors = await fetch(`${apiUrlSeen}/v2.1/flavors`, { headers: { 'x-auth-token': 'admin:admin' } });
    assert.equal(flavors.status, 200, await flavors.clone().text());
    assert.deepEqual(await flavors.json(), { flavors: [] });

    // The compute's node reaches cell1 through the conductor; then discover_hosts maps it.
    // Each compute's node reaches cell1 through the conductor; discover_hosts maps both.
    let mapped = '';
    for (let i = 0; i < 100 && !(/compute1/.test(mapped) && /compute2/.test(mapped)); i++) {
      const d = await manage('cell_v2', 'discover_hosts', '--verbose');
      assert.equal(d.code, 0, d.stderr);
      mapped += d.stdout;
      await new Promise((res2) => setTimeout(res2, 200));
    }
    assert.match(mapped, /Creating host mapping for compute host 'compute1'/);
    assert.match(mapped, /Creating host mapping for compute host 'compute2'/);

    const r = await manage('service', 'list');
    assert.match(r.stdout, /^nova-conductor\s+controller\s+internal\s+enabled\s+:-\)/m);
    assert.match(r.stdout, /^nova-scheduler\s+controller\s+internal\s+enabled\s+:-\)/m);
    assert.match(r.stdout, /^nova-compute\s+compute1\s+nova\s+enabled\s+:-\)/m);

    assert.match(r.stdout, /^nova-compute\s+compute2\s+nova\s+enabled\s+:-\)/m);

    await bootActDelete(apiUrlSeen, imageUrl, placementUrl);

    for (const d of [compute, compute2, api, scheduler, conductor, image, placement])
      assert.equal(await d.stop('SIGTERM'), 0, d.output());
  });
});
