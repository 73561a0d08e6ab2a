import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregate,
  ctxWith,
  hostState,
  requestSpec,
  withImageProps,
} from '../host-selection-test-support.ts';
import type { RequestGroupInfo } from '../types.ts';
import { resolveWeighers, WEIGHERS } from './index.ts';

const ctx = ctxWith();
const spec = requestSpec();
const group = (policy: string, members: string[]): RequestGroupInfo => ({
  uuid: 'g1',
  policy,
  rules: {},
  hosts: [],
  members,
});

describe('raw weights', () => {
  const h = hostState({
    free_ram_mb: 1000,
    free_disk_mb: 2000,
    vcpus_total: 8,
    cpu_allocation_ratio: 2,
    vcpus_used: 5,
    num_io_ops: 3,
    num_instances: 7,
    hypervisor_version: 6002000,
    failed_builds: 2,
  });
  it('read the host', () => {
    assert.equal(WEIGHERS.RAMWeigher.weigh(h, spec, ctx), 1000);
    assert.equal(WEIGHERS.DiskWeigher.weigh(h, spec, ctx), 2000);
    assert.equal(WEIGHERS.CPUWeigher.weigh(h, spec, ctx), 11);
    assert.equal(WEIGHERS.IoOpsWeigher.weigh(h, spec, ctx), 3);
    assert.equal(WEIGHERS.NumInstancesWeigher.weigh(h, spec, ctx), 7);
    assert.equal(WEIGHERS.HypervisorVersionWeigher.weigh(h, spec, ctx), 6002000);
    assert.equal(WEIGHERS.BuildFailureWeigher.weigh(h, spec, ctx), 2);
  });
  it('free-resource weighers are bounded below by 0', () => {
    for (const n of ['RAMWeigher', 'DiskWeigher', 'CPUWeigher', 'IoOpsWeigher'])
      assert.equal(WEIGHERS[n].minval, 0);
  });
});

describe('server group soft (anti-)affinity', () => {
  const h = hostState({ instances: ['m1', 'm2', 'other'] });
  it('counts group members on the host for the matching policy', () => {
    const soft = requestSpec({ instance_group: group('soft-affinity', ['m1', 'm2', 'm3']) });
    assert.equal(WEIGHERS.ServerGroupSoftAffinityWeigher.weigh(h, soft, ctx), 2);
    assert.equal(WEIGHERS.ServerGroupSoftAntiAffinityWeigher.weigh(h, soft, ctx), 0);
    const anti = requestSpec({ instance_group: group('soft-anti-affinity', ['m1']) });
    assert.equal(WEIGHERS.ServerGroupSoftAntiAffinityWeigher.weigh(h, anti, ctx), -1);
    assert.equal(WEIGHERS.ServerGroupSoftAffinityWeigher.weigh(h, anti, ctx), 0);
    assert.equal(WEIGHERS.ServerGroupSoftAffinityWeigher.weigh(h, spec, ctx), 0);
  });
});

describe('CrossCellWeigher', () => {
  const w = WEIGHERS.CrossCellWeigher;
  const inCell = hostState({ cell_uuid: 'c1' });
  const elsewhere = hostState({ cell_uuid: 'c2' });
  it('prefers the source cell for moves', () => {
    const move = requestSpec({ operation: 'resize', source_cell_uuid: 'c1' });
    assert.equal(w.weigh(inCell, move, ctx), 1);
    assert.equal(w.weigh(elsewhere, move, ctx), -1);
  });
  it('uses requested_destination.cell_uuid for a cross-cell move', () => {
    const move = requestSpec({ requested_destination: { cell_uuid: 'c2', allow_cross_cell_move: true } });
    assert.equal(w.weigh(elsewhere, move, ctx), 1);
  });
  it('weighs 0 for builds', () => {
    assert.equal(w.weigh(inCell, requestSpec({ operation: 'build', source_cell_uuid: 'c1' }), ctx), 0);
    assert.equal(w.weigh(inCell, spec, ctx), 0);
  });
});

describe('ImagePropertiesWeigher', () => {
  const w = WEIGHERS.ImagePropertiesWeigher;
  const h = hostState({
    instance_image_properties: [{ os_distro: 'ubuntu', hw_disk_bus: 'virtio' }, { os_distro: 'ubuntu' }, {}],
  });
  const req = withImageProps({ os_distro: 'ubuntu', hw_disk_bus: 'virtio', other: 'x' });
  it('counts shared (property, value) pairs over the instances', () =>
    assert.equal(w.weigh(h, req, ctxWith({ image_props_weight_multiplier: 1 })), 3));
  it('weighs 0 without data or with the multiplier at 0', () => {
    assert.equal(w.weigh(hostState(), req, ctxWith({ image_props_weight_multiplier: 1 })), 0);
    assert.equal(w.weigh(h, req, ctx), 0);
  });
});

describe('multipliers', () => {
  it('come from the options', () => {
    const c = ctxWith({ ram_weight_multiplier: 2.5, io_ops_weight_multiplier: -3 });
    assert.equal(WEIGHERS.RAMWeigher.multiplier(hostState(), c), 2.5);
    assert.equal(WEIGHERS.IoOpsWeigher.multiplier(hostState(), c), -3);
    assert.equal(WEIGHERS.CrossCellWeigher.multiplier(hostState(), ctx), 1000000);
  });
  it('BuildFailureWeigher negates its option', () =>
    assert.equal(WEIGHERS.BuildFailureWeigher.multiplier(hostState(), ctx), -1000000));
  it('aggregate metadata of the same name overrides them, the smallest winning', () => {
    const h = hostState({
      aggregates: [aggregate({ ram_weight_multiplier: '3' }), aggregate({ ram_weight_multiplier: '-0.5' })],
    });
    assert.equal(WEIGHERS.RAMWeigher.multiplier(h, ctx), -0.5);
    assert.equal(WEIGHERS.CPUWeigher.multiplier(h, ctx), 1);
    const bf = hostState({ aggregates: [aggregate({ build_failure_weight_multiplier: '10' })] });
    assert.equal(WEIGHERS.BuildFailureWeigher.multiplier(bf, ctx), -10);
  });
  it('an unparsable aggregate value leaves the option in force', () => {
    const h = hostState({ aggregates: [aggregate({ disk_weight_multiplier: 'big' })] });
    assert.equal(WEIGHERS.DiskWeigher.multiplier(h, ctxWith({ disk_weight_multiplier: 4 })), 4);
  });
});

describe('weigher registry', () => {
  it('all_weighers (the default weight_classes) is every weigher', () => {
    const all = resolveWeighers(ctx.conf.filter_scheduler.weight_classes);
    assert.deepEqual(all.map((w) => w.name).sort(), Object.keys(WEIGHERS).sort());
  });
  it('resolves plain and dotted names', () => {
    const ws = resolveWeighers(['nova.scheduler.weights.ram.RAMWeigher', 'CPUWeigher']);
    assert.deepEqual(
      ws.map((w) => w.name),
      ['RAMWeigher', 'CPUWeigher'],
    );
  });
  it('names an unknown weigher', () =>
    assert.throws(
      () => resolveWeighers(['nova.scheduler.weights.metrics.MetricsWeigher']),
      /MetricsWeigher/,
    ));
  it('is frozen and keyed by name', () => {
    assert.ok(Object.isFrozen(WEIGHERS));
    for (const [k, w] of Object.entries(WEIGHERS)) assert.equal(k, w.name);
  });
});
