import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../common/log.ts';
import { eventKey, InstanceEvents, prepareVifWait, vifPluggedWaits } from './instance-events.ts';

const log = silentLogger();

describe('waiting for network-vif-plugged', () => {
  it('the wait ends when every port’s event came; an event nobody waits for is dropped', async () => {
    const ev = new InstanceEvents();
    const w = prepareVifWait(ev, 'vm', ['p1', 'p2'], { timeoutS: 5, fatal: true, log });
    assert.ok(w);
    assert.deepEqual(ev.pending('vm').sort(), ['network-vif-plugged-p1', 'network-vif-plugged-p2']);
    let done = false;
    const waiting = w().then(() => {
      done = true;
    });
    assert.equal(ev.pop('vm', eventKey('network-vif-plugged', 'p1'), 'completed'), true);
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'one port is still not wired');
    assert.equal(ev.pop('vm', eventKey('network-vif-plugged', 'p3'), 'completed'), false);
    ev.pop('vm', eventKey('network-vif-plugged', 'p2'), 'completed');
    await waiting;
    assert.deepEqual(ev.pending('vm'), []);
  });

  it('an event that came before the wait started still counts (prepared before the plug)', async () => {
    const ev = new InstanceEvents();
    const w = prepareVifWait(ev, 'vm', ['p1'], { timeoutS: 5, fatal: true, log });
    ev.pop('vm', 'network-vif-plugged-p1', 'completed');
    await w?.();
  });

  it('ports the network service already has ACTIVE are not waited for (a rebuild’s new tap on a wired port)', async () => {
    const ev = new InstanceEvents();
    const w = prepareVifWait(ev, 'vm', ['p1', 'p2'], {
      timeoutS: 0.2,
      fatal: true,
      log,
      activeNow: async (ids) => ids.filter((p) => p === 'p1'),
    });
    const waiting = w?.();
    ev.pop('vm', 'network-vif-plugged-p2', 'completed');
    await waiting;
  });

  it('timeout: fatal fails with VirtualInterfaceCreateException, not fatal goes on', async () => {
    const ev = new InstanceEvents();
    const fatal = prepareVifWait(ev, 'vm', ['p1'], { timeoutS: 0.05, fatal: true, log });
    await assert.rejects(fatal?.() as Promise<void>, {
      name: 'VirtualInterfaceCreateException',
      message: 'Virtual Interface creation failed',
    });
    assert.deepEqual(ev.pending('vm'), [], 'the waiters are gone after a timeout');
    const lenient = prepareVifWait(ev, 'vm', ['p1'], { timeoutS: 0.05, fatal: false, log });
    await lenient?.();
  });

  it('a failed event is fatal when vif_plugging_is_fatal', async () => {
    const ev = new InstanceEvents();
    const w = prepareVifWait(ev, 'vm', ['p1'], { timeoutS: 5, fatal: true, log });
    ev.pop('vm', 'network-vif-plugged-p1', 'failed');
    await assert.rejects(w?.() as Promise<void>, { name: 'VirtualInterfaceCreateException' });
  });

  it('vif_plugging_timeout = 0 or no ports: nothing to wait for', () => {
    const ev = new InstanceEvents();
    assert.equal(prepareVifWait(ev, 'vm', [], { timeoutS: 300, fatal: true, log }), undefined);
    assert.equal(vifPluggedWaits(ev, 'vm', { timeoutS: 0, fatal: true, log }), undefined);
    assert.equal(vifPluggedWaits(undefined, 'vm', { timeoutS: 300, fatal: true, log }), undefined);
  });
});
