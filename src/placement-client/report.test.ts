import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../common/clock.ts';
import { ProviderReporter, type ReportedNode, reportNode } from './report.ts';
import {
  adminClient,
  countingFetch,
  inv,
  type ListeningPlacement,
  listeningPlacement,
} from './test-support.ts';

function node(over: Partial<ReportedNode> = {}): ReportedNode {
  return {
    uuid: randomUUID(),
    nodename: `node-${randomUUID().slice(0, 8)}`,
    hypervisor_type: 'fake',
    hypervisor_version: 1,
    cpu_info: '{}',
    vcpus: 8,
    memory_mb: 16384,
    local_gb: 200,
    vcpus_used: 0,
    memory_mb_used: 0,
    local_gb_used: 0,
    disk_available_least: 200,
    supported_instances: [],
    inventory: {
      VCPU: inv(8, { allocation_ratio: 4 }),
      MEMORY_MB: inv(16384, { reserved: 512 }),
      DISK_GB: inv(200),
    },
    traits: ['COMPUTE_NET_ATTACH_INTERFACE', 'HW_CPU_X86_AVX2'],
    ...over,
  };
}

describe('ProviderReporter / reportNode', () => {
  let p: ListeningPlacement;
  before(async () => {
    p = await listeningPlacement();
  });
  after(() => p.close());

  it('creates the node provider with inventory and traits, then costs nothing while unchanged', async () => {
    const counting = countingFetch();
    const client = adminClient(p.url, { fetch: counting.fetch });
    const clock = new ManualClock();
    const reporter = new ProviderReporter(client, { clock, refreshSeconds: 300 });
    const n = node();
    const first = await reporter.report(n);
    assert.deepEqual(first, {
      checked: true,
      inventoryChanged: true,
      traitsChanged: true,
      aggregatesChanged: false,
    });
    const rp = await client.getProvider(n.uuid);
    assert.equal(rp?.name, n.nodename);
    assert.deepEqual([...(await client.getTraits(n.uuid))].sort(), [...n.traits].sort());

    const before = counting.calls.length;
    const second = await reporter.report({ ...n, vcpus_used: 3 });
    assert.equal(second.checked, false);
    assert.equal(counting.calls.length, before, 'no request when nothing placement sees changed');

    // Only the inventory changed: only inventory is read and written.
    counting.calls.length = 0;
    const grown = { ...n, inventory: { ...n.inventory, VCPU: inv(16, { allocation_ratio: 4 }) } };
    const third = await reporter.report(grown);
    assert.deepEqual(third, {
      checked: true,
      inventoryChanged: true,
      traitsChanged: false,
      aggregatesChanged: false,
    });
    assert.ok(
      counting.calls.every((c) => c.includes('/inventories')),
      counting.calls.join('; '),
    );

    // After refreshSeconds, placement is checked again even with no local change (and put right).
    await adminClient(p.url).setTraits(n.uuid, ['HW_CPU_X86_SSE', 'CUSTOM_OPERATOR_SET']);
    assert.equal((await reporter.report(grown)).checked, false);
    clock.advance(301_000);
    const refreshed = await reporter.report(grown);
    assert.deepEqual(refreshed, {
      checked: true,
      inventoryChanged: false,
      traitsChanged: true,
      aggregatesChanged: false,
    });
    // The operator's custom trait stays; the driver's traits are restored.
    assert.deepEqual([...(await client.getTraits(n.uuid))].sort(), [
      'COMPUTE_NET_ATTACH_INTERFACE',
      'CUSTOM_OPERATOR_SET',
      'HW_CPU_X86_AVX2',
    ]);
  });

  it('sets host aggregates when given; reportNode through a bare client is idempotent', async () => {
    const client = adminClient(p.url);
    const n = node();
    const agg = randomUUID();
    const r1 = await reportNode(client, n, [agg]);
    assert.equal(r1.aggregatesChanged, true);
    const r2 = await reportNode(client, n, [agg]);
    assert.deepEqual(r2, {
      checked: true,
      inventoryChanged: false,
      traitsChanged: false,
      aggregatesChanged: false,
    });
    const reporter = new ProviderReporter(client);
    await reportNode(reporter, n, [agg]);
    assert.equal((await reportNode(reporter, n, [agg])).checked, false);
    assert.equal((await reportNode(reporter, n, [agg, randomUUID()])).aggregatesChanged, true);
  });

  it('a renamed node renames its provider; a failed report is not remembered', async () => {
    const counting = countingFetch();
    const client = adminClient(p.url, { fetch: counting.fetch });
    const reporter = new ProviderReporter(client);
    const n = node();
    await reporter.report(n);
    await reporter.report({ ...n, nodename: `${n.nodename}-new` });
    assert.equal((await client.getProvider(n.uuid))?.name, `${n.nodename}-new`);
    const broken = { ...n, nodename: `${n.nodename}-new`, traits: ['NOT_A_TRAIT'] };
    await assert.rejects(reporter.report(broken));
    counting.calls.length = 0;
    await reporter.report({ ...n, nodename: `${n.nodename}-new` });
    assert.ok(counting.calls.length > 0, 'after a failure the next report checks placement again');
  });
});
