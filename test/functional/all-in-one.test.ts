// `nova-ts all-in-one --state-path DIR` as a new user runs it: ready line, everything under DIR,
// every API answering on 127.0.0.1, credentials printed once with clouds.yaml/openrc written, the
// real openstack CLI working with them, nova-manage seeing cells, hosts and services, SIGTERM
// draining to exit 0, and a second start on the same DIR.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startDaemon } from './daemon-process.ts';
import { allInOnePortsConf } from './free-ports.ts';
import { runCli } from './run-cli.ts';

describe('nova-ts all-in-one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'novats-aio-'));
  const state = join(dir, 'state');
  const extra = join(dir, 'ports.conf');
  after(() => rmSync(dir, { recursive: true, force: true }));
  const hasOpenstack = spawnSync('openstack', ['--version']).status === 0;

  const start = () =>
    startDaemon('nova-ts', [
      'all-in-one',
      '--state-path',
      state,
      '--compute-driver',
      'fake',
      '--config-file',
      extra,
    ]);

  test('starts, answers, is managed by nova-manage, and stops cleanly', async () => {
    // Free ports, so tests never collide with a running cloud.
    writeFileSync(extra, await allInOnePortsConf('aio-test-host'));
    const aio = start();
    try {
      await aio.waitFor(/^nova-ts ready$/m);
      const api = (await aio.waitFor(/nova-api \(osapi_compute\)\s+(http:\/\/127\.0\.0\.1:\d+)\/v2\.1/))[1];

      for (const f of [
        'nova.conf',
        'nova_api.sqlite',
        'nova.sqlite',
        'nova_cell0.sqlite',
        'identity.sqlite',
        'image.sqlite',
        'placement.sqlite',
        'fernet-keys/0',
        'clouds.yaml',
        'openrc',
        'log/nova-ts.log',
      ]) {
        assert.ok(existsSync(join(state, f)), `${f} under the state path`);
      }
      assert.equal(statSync(join(state, 'clouds.yaml')).mode & 0o777, 0o600, 'clouds.yaml holds a password');
      const password = (await aio.waitFor(/OS_PASSWORD=(\S+)/))[1];
      assert.ok(password.length >= 16);
      assert.match(aio.output(), /default flavors created: 1, 2, 3, 4, 5, 42/);
      assert.match(aio.output(), /default image nova-ts-tiny: /);

      const res = await fetch(`${api}/v2.1/`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('x-openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
      const doc = (await res.json()) as { version: { id: string; version: string; min_version: string } };
      assert.deepEqual(
        [doc.version.id, doc.version.version, doc.version.min_version],
        ['v2.1', '2.104', '2.1'],
      );

      if (hasOpenstack) {
        const osEnv = {
          ...process.env,
          OS_CLIENT_CONFIG_FILE: join(state, 'clouds.yaml'),
          OS_CLOUD: 'nova-ts',
        };
        const os = (...a: string[]) => spawnSync('openstack', a, { env: osEnv, encoding: 'utf8' });
        const token = os('token', 'issue', '-f', 'value', '-c', 'id');
        assert.equal(token.status, 0, token.stderr);
        const flavors = os('flavor', 'list', '-f', 'value', '-c', 'Name');
        assert.deepEqual(flavors.stdout.trim().split('\n').sort(), [
          'm1.large',
          'm1.medium',
          'm1.nano',
          'm1.small',
          'm1.tiny',
          'm1.xlarge',
        ]);
        const images = os('image', 'list', '-f', 'value', '-c', 'Name', '-c', 'Status');
        assert.match(images.stdout, /^nova-ts-tiny active$/m);
        const services = os('compute', 'service', 'list', '-f', 'value', '-c', 'Binary', '-c', 'State');
        assert.match(services.stdout, /^nova-compute up$/m);
      }

      const env = { NOVA_TS_STATE_PATH: state };
      let r = await runCli('nova-manage', ['cell_v2', 'list_cells'], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\| cell0 \| 00000000-0000-0000-0000-000000000000 \|/);
      assert.match(r.stdout, /\| cell1 \| [0-9a-f-]{36} \|\s+memory:\/\/\s+\|/);
      r = await runCli('nova-manage', ['cell_v2', 'list_hosts'], { env });
      assert.match(r.stdout, /\|\s+cell1\s+\| [0-9a-f-]{36} \| aio-test-host \|/);
      r = await runCli('nova-manage', ['service', 'list'], { env });
      for (const binary of ['nova-conductor', 'nova-scheduler', 'nova-compute']) {
        assert.match(r.stdout, new RegExp(`^${binary}\\s+aio-test-host\\s+\\S+\\s+enabled\\s+:-\\)`, 'm'));
      }
    } finally {
      assert.equal(await aio.stop('SIGTERM'), 0, aio.output());
    }
  });

  test('a second start on the same state path reuses it', async () => {
    const aio = start();
    try {
      await aio.waitFor(/^nova-ts ready$/m);
      assert.doesNotMatch(aio.output(), /OS_PASSWORD=/, 'credentials are printed on the first start only');
      const r = await runCli('nova-manage', ['cell_v2', 'list_cells'], {
        env: { NOVA_TS_STATE_PATH: state },
      });
      assert.equal(r.stdout.match(/\| cell1 \|/g)?.length, 1, 'no second cell1');
    } finally {
      assert.equal(await aio.stop('SIGTERM'), 0);
    }
  });

  test('a bad database URL is one clear line and a non-zero exit', async () => {
    const bad = join(dir, 'bad.conf');
    writeFileSync(bad, '[database]\nconnection = mysql+foo://nova:pw@127.0.0.1/nova\n');
    const r = await runCli('nova-ts', [
      'all-in-one',
      '--state-path',
      join(dir, 'bad-state'),
      '--config-file',
      bad,
    ]);
    assert.notEqual(r.code, 0);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !/WARNING/.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /mysql\+foo:\/\/nova:\*\*\*@127\.0\.0\.1\/nova/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});
