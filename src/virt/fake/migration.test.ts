import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveMigrationProgress } from '../driver.ts';
import { PowerState } from '../driver.ts';
import {
  InjectedFailure,
  InstanceExists,
  InstanceInvalidState,
  InstanceNotFound,
  UnableToMigrateToSelf,
} from '../errors.ts';
import { FakeDriver } from './driver.ts';
import { FakeHypervisorNetwork } from './network.ts';
import { move, spawned, stateOf } from './test-support.ts';

const { RUNNING, PAUSED, SHUTDOWN } = PowerState;

describe('FakeDriver cold migration and resize', () => {
  const pair = () => {
    const network = new FakeHypervisorNetwork();
    return { network, a: new FakeDriver({ host: 'a', network }), b: new FakeDriver({ host: 'b', network }) };
  };

  it('moves the guest with the new flavor; the source keeps its share until confirm', async () => {
    const { a, b } = pair();
    const i = await spawned(a);
    await a.migrateDiskAndPowerOff(i, move());
    assert.deepEqual(await a.listInstanceUuids(), []);
    assert.equal((await a.availableResource('a')).memory_mb_used, 2048);
    await b.finishMigration(i, move(), true);
    assert.equal(await stateOf(b, i), RUNNING);
    const rb = await b.availableResource('b');
    assert.deepEqual([rb.vcpus_used, rb.memory_mb_used, rb.local_gb_used], [4, 8192, 80]);
    await a.confirmMigration(i, move());
    assert.equal((await a.availableResource('a')).memory_mb_used, 0);
    await a.confirmMigration(i, move()); // nothing left: fine
  });

  it('finishes stopped when asked', async () => {
    const { a, b } = pair();
    const i = await spawned(a);
    await a.migrateDiskAndPowerOff(i, move());
    await b.finishMigration(i, move(), false);
    assert.equal(await stateOf(b, i), SHUTDOWN);
  });

  it('revert brings the original guest back on the source with its old flavor', async () => {
    const { a, b } = pair();
    const i = await spawned(a);
    await a.migrateDiskAndPowerOff(i, move());
    await b.finishMigration(i, move(), true);
    await b.destroy(i, true);
    await a.finishRevertMigration(i, move(), true);
    assert.equal(await stateOf(a, i), RUNNING);
    assert.equal((await a.availableResource('a')).memory_mb_used, 2048);
    assert.equal((await b.availableResource('b')).memory_mb_used, 0);
    await a.migrateDiskAndPowerOff(i, move());
    await a.finishRevertMigration(i, move(), false);
    assert.equal(await stateOf(a, i), SHUTDOWN);
  });

  it('refuses to finish a migration whose source never gave up the disks', async () => {
    const { a, b } = pair();
    const i = await spawned(a);
    await assert.rejects(b.finishMigration(i, move(), true), /not handed over by a/);
    await assert.rejects(b.getInfo(i), InstanceNotFound);
  });

  it('resizes on the same host', async () => {
    const d = new FakeDriver({ host: 'a' });
    const i = await spawned(d);
    const t = move({ destHost: 'a', destNode: 'a', sameHost: true });
    await d.migrateDiskAndPowerOff(i, t);
    await d.finishMigration(i, t, true);
    assert.equal(await stateOf(d, i), RUNNING);
    assert.equal((await d.availableResource('a')).memory_mb_used, 2048 + 8192);
    await d.confirmMigration(i, t);
    assert.equal((await d.availableResource('a')).memory_mb_used, 8192);
  });

  it('an injected failure of migrateDiskAndPowerOff leaves the guest running on the source', async () => {
    const { a } = pair();
    const i = await spawned(a);
    a.failNext('migrateDiskAndPowerOff');
    await assert.rejects(a.migrateDiskAndPowerOff(i, move()), InjectedFailure);
    assert.equal(await stateOf(a, i), RUNNING);
  });
});

