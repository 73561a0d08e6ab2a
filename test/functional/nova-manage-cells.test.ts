// nova-manage as seed 003 runs it, on a fresh database of every engine: api_db sync, map_cell0,
// create_cell --name=cell1 --verbose, db sync, list_cells, discover_hosts --verbose, service list.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  connectDatabase,
  createDatabaseIfMissing,
  dropDatabaseIfExists,
  withDatabaseName,
} from '../../src/db/index.ts';
import { testDialects } from '../../src/db/test-dialects.ts';
import * as computeNodes from '../../src/objects/compute-node.ts';
import * as services from '../../src/objects/service.ts';
import { runCli } from './run-cli.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const d of testDialects().filter((x) => x.shared)) {
  describe(`${d.name}: nova-manage cell_v2 on a fresh database`, () => {
    let dir: string;
    let conf: string;
    let cellUrl: string;
    let cell0Url: string;
    const manage = (...args: string[]) => runCli('nova-manage', ['--config-file', conf, ...args]);

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'novats-manage-'));
      const apiUrl = await d.newUrl();
      cellUrl = await d.newUrl();
      cell0Url = withDatabaseName(cellUrl, (n) => `${n}_cell0`);
      await createDatabaseIfMissing(cell0Url);
      conf = join(dir, 'nova.conf');
      writeFileSync(
        conf,
        [
          '[DEFAULT]',
          'transport_url = rabbit://openstack:secret@127.0.0.1:5672/',
          '[api_database]',
          `connection = ${apiUrl}`,
          '[database]',
          `connection = ${cellUrl}`,
          '',
        ].join('\n'),
      );
    });
    after(async () => {
      await dropDatabaseIfExists(cell0Url).catch(() => {});
      await d.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the seed 003 sequence', async () => {
      let r = await manage('api_db', 'sync');
      assert.equal(r.code, 0, r.stderr + r.stdout);
      r = await manage('api_db', 'version');
      assert.match(r.stdout.trim(), /^\d{4}_/);

      r = await manage('cell_v2', 'map_cell0');
      assert.equal(r.code, 0, r.stderr + r.stdout);
      r = await manage('cell_v2', 'map_cell0');
      assert.equal(r.code, 0);
      assert.equal(r.stdout.trim(), 'Cell0 is already setup');

      r = await manage('cell_v2', 'create_cell', '--name=cell1', '--verbose');
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0], /--transport-url not provided in the command line/);
      const cell1 = lines.at(-1)!;
      assert.match(cell1, UUID);

      r = await manage('cell_v2', 'create_cell', '--name=again');
      assert.equal(r.code, 2, 'same transport/database as cell1');
      assert.match(r.stdout, /already exists for another cell with uuid/);

      r = await manage('db', 'sync');
      assert.equal(r.code, 0, r.stderr + r.stdout);
      r = await manage('db', 'version');
      assert.match(r.stdout.trim(), /^\d{4}_/);

      r = await manage('cell_v2', 'list_cells');
      assert.equal(r.code, 0);
      const table = r.stdout;
      assert.match(
        table,
        /\|\s+Name\s+\|\s+UUID\s+\|\s+Transport URL\s+\|\s+Database Connection\s+\|\s+Disabled\s+\|/,
      );
      assert.match(table, /\| cell0 \| 00000000-0000-0000-0000-000000000000 \|\s+none:\/\/\/\s+\|/);
      assert.match(
        table,
        new RegExp(
          `\\| cell1 \\| ${cell1} \\|\\s+rabbit://openstack:\\*\\*\\*\\*@127\\.0\\.0\\.1:5672/\\s+\\|`,
        ),
      );
      assert.doesNotMatch(table, /secret/);
      r = await manage('cell_v2', 'list_cells', '--verbose');
      assert.match(r.stdout, /openstack:secret@/);

      r = await manage('cell_v2', 'discover_hosts', '--verbose', '--strict');
      assert.equal(r.code, 1, '--strict with nothing to map');
      assert.deepEqual(r.stdout.trim().split('\n'), [
        'Found 2 cell mappings.',
        'Skipping cell0 since it does not contain hosts.',
        `Getting computes from cell 'cell1': ${cell1}`,
        `Found 0 unmapped computes in cell: ${cell1}`,
      ]);

      // A compute reports (through its conductor) into cell1's database.
      const db = await connectDatabase(cellUrl);
      const now = new Date();
      const node = await computeNodes.upsert(
        db,
        {
          host: 'compute1',
          hypervisor_hostname: 'compute1',
          hypervisor_type: 'QEMU',
          hypervisor_version: 1,
          vcpus: 2,
          memory_mb: 4096,
          local_gb: 40,
          vcpus_used: 0,
          memory_mb_used: 512,
          local_gb_used: 0,
          cpu_info: '{}',
        },
        now,
      );
      const svc = await services.createOrGet(
        db,
        { host: 'compute1', binary: 'nova-compute', topic: 'compute', version: 1 },
        now,
      );
      await services.heartbeat(db, svc.id, now);
      await db.close();

      r = await manage('cell_v2', 'discover_hosts', '--verbose');
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, new RegExp(`Checking host mapping for compute host 'compute1': ${node.uuid}`));
      assert.match(r.stdout, new RegExp(`Creating host mapping for compute host 'compute1': ${node.uuid}`));
      assert.match(r.stdout, new RegExp(`Found 1 unmapped computes in cell: ${cell1}`));
      r = await manage('cell_v2', 'discover_hosts', '--strict');
      assert.equal(r.code, 1, 'already mapped');

      r = await manage('cell_v2', 'list_hosts');
      assert.match(r.stdout, new RegExp(`\\|\\s+cell1\\s+\\| ${cell1} \\| compute1 \\|`));

      r = await manage('service', 'list');
      assert.equal(r.code, 0);
      const [header, row] = r.stdout.trim().split('\n');
      assert.match(header, /^Binary\s+Host\s+Zone\s+Status\s+State\s+Updated_At$/);
      assert.match(row, /^nova-compute\s+compute1\s+nova\s+enabled\s+:-\)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

      r = await manage('service', 'disable', '--host', 'compute1', '--service', 'nova-compute');
      assert.equal(r.stdout.trim(), 'Service nova-compute on host compute1 disabled.');
      r = await manage('service', 'list', '--host', 'compute1');
      assert.match(r.stdout, /nova-compute\s+compute1\s+nova\s+disabled/);
      r = await manage('service', 'enable', '--host', 'nope', '--service', 'nova-compute');
      assert.equal(r.code, 2);

      r = await manage('cell_v2', 'delete_cell', `--cell_uuid=${cell1}`);
      assert.equal(r.code, 2, 'a cell with hosts is not deleted without --force');
      r = await manage(
        'cell_v2',
        'update_cell',
        '--cell_uuid',
        '00000000-0000-0000-0000-000000000000',
        '--disable',
      );
      assert.equal(r.code, 5);
      assert.equal(r.stdout.trim(), 'Cell0 cannot be disabled.');
    });
  });
}

describe('nova-manage usage', () => {
  test('an unknown category is a usage error (exit 2)', async () => {
    const r = await runCli('nova-manage', ['--config-file', '/dev/null', 'nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid choice: 'nope'/);
  });

  test('a missing [api_database] connection is one clear line', async () => {
    const r = await runCli('nova-manage', ['--config-file', '/dev/null', 'cell_v2', 'list_cells']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /\[api_database\] connection is not set/);
  });

  test('the launcher re-executes under Node 24 from an older system node', {
    skip: !hasSystemNode(),
  }, async () => {
    const r = await runCli('nova-manage', ['cell_v2', 'list_cells', '--help'], { node: '/usr/bin/node' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /usage: nova-manage cell_v2 list_cells/);
  });
});

function hasSystemNode(): boolean {
  return existsSync('/usr/bin/node');
}
