// The Compute API repositories (flavors, key pairs, quotas, aggregates, instance groups) on every engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { testDialects } from '../db/test-dialects.ts';
import { Conflict, NotFound } from '../faults/fault.ts';
import * as aggregates from './aggregate.ts';
import * as flavors from './flavor.ts';
import * as groups from './instance-group.ts';
import * as keypairs from './keypair.ts';
import * as quotas from './quota.ts';

const T0 = new Date('2026-03-04T05:06:07.891Z');

for (const d of testDialects()) {
  describe(`${d.name}: compute API repositories`, () => {
    let db: Database<ApiDb>;
    before(async () => {
      db = await d.open<ApiDb>(['api']);
    });
    after(() => d.cleanup());

    it('flavors: create, filter, sort, page, extra specs, access', async () => {
      for (const [id, ram, pub] of [
        ['1', 512, true],
        ['2', 2048, true],
        ['p', 256, false],
      ] as const)
        await flavors.create(
          db,
          { flavorid: id, name: `f${id}`, memory_mb: ram, vcpus: 1, root_gb: 1, is_public: pub },
          T0,
        );
      await assert.rejects(
        flavors.create(db, { flavorid: '1', name: 'x', memory_mb: 1, vcpus: 1, root_gb: 1 }, T0),
        Conflict,
      );
      const pub = await flavors.list(db, { filter: { isPublic: true, projectId: 'proj' } });
      assert.deepEqual(
        pub.map((f) => f.flavorid),
        ['1', '2'],
      );
      await flavors.addProject(db, 'p', 'proj', T0);
      const withAccess = await flavors.list(db, {
        filter: { isPublic: true, projectId: 'proj' },
        sortKey: 'memory_mb',
      });
      assert.deepEqual(
        withAccess.map((f) => f.flavorid),
        ['p', '1', '2'],
      );
      const page = await flavors.list(db, {
        filter: { isPublic: null, minMemoryMb: 500 },
        marker: '1',
        limit: 5,
      });
      assert.deepEqual(
        page.map((f) => f.flavorid),
        ['2'],
      );
      await flavors.updateExtraSpecs(db, '1', { key: 'a', 'hw:x': 'b' }, T0);
      await flavors.updateExtraSpecs(db, '1', { key: 'c' }, T0);
      assert.deepEqual((await flavors.getByFlavorId(db, '1')).extra_specs, { 'hw:x': 'b', key: 'c' });
      await flavors.deleteExtraSpec(db, '1', 'key');
      await assert.rejects(flavors.deleteExtraSpec(db, '1', 'key'), NotFound);
      assert.deepEqual(await flavors.listProjects(db, 'p'), ['proj']);
      await flavors.destroy(db, 'p');
      await assert.rejects(flavors.getByFlavorId(db, 'p'), NotFound);
    });

    it('key pairs: unique per user, paged by name', async () => {
      for (const name of ['b', 'a', 'c'])
        await keypairs.create(
          db,
          { name, user_id: 'u1', fingerprint: 'f', public_key: 'k', type: 'ssh' },
          T0,
        );
      await assert.rejects(
        keypairs.create(db, { name: 'a', user_id: 'u1', fingerprint: 'f', public_key: 'k', type: 'ssh' }, T0),
        Conflict,
      );
      await keypairs.create(
        db,
        { name: 'a', user_id: 'u2', fingerprint: 'f', public_key: 'k', type: 'x509' },
        T0,
      );
      assert.deepEqual(
        (await keypairs.listByUser(db, 'u1', { marker: 'a', limit: 1 })).map((k) => k.name),
        ['b'],
      );
      assert.equal(await keypairs.countByUser(db, 'u1'), 3);
      await keypairs.destroy(db, 'u1', 'a');
      await assert.rejects(keypairs.get(db, 'u1', 'a'), NotFound);
    });

    it('quotas: project, user and class limits', async () => {
      await quotas.setProjectLimit(db, 'p', 'instances', 5, T0);
      await quotas.setProjectLimit(db, 'p', 'instances', 6, T0);
      await quotas.setUserLimit(db, 'p', 'u', 'cores', 2, T0);
      await quotas.setClassLimit(db, 'default', 'ram', 100, T0);
      assert.deepEqual(await quotas.getProjectLimits(db, 'p'), { instances: 6 });
      assert.deepEqual(await quotas.getUserLimits(db, 'p', 'u'), { cores: 2 });
      assert.deepEqual(await quotas.getClassLimits(db, 'default'), { ram: 100 });
      await quotas.destroyProject(db, 'p');
      assert.deepEqual(await quotas.getUserLimits(db, 'p', 'u'), {});
    });

    it('aggregates: metadata, hosts, zones', async () => {
      const a = await aggregates.create(db, 'agg', { availability_zone: 'z1' }, T0);
      assert.equal(a.availability_zone, 'z1');
      await assert.rejects(aggregates.create(db, 'agg', {}, T0), Conflict);
      await aggregates.addHost(db, a.id, 'h1', T0);
      await assert.rejects(aggregates.addHost(db, a.id, 'h1', T0), Conflict);
      await aggregates.updateMetadata(db, a.id, { ssd: 'yes', availability_zone: null }, T0);
      const b = await aggregates.getById(db, a.id);
      assert.deepEqual(b.metadata, { ssd: 'yes' });
      assert.deepEqual(b.hosts, ['h1']);
      assert.equal((await aggregates.listByMetadataKey(db, 'ssd', ['h1'])).length, 1);
      await aggregates.removeHost(db, a.id, 'h1');
      await aggregates.destroy(db, a.id);
      await assert.rejects(aggregates.getById(db, a.id), NotFound);
    });

    it('instance groups: policy, rules, members, counts', async () => {
      const g = await groups.create(
        db,
        {
          name: 'g',
          project_id: 'p',
          user_id: 'u',
          policy: 'anti-affinity',
          rules: { max_server_per_host: 2 },
        },
        T0,
      );
      assert.equal(g.policy, 'anti-affinity');
      assert.deepEqual(g.rules, { max_server_per_host: 2 });
      await groups.addMembers(db, g.uuid, ['i1', 'i2'], T0);
      assert.deepEqual((await groups.getByUuid(db, g.uuid)).members, ['i1', 'i2']);
      assert.equal(await groups.countByProject(db, 'p'), 1);
      assert.equal(await groups.countByProject(db, 'p', 'other'), 0);
      await groups.destroy(db, g.uuid);
      await assert.rejects(groups.getByUuid(db, g.uuid), NotFound);
    });
  });
}
