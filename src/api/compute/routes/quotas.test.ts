import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUuid } from '../../../common/ids.ts';
import { ALICE, startTestApi, type TestApi } from '../test-support.ts';

const PROJECT = '0a1b2c3d';

describe('limits and quota sets', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    const row = (vcpus: number, ram: number, user: string, deleted = 0) => ({
      uuid: newUuid(),
      project_id: PROJECT,
      user_id: user,
      vcpus,
      memory_mb: ram,
      vm_state: 'active',
      deleted,
    });
    await t.cellDb.kysely
      .insertInto('instances')
      .values([row(2, 2048, 'alice'), row(1, 512, 'bob'), row(8, 8192, 'alice', 99)])
      .execute();
  });
  after(() => t.close());

  it('shows absolute limits and usage counted from the cell', async () => {
    const r = await t.call('GET', '/v2.1/limits', { token: ALICE });
    assert.equal(r.statusCode, 200);
    const abs = r.json().limits.absolute;
    assert.deepEqual(r.json().limits.rate, []);
    assert.equal(abs.maxTotalInstances, 10);
    assert.equal(abs.maxTotalCores, 20);
    assert.equal(abs.maxTotalRAMSize, 51200);
    assert.equal(abs.totalInstancesUsed, 2);
    assert.equal(abs.totalCoresUsed, 3);
    assert.equal(abs.totalRAMUsed, 2560);
    assert.equal(abs.maxImageMeta, 128);
    assert.equal(abs.maxTotalFloatingIps, -1);
    assert.equal(abs.maxPersonality, 5);
  });

  it('drops fields at 2.36, 2.39 and 2.57', async () => {
    const at = async (mv: string) =>
      (await t.call('GET', '/v2.1/limits', { token: ALICE, mv })).json().limits.absolute;
    assert.equal('maxTotalFloatingIps' in (await at('2.36')), false);
    assert.equal('maxImageMeta' in (await at('2.39')), false);
    assert.equal('maxPersonality' in (await at('2.56')), true);
    assert.equal('maxPersonality' in (await at('2.57')), false);
  });

  it('needs admin for another project', async () => {
    const r = await t.call('GET', '/v2.1/limits?tenant_id=9f8e7d6c', { token: ALICE });
    assert.equal(r.statusCode, 403);
    const a = await t.call('GET', '/v2.1/limits?tenant_id=9f8e7d6c');
    assert.equal(a.json().limits.absolute.totalInstancesUsed, 0);
  });

  it('shows, updates, details and deletes a quota set', async () => {
    const show = await t.call('GET', `/v2.1/os-quota-sets/${PROJECT}`, { token: ALICE });
    assert.equal(show.json().quota_set.id, PROJECT);
    assert.equal(show.json().quota_set.instances, 10);
    assert.equal(show.json().quota_set.fixed_ips, -1);
    const upd = await t.call('PUT', `/v2.1/os-quota-sets/${PROJECT}`, {
      body: { quota_set: { instances: 20, cores: '40' } },
    });
    assert.equal(upd.statusCode, 200);
    assert.equal(upd.json().quota_set.instances, 20);
    assert.equal(upd.json().quota_set.cores, 40);
    assert.equal('id' in upd.json().quota_set, false);
    const tooLow = await t.call('PUT', `/v2.1/os-quota-sets/${PROJECT}`, {
      body: { quota_set: { instances: 1 } },
    });
    assert.equal(tooLow.statusCode, 400);
    assert.equal(
      tooLow.json().badRequest.message,
      'Quota limit 1 for instances must be greater than or equal to already used and reserved 2.',
    );
    const forced = await t.call('PUT', `/v2.1/os-quota-sets/${PROJECT}`, {
      body: { quota_set: { instances: 1, force: true } },
    });
    assert.equal(forced.json().quota_set.instances, 1);
    const detail = await t.call('GET', `/v2.1/os-quota-sets/${PROJECT}/detail`, { token: ALICE });
    assert.deepEqual(detail.json().quota_set.cores, { limit: 40, in_use: 3, reserved: 0 });
    const del = await t.call('DELETE', `/v2.1/os-quota-sets/${PROJECT}`);
    assert.equal(del.statusCode, 202);
    const back = await t.call('GET', `/v2.1/os-quota-sets/${PROJECT}`, { token: ALICE });
    assert.equal(back.json().quota_set.instances, 10);
  });

  it('keeps per-user limits under the project', async () => {
    const u = await t.call('PUT', `/v2.1/os-quota-sets/${PROJECT}?user_id=alice`, {
      body: { quota_set: { instances: 4 } },
    });
    assert.equal(u.json().quota_set.instances, 4);
    const detail = await t.call('GET', `/v2.1/os-quota-sets/${PROJECT}/detail?user_id=alice`, {
      token: ALICE,
    });
    assert.deepEqual(detail.json().quota_set.instances, { limit: 4, in_use: 1, reserved: 0 });
    const over = await t.call('PUT', `/v2.1/os-quota-sets/${PROJECT}?user_id=bob`, {
      body: { quota_set: { instances: 7 } },
    });
    assert.equal(
      over.json().badRequest.message,
      'Quota limit 7 for instances must be less than or equal to 6.',
    );
  });

  it('validates bodies per version and refuses non-admin updates', async () => {
    const net = await t.call('PUT', `/v2.1/os-quota-sets/${PROJECT}`, {
      mv: '2.36',
      body: { quota_set: { floating_ips: 1 } },
    });
    assert.equal(net.statusCode, 400);
    assert.match(
      net.json().badRequest.message,
      /Additional properties are not allowed \('floating_ips' was unexpected\)/,
    );
    const neg = await t.call('PUT', `/v2.1/os-quota-sets/${PROJECT}`, { body: { quota_set: { ram: -2 } } });
    assert.equal(
      neg.json().badRequest.message,
      'Invalid input for field/attribute ram. Value: -2. -2 is less than the minimum of -1',
    );
    const user = await t.call('PUT', `/v2.1/os-quota-sets/${PROJECT}`, {
      token: ALICE,
      body: { quota_set: { ram: 1 } },
    });
    assert.equal(user.statusCode, 403);
    const otherProject = await t.call('GET', '/v2.1/os-quota-sets/9f8e7d6c', { token: ALICE });
    assert.equal(otherProject.statusCode, 403);
  });

  it('filters quota set fields at 2.36 and 2.57; defaults for anyone', async () => {
    const v236 = (
      await t.call('GET', `/v2.1/os-quota-sets/${PROJECT}/defaults`, { token: ALICE, mv: '2.36' })
    ).json().quota_set;
    assert.equal('fixed_ips' in v236, false);
    assert.equal(v236.injected_files, 5);
    const v257 = (
      await t.call('GET', `/v2.1/os-quota-sets/${PROJECT}/defaults`, { token: ALICE, mv: '2.57' })
    ).json().quota_set;
    assert.equal('injected_files' in v257, false);
    assert.deepEqual(Object.keys(v257).sort(), [
      'cores',
      'id',
      'instances',
      'key_pairs',
      'metadata_items',
      'ram',
      'server_group_members',
      'server_groups',
    ]);
  });

  it('updates quota classes; class default changes the defaults', async () => {
    const v21 = await t.call('GET', '/v2.1/os-quota-class-sets/default');
    assert.equal('server_groups' in v21.json().quota_class_set, false);
    assert.equal(v21.json().quota_class_set.id, 'default');
    const upd = await t.call('PUT', '/v2.1/os-quota-class-sets/default', {
      mv: '2.50',
      body: { quota_class_set: { instances: 50 } },
    });
    assert.equal(upd.json().quota_class_set.instances, 50);
    assert.equal(upd.json().quota_class_set.server_groups, 10);
    const defaults = await t.call('GET', `/v2.1/os-quota-sets/${PROJECT}/defaults`, { token: ALICE });
    assert.equal(defaults.json().quota_set.instances, 50);
    const denied = await t.call('GET', '/v2.1/os-quota-class-sets/default', { token: ALICE });
    assert.equal(denied.statusCode, 403);
  });
});
