import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestSpec } from '../scheduler/host-selection-test-support.ts';
import type { RequestSpec } from '../scheduler/types.ts';
import { candidatesQuery, resourceRequest } from './candidates-query.ts';

const flavor = (over: Partial<RequestSpec['flavor']> = {}, extra_specs?: Record<string, string>) =>
  requestSpec({
    flavor: {
      name: 'f',
      flavorid: 'f',
      vcpus: 2,
      memory_mb: 1024,
      root_gb: 10,
      ephemeral_gb: 5,
      swap: 1500,
      ...over,
      ...(extra_specs ? { extra_specs } : {}),
    },
  });

const q = (spec: RequestSpec, opts = {}) => Object.fromEntries(candidatesQuery(spec, opts));
const all = (spec: RequestSpec, opts = {}) => [...candidatesQuery(spec, opts)];

describe('candidatesQuery', () => {
  it('flavor resources: disk = root + ephemeral + swap rounded up to GB; no root disk when volume-backed', () => {
    assert.deepEqual(q(flavor()), { resources: 'DISK_GB:17,MEMORY_MB:1024,VCPU:2' });
    assert.deepEqual(q({ ...flavor(), is_bfv: true }), { resources: 'DISK_GB:7,MEMORY_MB:1024,VCPU:2' });
    assert.deepEqual(q({ ...flavor({ ephemeral_gb: 0, swap: 0 }), is_bfv: true }), {
      resources: 'MEMORY_MB:1024,VCPU:2',
    });
  });

  it('resources:<RC> extra specs override, add, and remove with 0; invalid amounts are ignored', () => {
    const spec = flavor(
      {},
      {
        'resources:VCPU': '0',
        'resources:PCPU': '2',
        'resources:DISK_GB': '0',
        'resources:CUSTOM_GOLD': '1',
        'resources:MEMORY_MB': 'lots',
      },
    );
    assert.deepEqual(q(spec), { resources: 'CUSTOM_GOLD:1,MEMORY_MB:1024,PCPU:2' });
  });

  it('traits from flavor extra specs and image properties; the flavor wins a clash', () => {
    const spec = flavor(
      {},
      { 'trait:HW_CPU_X86_AVX2': 'required', 'trait:CUSTOM_SLOW': 'forbidden', 'trait:X': 'maybe' },
    );
    const withImage: RequestSpec = {
      ...spec,
      image: {
        ...spec.image,
        properties: { 'trait:COMPUTE_NET_VIF_MODEL_VIRTIO': 'required', 'trait:CUSTOM_SLOW': 'required' },
      },
    };
    assert.equal(q(withImage).required, 'COMPUTE_NET_VIF_MODEL_VIRTIO,HW_CPU_X86_AVX2,!CUSTOM_SLOW');
  });

  it('aggregates (any-of lists), forbidden aggregates, forced node in_tree, and the limit', () => {
    const spec: RequestSpec = {
      ...flavor(),
      requested_destination: { aggregates: ['a2,a1', 'a3'], forbidden_aggregates: ['f2', 'f1'] },
    };
    assert.deepEqual(all(spec, { conf: { scheduler: { max_placement_results: 50 } }, forcedNodes: ['n1'] }), [
      ['in_tree', 'n1'],
      ['limit', '50'],
      ['member_of', '!in:f1,f2'],
      ['member_of', 'in:a1,a2'],
      ['member_of', 'in:a3'],
      ['resources', 'DISK_GB:17,MEMORY_MB:1024,VCPU:2'],
    ]);
    // Several nodes on a forced host: no in_tree, and no limit that could cut one off.
    const many = q(spec, { limit: 5, forcedNodes: ['n1', 'n2'] });
    assert.equal(many.in_tree, undefined);
    assert.equal(many.limit, undefined);
  });

  it('granular groups with their traits and group_policy', () => {
    const spec = flavor(
      {},
      {
        'resources1:SRIOV_NET_VF': '1',
        'trait1:CUSTOM_PHYSNET_A': 'required',
        'resources2:SRIOV_NET_VF': '1',
        'trait2:CUSTOM_PHYSNET_B': 'required',
        'resources_ACCEL:FPGA': '1',
        group_policy: 'isolate',
      },
    );
    assert.deepEqual(q(spec), {
      group_policy: 'isolate',
      resources: 'DISK_GB:17,MEMORY_MB:1024,VCPU:2',
      resources1: 'SRIOV_NET_VF:1',
      required1: 'CUSTOM_PHYSNET_A',
      resources2: 'SRIOV_NET_VF:1',
      required2: 'CUSTOM_PHYSNET_B',
      resources_ACCEL: 'FPGA:1',
    });
    // A class asked in a numbered group is not added again to the unsuffixed one.
    const r = resourceRequest(flavor({}, { 'resources1:VCPU': '2' }));
    assert.deepEqual(
      r.groups.map((g) => [g.suffix, g.resources]),
      [
        ['', { MEMORY_MB: 1024, DISK_GB: 17 }],
        ['1', { VCPU: 2 }],
      ],
    );
    assert.equal(resourceRequest(flavor({}, { group_policy: 'bogus' })).groupPolicy, undefined);
  });

  it('everything in numbered groups: tree and aggregate limits move to each group', () => {
    const spec: RequestSpec = {
      ...flavor(
        { vcpus: 0, memory_mb: 0, root_gb: 0, ephemeral_gb: 0, swap: 0 },
        { 'resources1:VCPU': '1', 'resources2:MEMORY_MB': '64', group_policy: 'none' },
      ),
      requested_destination: { aggregates: ['a1'] },
    };
    const params = q(spec, { forcedNodes: ['n1'] });
    assert.equal(params.resources, undefined);
    assert.equal(params.in_tree1, 'n1');
    assert.equal(params.in_tree2, 'n1');
    assert.equal(params.member_of1, 'in:a1');
    assert.equal(params.member_of2, 'in:a1');
  });
});
