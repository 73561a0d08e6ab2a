import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { noauth2Validator } from '../auth/noauth.ts';
import { Unauthorized } from '../auth/types.ts';
import { loadConfig } from '../config/index.ts';
import { requestSpec } from '../scheduler/host-selection-test-support.ts';
import type { RequestSpec } from '../scheduler/types.ts';
import { type FakeKeystone, startFakeKeystone } from '../service-auth/fake-keystone.ts';
import { passwordTokenSource } from '../service-auth/token-source.ts';
import { candidatesQuery } from './candidates-query.ts';
import { PlacementClient, placementClientFromConf } from './client.ts';
import { PlacementError, PlacementUnreachable } from './errors.ts';
import {
  adminClient,
  countingFetch,
  inv,
  type ListeningPlacement,
  listeningPlacement,
} from './test-support.ts';

const small = (over: Partial<RequestSpec> = {}, extra_specs: Record<string, string> = {}) =>
  requestSpec({
    flavor: {
      name: 's',
      flavorid: 's',
      vcpus: 1,
      memory_mb: 512,
      root_gb: 1,
      ephemeral_gb: 0,
      swap: 0,
      extra_specs,
    },
    ...over,
  });

describe('PlacementClient against the embedded placement API', () => {
  let p: ListeningPlacement;
  let client: PlacementClient;
  before(async () => {
    p = await listeningPlacement();
    client = adminClient(p.url);
  });
  after(() => p.close());

  async function computeNode(name: string, vcpus = 4, traits: string[] = []) {
    const uuid = randomUUID();
    await client.ensureProvider(uuid, name);
    await client.setInventory(uuid, { VCPU: inv(vcpus), MEMORY_MB: inv(8192), DISK_GB: inv(100) });
    if (traits.length) await client.setTraits(uuid, traits);
    return uuid;
  }

  it('providers: ensure (create, idempotent, rename), tree, delete', async () => {
    const root = randomUUID();
    const child = randomUUID();
    const rp = await client.ensureProvider(root, 'cn-tree');
    assert.equal(rp.uuid, root);
    assert.equal(rp.root_provider_uuid, root);
    assert.equal((await client.ensureProvider(root, 'cn-tree')).generation, rp.generation);
    await client.ensureProvider(child, 'cn-tree_numa0', root);
    assert.deepEqual((await client.getProviderTree(root)).map((x) => x.uuid).sort(), [root, child].sort());
    assert.equal((await client.ensureProvider(root, 'cn-tree-renamed')).name, 'cn-tree-renamed');
    // A name owned by another provider is a typed conflict.
    await assert.rejects(client.ensureProvider(randomUUID(), 'cn-tree-renamed'), (e: unknown) => {
      assert.ok(e instanceof PlacementError);
      assert.equal(e.status, 409);
      assert.match(e.detail, /already exists/);
      return true;
    });
    assert.equal(await client.deleteProvider(child), true);
    assert.equal(await client.deleteProvider(child), false);
    assert.equal(await client.getProvider(child), undefined);
  });

  it('inventory: writes only changes, creates custom classes, drops removed classes unless in use', async () => {
    const uuid = randomUUID();
    await client.ensureProvider(uuid, 'cn-inv');
    const first = await client.setInventory(uuid, { VCPU: inv(8), CUSTOM_GPU: inv(2), DISK_GB: inv(0) });
    assert.equal(first.changed, true);
    const again = await client.setInventory(uuid, { VCPU: inv(8), CUSTOM_GPU: inv(2) });
    assert.deepEqual(again, { changed: false, generation: first.generation });
    // CUSTOM_GPU in use: no longer reported, yet kept; VCPU updated.
    const ok = await client.claimResources(
      randomUUID(),
      { allocations: { [uuid]: { resources: { CUSTOM_GPU: 1 } } } },
      'p1',
      'u1',
      null,
    );
    assert.equal(ok, true);
    const r = await client.setInventory(uuid, { VCPU: inv(16), MEMORY_MB: inv(1024) });
    assert.equal(r.changed, true);
    const stored = await p.placement.app.inject({
      url: `/resource_providers/${uuid}/inventories`,
      headers: { 'x-auth-token': 'admin' },
    });
    const inventories = JSON.parse(stored.body).inventories;
    assert.deepEqual(Object.keys(inventories).sort(), ['CUSTOM_GPU', 'MEMORY_MB', 'VCPU']);
    assert.equal(inventories.VCPU.total, 16);
  });

  it('inventory: a concurrent writer between read and write is retried with the new generation', async () => {
    const uuid = await computeNode('cn-race');
    const other = adminClient(p.url);
    let raced = false;
    const racy = adminClient(p.url, {
      fetch: async (input, init) => {
        if (!raced && init?.method === 'PUT' && String(input).endsWith('/inventories')) {
          raced = true;
          await other.setTraits(uuid, ['CUSTOM_RACER']); // bumps the provider generation
        }
        return fetch(input, init);
      },
    });
    const res = await racy.setInventory(uuid, { VCPU: inv(6), MEMORY_MB: inv(8192), DISK_GB: inv(100) });
    assert.equal(raced, true);
    assert.equal(res.changed, true);
    assert.deepEqual(await client.getTraits(uuid), ['CUSTOM_RACER']);
  });

  it('traits and aggregates: custom traits created, foreign ones kept on request, idempotent', async () => {
    const uuid = await computeNode('cn-traits');
    assert.equal((await client.setTraits(uuid, ['HW_CPU_X86_AVX2', 'CUSTOM_FAST'])).changed, true);
    assert.equal((await client.setTraits(uuid, ['CUSTOM_FAST', 'HW_CPU_X86_AVX2'])).changed, false);
    await client.setTraits(uuid, ['HW_CPU_X86_AVX2', 'CUSTOM_FAST', 'CUSTOM_OPERATOR']);
    await client.setTraits(uuid, ['HW_CPU_X86_AVX2'], { keep: (t) => t === 'CUSTOM_OPERATOR' });
    assert.deepEqual([...(await client.getTraits(uuid))].sort(), ['CUSTOM_OPERATOR', 'HW_CPU_X86_AVX2']);
    await assert.rejects(client.setTraits(uuid, ['NOT_A_TRAIT']), (e: unknown) => {
      assert.ok(e instanceof PlacementError);
      assert.equal(e.status, 400);
      return true;
    });
    // Traits are written at 1.6, whose 409 has no error code: still retried on a generation race.
    let raced = false;
    const racy = adminClient(p.url, {
      fetch: async (input, init) => {
        if (!raced && init?.method === 'PUT' && String(input).endsWith('/traits')) {
          raced = true;
          await client.setAggregates(uuid, [randomUUID()]);
        }
        return fetch(input, init);
      },
    });
    assert.equal((await racy.setTraits(uuid, ['HW_CPU_X86_SSE'])).changed, true);
    assert.equal(raced, true);
    const agg = randomUUID();
    assert.equal((await client.setAggregates(uuid, [agg])).changed, true);
    assert.equal((await client.setAggregates(uuid, [agg])).changed, false);
  });

  it('allocation candidates: resources, required/forbidden traits, member_of, !in:, in_tree, limit', async () => {
    const tag = randomUUID().slice(0, 8);
    const trait = `CUSTOM_AC_${tag.toUpperCase()}`;
    const a = await computeNode(`ac-a-${tag}`, 4, [trait]);
    const b = await computeNode(`ac-b-${tag}`, 4);
    const aggA = randomUUID();
    const aggB = randomUUID();
    await client.setAggregates(a, [aggA]);
    await client.setAggregates(b, [aggB]);
    const ours = (c: { allocation_requests: readonly { allocations: object }[] }) =>
      c.allocation_requests.flatMap((r) => Object.keys(r.allocations)).filter((u) => u === a || u === b);
    const mine = (over: Partial<RequestSpec>, specs: Record<string, string> = {}, opts = {}) =>
      client.getAllocationCandidates(candidatesQuery(small(over, specs), opts));

    const both = await mine({ requested_destination: { aggregates: [`${aggA},${aggB}`] } });
    assert.deepEqual(ours(both).sort(), [a, b].sort());
    assert.equal(both.provider_summaries[a].resources.VCPU.capacity, 4);
    assert.deepEqual(ours(await mine({ requested_destination: { aggregates: [aggA, aggB] } })), []);
    const onlyA = { requested_destination: { aggregates: [`${aggA},${aggB}`] } };
    assert.deepEqual(ours(await mine(onlyA, { [`trait:${trait}`]: 'required' })), [a]);
    assert.deepEqual(ours(await mine(onlyA, { [`trait:${trait}`]: 'forbidden' })), [b]);
    const notA = { requested_destination: { aggregates: [`${aggA},${aggB}`], forbidden_aggregates: [aggA] } };
    assert.deepEqual(ours(await mine(notA)), [b]);
    assert.deepEqual(ours(await mine(onlyA, {}, { forcedNodes: [a] })), [a]);
    assert.deepEqual(ours(await mine(onlyA, { 'resources:VCPU': '5' })), []);
    const limited = await mine({}, {}, { limit: 1 });
    assert.equal(limited.allocation_requests.length, 1);
  });

  it('claims: success, refusal when full, repeat of the same claim, allocations, usages, delete', async () => {
    const cn = await computeNode('cn-claim', 2);
    const req = { allocations: { [cn]: { resources: { VCPU: 2, MEMORY_MB: 512 } } } };
    const i1 = randomUUID();
    const project = randomUUID();
    assert.equal(await client.claimResources(i1, req, project, 'u1', null), true);
    // Sent again (lost answer): the consumer already holds exactly this, so it is a success.
    assert.equal(await client.claimResources(i1, req, project, 'u1', null), true);
    const other = { allocations: { [cn]: { resources: { VCPU: 1 } } } };
    await assert.rejects(client.claimResources(i1, other, project, 'u1', null), (e: unknown) => {
      assert.ok(e instanceof PlacementError);
      assert.equal(e.isConsumerConflict, true);
      return true;
    });
    assert.equal(await client.claimResources(randomUUID(), req, project, 'u1', null), false);
    const got = await client.getAllocations(i1);
    assert.deepEqual(got.allocations[cn].resources, { VCPU: 2, MEMORY_MB: 512 });
    assert.equal(got.consumer_generation, 1);
    assert.equal(got.project_id, project);
    assert.deepEqual(await client.usages(project), { VCPU: 2, MEMORY_MB: 512 });
    assert.deepEqual(await client.usages(project, 'someone-else'), {});
    const onRp = await client.listAllocationsForProvider(cn);
    assert.deepEqual(Object.keys(onRp.allocations), [i1]);
    assert.equal(await client.deleteAllocations(i1), true);
    assert.equal(await client.deleteAllocations(i1), false);
    assert.deepEqual(await client.getAllocations(i1), { allocations: {}, consumer_generation: null });
  });

  it('concurrent claims of the last slot: exactly one wins', async () => {
    const cn = await computeNode('cn-last', 1);
    const req = { allocations: { [cn]: { resources: { VCPU: 1 } } } };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => adminClient(p.url).claimResources(randomUUID(), req, 'p1', 'u1', null)),
    );
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(Object.keys((await client.listAllocationsForProvider(cn)).allocations).length, 1);
  });

  it('move allocations (instance → migration), heal with putAllocations', async () => {
    const src = await computeNode('cn-move-src', 4);
    const instance = randomUUID();
    const migration = randomUUID();
    const req = { allocations: { [src]: { resources: { VCPU: 2 } } } };
    assert.equal(await client.claimResources(instance, req, 'p1', 'u1', null), true);
    assert.equal(await client.moveAllocations(instance, migration), true);
    assert.deepEqual((await client.getAllocations(instance)).allocations, {});
    const moved = await client.getAllocations(migration);
    assert.deepEqual(moved.allocations[src].resources, { VCPU: 2 });
    assert.equal(moved.project_id, 'p1');
    assert.equal(await client.moveAllocations(instance, migration), true, 'already moved');
    assert.equal(await client.moveAllocations(randomUUID(), randomUUID()), false, 'nothing anywhere');
    // Heal: replace whatever the consumer holds, whatever its generation.
    assert.equal(
      await client.putAllocations(migration, { [src]: { resources: { VCPU: 3 } } }, 'p1', 'u1'),
      true,
    );
    assert.deepEqual((await client.getAllocations(migration)).allocations[src].resources, { VCPU: 3 });
    assert.equal(
      await client.putAllocations(migration, { [src]: { resources: { VCPU: 9 } } }, 'p1', 'u1'),
      false,
    );
    assert.equal(await client.putAllocations(migration, {}, 'p1', 'u1'), true);
    assert.deepEqual((await client.getAllocations(migration)).allocations, {});
  });

  it('placementClientFromConf: [placement] auth_type noauth with endpoint_override', async () => {
    const conf = loadConfig({
      env: {},
      hostFacts: { hostname: 'node1', myIp: '127.0.0.1' },
      overrides: [
        { group: 'placement', name: 'auth_type', value: 'noauth' },
        { group: 'placement', name: 'endpoint_override', value: `${p.url}/` },
      ],
    }).conf;
    const fromConf = placementClientFromConf(conf);
    assert.equal(await fromConf.baseUrl(), p.url);
    const uuid = randomUUID();
    assert.equal((await fromConf.ensureProvider(uuid, 'cn-conf')).uuid, uuid);
  });

  it('an unreachable placement is PlacementUnreachable; no endpoint is a clear error', async () => {
    const dead = adminClient('http://127.0.0.1:9');
    await assert.rejects(dead.getProvider(randomUUID()), PlacementUnreachable);
    const nowhere = new PlacementClient({
      tokens: {
        token: async () => 'admin',
        endpoint: async () => undefined,
        invalidate() {},
      },
    });
    await assert.rejects(nowhere.getProvider(randomUUID()), /No placement endpoint/);
  });
});

