import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FILTERS } from './filters/index.ts';
import { filterHosts, normalise, pickHosts, type WeighedHost, weighHosts } from './host-selection.ts';
import { aggregate, ctxWith, hostState, requestSpec } from './host-selection-test-support.ts';
import type { HostFilter, HostWeigher } from './types.ts';
import { WEIGHERS } from './weighers/index.ts';

const ctx = ctxWith();
const names = (hs: readonly { host: string }[]) => hs.map((h) => h.host);

describe('filterHosts', () => {
  const a = hostState({ host: 'a' });
  const b = hostState({ host: 'b', service_up: false });
  const c = hostState({ host: 'c', availability_zone: 'az1' });
  it('keeps hosts every filter passes, in order', () => {
    const out = filterHosts([a, b, c], requestSpec(), [FILTERS.ComputeFilter], ctx);
    assert.deepEqual(names(out), ['a', 'c']);
    const az = filterHosts(
      [a, b, c],
      requestSpec({ availability_zone: 'az1' }),
      [FILTERS.ComputeFilter, FILTERS.AvailabilityZoneFilter],
      ctx,
    );
    assert.deepEqual(names(az), ['c']);
  });
  it('stops calling filters once no host is left', () => {
    let calls = 0;
    const counting: HostFilter = {
      name: 'Counting',
      hostPasses: () => {
        calls++;
        return true;
      },
    };
    const none: HostFilter = { name: 'None', hostPasses: () => false };
    assert.deepEqual(filterHosts([a, c], requestSpec(), [none, counting], ctx), []);
    assert.equal(calls, 0);
  });
  it('on a rebuild runs only filters marked runOnRebuild', () => {
    const rebuild = requestSpec({ operation: 'rebuild' });
    assert.deepEqual(names(filterHosts([a, b], rebuild, [FILTERS.ComputeFilter], ctx)), ['a', 'b']);
    const hinted = requestSpec({ scheduler_hints: { _nova_check_type: ['rebuild'] } });
    assert.deepEqual(names(filterHosts([a, b], hinted, [FILTERS.ComputeFilter], ctx)), ['a', 'b']);
    const strict: HostFilter = { name: 'Strict', runOnRebuild: true, hostPasses: (h) => h.host === 'a' };
    assert.deepEqual(names(filterHosts([a, b], rebuild, [strict], ctx)), ['a']);
  });
});

describe('normalise', () => {
  it('scales to 0..1 by min and max', () => assert.deepEqual(normalise([2, 4, 6]), [0, 0.5, 1]));
  it('gives 0s when all are equal', () => assert.deepEqual(normalise([3, 3]), [0, 0]));
  it('uses given bounds', () => assert.deepEqual(normalise([50, 100], 0), [0.5, 1]));
});

describe('weighHosts', () => {
  const small = hostState({ host: 'small', free_ram_mb: 1000, num_io_ops: 0 });
  const big = hostState({ host: 'big', free_ram_mb: 4000, num_io_ops: 4 });
  const mid = hostState({ host: 'mid', free_ram_mb: 2000, num_io_ops: 1 });
  it('sums multiplier times normalised weight, best first', () => {
    const out = weighHosts([small, big, mid], requestSpec(), [WEIGHERS.RAMWeigher], ctx);
    assert.deepEqual(names(out.map((w) => w.host)), ['big', 'mid', 'small']);
    // RAMWeigher normalises against 0 (its minval): 4000 → 1, 2000 → 0.5, 1000 → 0.25.
    assert.deepEqual(
      out.map((w) => w.weight),
      [1, 0.5, 0.25],
    );
  });
  it('combines weighers, negative multipliers inverting', () => {
    const c = ctxWith({ ram_weight_multiplier: 1, io_ops_weight_multiplier: -2 });
    const out = weighHosts([small, big, mid], requestSpec(), [WEIGHERS.RAMWeigher, WEIGHERS.IoOpsWeigher], c);
    // small: 0.25 - 0 = 0.25; big: 1 - 2 = -1; mid: 0.5 - 0.5 = 0.
    assert.deepEqual(names(out.map((w) => w.host)), ['small', 'mid', 'big']);
    assert.deepEqual(
      out.map((w) => w.weight),
      [0.25, 0, -1],
    );
  });
  it('normalises by the hosts min/max without minval, all-equal giving 0', () => {
    const w: HostWeigher = { name: 'V', multiplier: () => 1, weigh: (h) => h.free_ram_mb };
    assert.deepEqual(
      weighHosts([small, big, mid], requestSpec(), [w], ctx).map((x) => x.weight),
      [1, 1 / 3, 0],
    );
    const flat: HostWeigher = { name: 'F', multiplier: () => 5, weigh: () => 7 };
    assert.deepEqual(
      weighHosts([small, big], requestSpec(), [flat], ctx).map((x) => x.weight),
      [0, 0],
    );
  });
  it('applies per-host aggregate multipliers', () => {
    const capped = hostState({
      host: 'big',
      free_ram_mb: 4000,
      aggregates: [aggregate({ ram_weight_multiplier: '0' })],
    });
    const out = weighHosts([small, capped], requestSpec(), [WEIGHERS.RAMWeigher], ctx);
    assert.deepEqual(names(out.map((w) => w.host)), ['small', 'big']);
  });
  it('gives a lone host weight 0, and no hosts nothing', () => {
    assert.deepEqual(weighHosts([big], requestSpec(), [WEIGHERS.RAMWeigher], ctx), [
      { host: big, weight: 0 },
    ]);
    assert.deepEqual(weighHosts([], requestSpec(), [WEIGHERS.RAMWeigher], ctx), []);
  });
  it('a build failure outweighs free RAM with the default multipliers', () => {
    const failed = hostState({ host: 'big', free_ram_mb: 4000, failed_builds: 1 });
    const out = weighHosts(
      [small, failed],
      requestSpec(),
      [WEIGHERS.RAMWeigher, WEIGHERS.BuildFailureWeigher],
      ctx,
    );
    assert.equal(out[0].host.host, 'small');
  });
});

describe('pickHosts', () => {
  const w = (host: string, weight: number): WeighedHost => ({ host: hostState({ host }), weight });
  const weighed = [w('a', 3), w('b', 2), w('c', 2), w('d', 1)];
  it('with subset size 1 returns the weight order', () =>
    assert.deepEqual(names(pickHosts(weighed, 1, false, () => 0.99)), ['a', 'b', 'c', 'd']));
  it('picks the first host at random within the subset, the rest by weight', () => {
    assert.deepEqual(names(pickHosts(weighed, 3, false, () => 0.7)), ['c', 'a', 'b', 'd']);
    assert.deepEqual(names(pickHosts(weighed, 10, false, () => 0.99)), ['d', 'a', 'b', 'c']);
  });
  it('shuffles hosts tied for the best weight', () => {
    const tied = [w('a', 2), w('b', 2), w('c', 1)];
    const seen = new Set<string>();
    for (const r of [0, 0.4, 0.9]) {
      const out = names(pickHosts(tied, 1, true, () => r));
      assert.equal(out[2], 'c');
      seen.add(out[0]);
    }
    assert.deepEqual([...seen].sort(), ['a', 'b']);
  });
  it('returns nothing for no hosts', () => assert.deepEqual(pickHosts([], 1, true), []));
});
