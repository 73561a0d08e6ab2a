// The metadata API as its own process: nova-api-metadata, and nova-api with [DEFAULT] enabled_apis
// = metadata (only that API), both on loopback, answering a signed request for an instance found
// through the API database's cell mappings.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newUuid } from '../../src/common/ids.ts';
import { connectDatabase, migrateToLatest } from '../../src/db/index.ts';
import type { ApiDb } from '../../src/db/tables/api-db.ts';
import type { CellDb } from '../../src/db/tables/cell-db.ts';
import * as cellMappings from '../../src/objects/cell-mapping.ts';
import * as instances from '../../src/objects/instance.ts';
import * as instanceMappings from '../../src/objects/instance-mapping.ts';
import { startDaemon } from './daemon-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'novats-mdd-'));
const SECRET = 'daemon-secret';
const uuid = newUuid();

describe('metadata API daemons', () => {
  let confPath: string;
  before(async () => {
    const apiUrl = `sqlite:///${join(dir, 'api.sqlite')}`;
    const cellUrl = `sqlite:///${join(dir, 'cell.sqlite')}`;
    const api = await connectDatabase<ApiDb>(apiUrl);
    const cell = await connectDatabase<CellDb>(cellUrl);
    try {
      await migrateToLatest(api, 'api');
      await migrateToLatest(cell, 'cell');
      const now = new Date();
      const m = await cellMappings.create(
        api,
        { name: 'cell1', transport_url: 'none:///', database_connection: cellUrl },
        now,
      );
      const flavor = {
        name: 'm1.tiny',
        flavorid: '1',
        memory_mb: 512,
        vcpus: 1,
        root_gb: 1,
        ephemeral_gb: 0,
        swap: 0,
      };
      await instances.create(
        cell,
        {
          uuid,
          project_id: 'p1',
          user_id: 'u1',
          display_name: 'daemon-vm',
          hostname: 'daemon-vm',
          image_ref: null,
          vm_state: 'active',
          task_state: null,
          flavor,
        },
        now,
      );
      await instanceMappings.create(api, { instance_uuid: uuid, cell_id: m.id, project_id: 'p1' }, now);
    } finally {
      await api.close();
      await cell.close();
    }
    confPath = join(dir, 'nova.conf');
    writeFileSync(
      confPath,
      [
        '[DEFAULT]',
        'metadata_listen = 127.0.0.1',
        'metadata_listen_port = 0',
        'osapi_compute_listen = 127.0.0.1',
        'osapi_compute_listen_port = 0',
        '[api_database]',
        `connection = ${apiUrl}`,
        '[neutron]',
        'service_metadata_proxy = true',
        `metadata_proxy_shared_secret = ${SECRET}`,
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const check = async (bin: string, extra: string[]) => {
    const d = startDaemon(bin, ['--config-file', confPath, ...extra]);
    try {
      const [line] = await d.waitFor(/.*metadata API listening.*/);
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
      assert.ok(url, line);
      const res = await fetch(`${url}/openstack/latest/meta_data.json`, {
        headers: {
          'x-instance-id': uuid,
          'x-tenant-id': 'p1',
          'x-instance-id-signature': createHmac('sha256', SECRET).update(uuid).digest('hex'),
        },
      });
      assert.equal(res.status, 200);
      const md = (await res.json()) as { uuid: string; hostname: string };
      assert.equal(md.uuid, uuid);
      assert.equal(md.hostname, 'daemon-vm.novalocal');
      return d;
    } catch (err) {
      await d.stop('SIGTERM');
      throw err;
    }
  };

  test('nova-api-metadata serves it', async () => {
    const d = await check('nova-api-metadata', []);
    assert.equal(await d.stop('SIGTERM'), 0, d.output());
  });

  test('nova-api with enabled_apis = metadata serves only it', async () => {
    const extra = join(dir, 'metadata-only.conf');
    writeFileSync(extra, '[DEFAULT]\nenabled_apis = metadata\n');
    const d = await check('nova-api', ['--config-file', extra]);
    assert.doesNotMatch(d.output(), /Compute API listening/);
    assert.equal(await d.stop('SIGTERM'), 0, d.output());
  });
});