describe('FakeDriver live migration', () => {
  const pair = (delayMs = 0) => {
    const network = new FakeHypervisorNetwork();
    const delays = { liveMigrate: delayMs };
    return {
      network,
      a: new FakeDriver({ host: 'a', network, delays }),
      b: new FakeDriver({ host: 'b', network, delays }),
    };
  };

  it('moves the running guest to the destination, reporting progress', async () => {
    const { network, a, b } = pair();
    assert.deepEqual(network.hosts(), ['a', 'b']);
    const i = await spawned(a);
    await b.preLiveMigration(i);
    const seen: LiveMigrationProgress[] = [];
    await a.liveMigrate(i, 'b', (p) => seen.push(p), new AbortController().signal);
    assert.ok(seen.length >= 1);
    const last = seen.at(-1);
    assert.equal(last?.memory_total, 2048 * 1024 * 1024);
    assert.equal(last?.memory_remaining, 0);
    assert.deepEqual(await a.listInstanceUuids(), []);
    assert.deepEqual(
      b.guests().map((g) => [g.uuid, g.state, g.node]),
      [[i.uuid, RUNNING, 'b']],
    );
    await b.postLiveMigrationAtDestination(i);
    assert.equal(await stateOf(b, i), RUNNING);
    assert.equal((await a.availableResource('a')).memory_mb_used, 0);
    assert.equal((await b.availableResource('b')).memory_mb_used, 2048);
  });

  it('keeps a paused guest paused', async () => {
    const { a, b } = pair();
    const i = await spawned(a);
    await a.pause(i);
    await a.liveMigrate(i, 'b', () => {}, new AbortController().signal);
    assert.equal(await stateOf(b, i), PAUSED);
  });

  it('an abort rejects with an AbortError and leaves the guest on the source', async () => {
    const { a, b } = pair(300);
    const i = await spawned(a);
    const ac = new AbortController();
    const seen: LiveMigrationProgress[] = [];
    const run = a.liveMigrate(
      i,
      'b',
      (p) => {
        seen.push(p);
        ac.abort();
      },
      ac.signal,
    );
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'AbortError');
      return true;
    });
    assert.equal(seen.length, 1);
    assert.equal(await stateOf(a, i), RUNNING);
    assert.deepEqual(await b.listInstanceUuids(), []);
  });

  it('an already aborted signal rejects at once', async () => {
    const { a } = pair();
    const i = await spawned(a);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      a.liveMigrate(i, 'b', () => {}, ac.signal),
      { name: 'AbortError' },
    );
    assert.equal(await stateOf(a, i), RUNNING);
  });

  it('force complete finishes a slow migration at once', async () => {
    const { a, b } = pair(60_000);
    const i = await spawned(a);
    const t0 = performance.now();
    const run = a.liveMigrate(i, 'b', () => {}, new AbortController().signal);
    await new Promise((r) => setTimeout(r, 20));
    await a.liveMigrationForceComplete(i);
    await run;
    assert.ok(performance.now() - t0 < 5_000);
    assert.equal(await stateOf(b, i), RUNNING);
  });

  it('fails for a destination that is not on the network, or a stopped guest', async () => {
    const { a } = pair();
    const i = await spawned(a);
    await assert.rejects(
      a.liveMigrate(i, 'zz', () => {}, new AbortController().signal),
      /host zz/,
    );
    await assert.rejects(
      a.liveMigrate(i, 'a', () => {}, new AbortController().signal),
      UnableToMigrateToSelf,
    );
    await a.powerOff(i, 0);
    await assert.rejects(
      a.liveMigrate(i, 'b', () => {}, new AbortController().signal),
      InstanceInvalidState,
    );
    assert.equal(await stateOf(a, i), SHUTDOWN);
  });

  it('an injected failure leaves the guest on the source', async () => {
    const { a, b } = pair();
    const i = await spawned(a);
    a.failNext('liveMigrate');
    await assert.rejects(
      a.liveMigrate(i, 'b', () => {}, new AbortController().signal),
      InjectedFailure,
    );
    assert.equal(await stateOf(a, i), RUNNING);
    assert.deepEqual(await b.listInstanceUuids(), []);
  });

  it('the destination refuses a guest it already has', async () => {
    const { a, b } = pair();
    const i = await spawned(a);
    b.addGuest({ uuid: i.uuid });
    await assert.rejects(b.preLiveMigration(i), InstanceExists);
    await assert.rejects(
      a.liveMigrate(i, 'b', () => {}, new AbortController().signal),
      InstanceExists,
    );
    assert.equal(await stateOf(a, i), RUNNING);
  });

  it('without a network the guest leaves the source and the destination defines it afterwards', async () => {
    const a = new FakeDriver({ host: 'a' });
    const b = new FakeDriver({ host: 'b' });
    const i = await spawned(a);
    await a.liveMigrate(i, 'b', () => {}, new AbortController().signal);
    await assert.rejects(a.getInfo(i), InstanceNotFound);
    await b.postLiveMigrationAtDestination(i);
    assert.equal(await stateOf(b, i), RUNNING);
  });

  it('two drivers cannot claim one host on a network', () => {
    const network = new FakeHypervisorNetwork();
    new FakeDriver({ host: 'a', network });
    assert.throws(() => new FakeDriver({ host: 'a', network }), /already served/);
  });
});
