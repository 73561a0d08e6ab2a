import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/index.ts';
import { HOST } from '../config/test-support.ts';
import { FakeDriver } from './fake/driver.ts';
import { FakeHypervisorNetwork } from './fake/network.ts';
import { createVirtDriver, fakeHostNames, VIRT_DRIVERS } from './registry.ts';

describe('virt driver registry', () => {
  it('resolves upstream fake driver names', () => {
    for (const name of ['fake.FakeDriver', 'fake', 'nova.virt.fake.FakeDriver']) {
      const d = createVirtDriver(name, { host: 'c1' });
      assert.ok(d instanceof FakeDriver, name);
      assert.equal(d.name, 'fake');
      assert.deepEqual(d.nodeNames(), ['c1']);
    }
    assert.ok(Object.isFrozen(VIRT_DRIVERS));
  });

  it('names the known drivers when asked for an unknown one', () => {
    assert.throws(
      () => createVirtDriver('vmwareapi.VMwareVCDriver', { host: 'c1' }),
      /Unknown compute_driver 'vmwareapi\.VMwareVCDriver'\. Known drivers: fake, fake\.FakeDriver, libvirt\.LibvirtDriver, qemu\./,
    );
    assert.throws(() => createVirtDriver('toString', { host: 'c1' }), /Unknown compute_driver/);
  });

  it('takes reserved resources and ratios from [DEFAULT], initial ratios when unset', async () => {
    const { conf } = loadConfig({ env: {}, hostFacts: HOST });
    const d = createVirtDriver('fake', { host: 'c1', conf });
    const r = await d.availableResource('c1');
    assert.equal(r.inventory.MEMORY_MB?.reserved, 512);
    assert.equal(r.inventory.VCPU?.allocation_ratio, 4.0);
    assert.equal(r.inventory.MEMORY_MB?.allocation_ratio, 1.0);

    const set = loadConfig({
      env: {},
      hostFacts: HOST,
      overrides: [
        { group: 'DEFAULT', name: 'cpu_allocation_ratio', value: '16.0' },
        { group: 'DEFAULT', name: 'reserved_host_cpus', value: '2' },
      ],
    }).conf;
    const r2 = await createVirtDriver('fake', {
      host: 'c1',
      conf: set,
      fake: { vcpus: 8 },
    }).availableResource('c1');
    assert.equal(r2.inventory.VCPU?.allocation_ratio, 16.0);
    assert.equal(r2.inventory.VCPU?.reserved, 2);
    assert.equal(r2.vcpus, 8);
  });

  it('puts fake drivers of one process on a shared network', async () => {
    const fakeNetwork = new FakeHypervisorNetwork();
    for (const host of fakeHostNames('fake-host', 3)) createVirtDriver('fake', { host, fakeNetwork });
    assert.deepEqual(fakeNetwork.hosts(), ['fake-host-1', 'fake-host-2', 'fake-host-3']);
  });
});

describe('fakeHostNames', () => {
  it('derives numbered names from the base host', () => {
    assert.deepEqual(fakeHostNames('fake-host', 3), ['fake-host-1', 'fake-host-2', 'fake-host-3']);
    assert.deepEqual(fakeHostNames('compute', 1), ['compute-1']);
    assert.deepEqual(fakeHostNames('compute', 0), []);
    assert.throws(() => fakeHostNames('compute', -1), /whole number/);
    assert.throws(() => fakeHostNames('compute', 1.5), /whole number/);
    assert.throws(() => fakeHostNames('', 2), /empty/);
  });
});