describe('PlacementClient with a Keystone token source', () => {
  let ks: FakeKeystone;
  let p: ListeningPlacement;
  const revoked = new Set<string>();
  before(async () => {
    const inner = noauth2Validator();
    p = await listeningPlacement({
      validator: {
        validate: async (token) => {
          if (revoked.has(token)) throw new Unauthorized();
          return inner.validate(token);
        },
      },
    });
    // Tokens `admin:svc-N` are noauth2 admins to the placement app.
    ks = await startFakeKeystone({
      tokenPrefix: 'admin:svc-',
      catalog: [{ type: 'placement', endpoints: [{ interface: 'internal', url: p.url }] }],
    });
  });
  after(async () => {
    await ks.close();
    await p.close();
  });

  it('finds placement in the catalog, and on a 401 gets a new token and retries once', async () => {
    const counting = countingFetch();
    const client = new PlacementClient({
      tokens: passwordTokenSource({
        auth_url: ks.url,
        username: 'nova',
        password: 'secret',
        project_name: 'service',
      }),
      fetch: counting.fetch,
    });
    assert.equal(await client.baseUrl(), p.url);
    const uuid = randomUUID();
    await client.ensureProvider(uuid, 'cn-ks');
    assert.equal(ks.issued, 1);
    revoked.add('admin:svc-1');
    assert.equal((await client.getProvider(uuid))?.uuid, uuid);
    assert.equal(ks.issued, 2);
    assert.deepEqual(counting.calls.slice(-2), [
      `GET /resource_providers/${uuid}`,
      `GET /resource_providers/${uuid}`,
    ]);
    // A token refused even when fresh is a 401 PlacementError, not a loop.
    revoked.add('admin:svc-2');
    revoked.add('admin:svc-3');
    await assert.rejects(
      client.getProvider(uuid),
      (e: unknown) => e instanceof PlacementError && e.status === 401,
    );
    assert.equal(ks.issued, 3);
  });
});
