import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUuid } from '../common/ids.ts';
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import { NotFound } from '../faults/fault.ts';
import * as computeNodes from './compute-node.ts';

const T0 = new Date('2026-03-04T05:06:07.891Z');
const T1 = new Date('2026-03-04T05:07:00.002Z');

function report(
  host: string,
  extra: Partial<computeNodes.ComputeNodeReport> = {},
): computeNodes.ComputeNodeReport {
  return {
    host,
    hypervisor_hostname: `${host}.example`,
    hypervisor_type: 'QEMU',
    hypervisor_version: 8002000,
    vcpus: 8,
    memory_mb: 16384,
    local_gb: 100,
    vcpus_used: 0,
    memory_mb_used: 512,
    local_gb_used: 0,
    free_ram_mb: 15872,
    free_disk_gb: 100,
    running_vms: 0,
    current_workload: 0,
    disk_available_least: 90,
    cpu_info: '{"arch": "x86_64"}',
    host_ip: '192.0.2.10',
    cpu_allocation_ratio: 16,
    ram_allocation_ratio: 1.5,
    disk_allocation_ratio: 0.9,
    ...extra,
  };
}

for (const d of testDialects()) {
  describe(`${d.name}: compute nodes`, () => {
    let db: Database<CellDb>;
    before(async () => {
      db = await d.open<CellDb>(['cell']);
    });
    after(() => d.cleanup());

    it('creates a node from its first report, with every field round-tripped', async () => {
      const uuid = newUuid();
      const n = await computeNodes.upsert(db, report('c1', { uuid, stats: { num_instances: '0' } }), T0);
      assert.equal(n.uuid, uuid);
      assert.equal(n.host, 'c1');
      assert.equal(n.hypervisor_hostname, 'c1.example');
      assert.equal(n.hypervisor_version, 8002000);
      assert.equal(n.memory_mb, 16384);
      assert.equal(n.free_ram_mb, 15872);
      assert.equal(n.cpu_allocation_ratio, 16);
      assert.equal(n.ram_allocation_ratio, 1.5);
      assert.equal(n.disk_allocation_ratio, 0.9);
      assert.equal(n.cpu_info, '{"arch": "x86_64"}');
      assert.equal(n.host_ip, '192.0.2.10');
      assert.deepEqual(n.stats, { num_instances: '0' });
      assert.equal(n.service_id, null);
      assert.equal(n.mapped, 0);
      assert.equal(n.deleted, false);
      assert.equal(n.created_at?.getTime(), T0.getTime());
      assert.deepEqual(await computeNodes.getByUuid(db, uuid), n);
    });

    it('updates the same node on later reports, keeping uuid and mapping', async () => {
      const first = await computeNodes.upsert(db, report('c2'), T0);
      await computeNodes.markMapped(db, first.id, T0);
      const later = await computeNodes.upsert(
        db,
        report('c2', { uuid: newUuid(), vcpus_used: 2, free_ram_mb: null, cpu_allocation_ratio: null }),
        T1,
      );
      assert.equal(later.id, first.id);
      assert.equal(later.uuid, first.uuid);
      assert.equal(later.vcpus_used, 2);
      assert.equal(later.free_ram_mb, null);
      assert.equal(later.cpu_allocation_ratio, null);
      assert.equal(later.mapped, 1);
      assert.equal(later.updated_at?.getTime(), T1.getTime());
    });

    it('creates one node when reports race', async () => {
      const all = await Promise.all(
        Array.from({ length: 5 }, () => computeNodes.upsert(db, report('race'), T0)),
      );
      assert.equal(new Set(all.map((n) => n.id)).size, 1);
      assert.equal((await computeNodes.listByHost(db, 'race')).length, 1);
    });

    it('lists unmapped nodes (optionally per host) and marks them mapped and unmapped', async () => {
      const a = await computeNodes.upsert(db, report('u1'), T0);
      const b = await computeNodes.upsert(db, report('u2'), T0);
      const unmapped = (await computeNodes.listUnmapped(db)).map((n) => n.host);
      assert.ok(unmapped.includes('u1') && unmapped.includes('u2'));
      assert.deepEqual(
        (await computeNodes.listUnmapped(db, { host: 'u1' })).map((n) => n.id),
        [a.id],
      );
      await computeNodes.markMapped(db, a.id, T1);
      assert.deepEqual(await computeNodes.listUnmapped(db, { host: 'u1' }), []);
      await computeNodes.markMapped(db, a.id, T1, false);
      assert.deepEqual(
        (await computeNodes.listUnmapped(db, { host: 'u1' })).map((n) => n.id),
        [a.id],
      );
      assert.ok((await computeNodes.list(db)).some((n) => n.id === b.id));
      await assert.rejects(computeNodes.markMapped(db, 999999, T1), NotFound);
    });

    it('soft-deletes; the host may report the node again as a new row', async () => {
      const n = await computeNodes.upsert(db, report('gone'), T0);
      await computeNodes.destroy(db, n.id, T1);
      await assert.rejects(computeNodes.getByUuid(db, n.uuid), NotFound);
      await assert.rejects(computeNodes.getById(db, n.id), NotFound);
      assert.deepEqual(await computeNodes.listByHost(db, 'gone'), []);
      await assert.rejects(computeNodes.destroy(db, n.id, T1), NotFound);
      const again = await computeNodes.upsert(db, report('gone'), T1);
      assert.notEqual(again.id, n.id);
      assert.notEqual(again.uuid, n.uuid);
    });
  });
}
