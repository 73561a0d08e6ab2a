import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.ts';
import { NotFound } from '../../faults/fault.ts';
import { PowerState } from '../driver.ts';
import { InjectedFailure, InstanceExists, InstanceInvalidState, InstanceNotFound } from '../errors.ts';
import { FakeDriver } from './driver.ts';
import { flavor, inst, move, spawned, stateOf } from './test-support.ts';

const { RUNNING, PAUSED, SHUTDOWN, SUSPENDED, CRASHED } = PowerState;

describe('FakeDriver power states', () => {
  it('spawn runs the guest and lists it; a second spawn of the same uuid conflicts', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    assert.equal(await stateOf(d, i), RUNNING);
    assert.deepEqual(await d.listInstanceUuids(), [i.uuid]);
    assert.deepEqual(d.guests(), [
      { uuid: i.uuid, name: i.name, state: RUNNING, node: 'h1', rescued: false },
    ]);
    await assert.rejects(d.spawn(i, {}), InstanceExists);
  });

  it('power off, power on, pause, unpause, suspend, resume', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    await d.powerOff(i, 60);
    assert.equal(await stateOf(d, i), SHUTDOWN);
    await d.powerOff(i, 0); // already off: nothing happens
    assert.equal(await stateOf(d, i), SHUTDOWN);
    await d.powerOn(i);
    assert.equal(await stateOf(d, i), RUNNING);
    await d.pause(i);
    assert.equal(await stateOf(d, i), PAUSED);
    await d.unpause(i);
    assert.equal(await stateOf(d, i), RUNNING);
    await d.suspend(i);
    assert.equal(await stateOf(d, i), SUSPENDED);
    await d.resume(i);
    assert.equal(await stateOf(d, i), RUNNING);
    await d.pause(i);
    await d.suspend(i); // a paused guest can be suspended too
    assert.equal(await stateOf(d, i), SUSPENDED);
  });

  it('refuses transitions a hypervisor would refuse', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    await assert.rejects(d.unpause(i), InstanceInvalidState);
    await assert.rejects(d.resume(i), InstanceInvalidState);
    await d.powerOff(i, 0);
    await assert.rejects(d.pause(i), (e: unknown) => {
      assert.ok(e instanceof InstanceInvalidState);
      assert.equal(e.status, 400);
      assert.match(e.message, /power_state shutdown\. Cannot pause/);
      return true;
    });
    await assert.rejects(d.suspend(i), InstanceInvalidState);
    await assert.rejects(d.setAdminPassword(i, 'pw'), InstanceInvalidState);
    await assert.rejects(d.triggerCrashDump(i), InstanceInvalidState);
    assert.equal(await stateOf(d, i), SHUTDOWN);
  });

  it('reboot (soft or hard) leaves the guest running from any state', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    await d.reboot(i, 'SOFT');
    assert.equal(await stateOf(d, i), RUNNING);
    await d.powerOff(i, 0);
    await d.reboot(i, 'SOFT');
    assert.equal(await stateOf(d, i), RUNNING);
    await d.pause(i);
    await d.reboot(i, 'HARD');
    assert.equal(await stateOf(d, i), RUNNING);
    assert.match(await d.getConsoleOutput(i), /hard reboot/);
  });

  it('rescue keeps the guest running and remembers it; unrescue clears it', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    await d.rescue(i, { min_ram: 0, min_disk: 0, properties: {} }, 'secret');
    assert.equal(await stateOf(d, i), RUNNING);
    assert.equal(d.guests()[0]?.rescued, true);
    await assert.rejects(
      d.rescue(i, { min_ram: 0, min_disk: 0, properties: {} }, null),
      InstanceInvalidState,
    );
    await d.unrescue(i);
    assert.equal(d.guests()[0]?.rescued, false);
    assert.equal(await stateOf(d, i), RUNNING);
    await assert.rejects(d.unrescue(i), InstanceInvalidState);
    await d.powerOff(i, 0);
    await d.rescue(i, { min_ram: 0, min_disk: 0, properties: {} }, null); // a stopped guest boots rescued
    assert.equal(await stateOf(d, i), RUNNING);
  });

  it('destroy removes the guest; destroying a missing guest is fine', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    await d.destroy(i, true);
    assert.deepEqual(await d.listInstanceUuids(), []);
    await assert.rejects(d.getInfo(i), InstanceNotFound);
    await d.destroy(i, true);
  });

  it("crashGuest stops a guest behind nova's back; addGuest adds one nova does not know", async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    d.crashGuest(i.uuid);
    assert.equal(await stateOf(d, i), SHUTDOWN);
    d.crashGuest(i.uuid, CRASHED);
    assert.equal(await stateOf(d, i), CRASHED);
    assert.throws(() => d.crashGuest('nope'), InstanceNotFound);
    d.addGuest({ uuid: 'stray-1' });
    d.addGuest({ uuid: 'stray-2', state: PAUSED });
    assert.deepEqual(await d.listInstanceUuids(), [i.uuid, 'stray-1', 'stray-2']);
    assert.equal(d.guests().find((g) => g.uuid === 'stray-2')?.state, PAUSED);
    assert.throws(() => d.addGuest({ uuid: 'stray-1' }), InstanceExists);
    const r = await d.availableResource('h1');
    assert.equal(r.memory_mb_used, 2048 + 512 + 512);
  });
});

describe('FakeDriver unknown guests', () => {
  it('every guest operation throws the typed InstanceNotFound (404)', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = inst();
    const img = { min_ram: 0, min_disk: 0, properties: {} };
    const calls: [string, () => Promise<unknown>][] = [
      ['getInfo', () => d.getInfo(i)],
      ['powerOff', () => d.powerOff(i, 0)],
      ['powerOn', () => d.powerOn(i)],
      ['reboot', () => d.reboot(i, 'HARD')],
      ['pause', () => d.pause(i)],
      ['unpause', () => d.unpause(i)],
      ['suspend', () => d.suspend(i)],
      ['resume', () => d.resume(i)],
      ['rescue', () => d.rescue(i, img, null)],
      ['unrescue', () => d.unrescue(i)],
      ['snapshot', () => d.snapshot(i, { upload: async () => {} })],
      ['migrateDiskAndPowerOff', () => d.migrateDiskAndPowerOff(i, move())],
      ['liveMigrate', () => d.liveMigrate(i, 'b', () => {}, new AbortController().signal)],
      ['liveMigrationForceComplete', () => d.liveMigrationForceComplete(i)],
      ['getConsoleOutput', () => d.getConsoleOutput(i)],
      ['getVncConsole', () => d.getVncConsole(i)],
      ['getSerialConsole', () => d.getSerialConsole(i)],
      ['setAdminPassword', () => d.setAdminPassword(i, 'x')],
      ['triggerCrashDump', () => d.triggerCrashDump(i)],
      ['getDiagnostics', () => d.getDiagnostics(i)],
    ];
    for (const [op, call] of calls)
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(e instanceof InstanceNotFound, op);
        assert.ok(e instanceof NotFound, op);
        assert.equal(e.status, 404);
        assert.equal(e.code, 'nova.instance_not_found');
        assert.equal(e.message, `Instance ${i.uuid} could not be found.`);
        return true;
      });
  });
});

describe('FakeDriver resources', () => {
  it('reports sizes, reserved amounts, upstream initial ratios, traits and supported instances', async () => {
    const d = new FakeDriver({ host: 'h1', reservedHostMemoryMb: 512, reservedHostDiskMb: 1500 });
    assert.deepEqual(d.nodeNames(), ['h1']);
    const r = await d.availableResource('h1');
    assert.equal(r.nodename, 'h1');
    assert.equal(r.hypervisor_type, 'fake');
    assert.equal(r.vcpus, 64);
    assert.equal(r.memory_mb, 128 * 1024);
    assert.equal(r.local_gb, 2048);
    assert.deepEqual([r.vcpus_used, r.memory_mb_used, r.local_gb_used], [0, 512, 1]);
    assert.deepEqual(r.inventory.VCPU, {
      total: 64,
      reserved: 0,
      min_unit: 1,
      max_unit: 64,
      step_size: 1,
      allocation_ratio: 4.0,
    });
    assert.equal(r.inventory.MEMORY_MB?.reserved, 512);
    assert.equal(r.inventory.MEMORY_MB?.allocation_ratio, 1.0);
    assert.equal(r.inventory.DISK_GB?.reserved, 2); // 1500 MB rounds up to 2 GB
    assert.equal(r.inventory.DISK_GB?.allocation_ratio, 1.0);
    assert.ok(r.traits.includes('COMPUTE_NODE'));
    assert.ok(r.traits.some((t) => t.startsWith('COMPUTE_IMAGE_TYPE_')));
    assert.deepEqual(r.supported_instances, [
      ['x86_64', 'fake', 'hvm'],
      ['i686', 'fake', 'hvm'],
    ]);
    assert.match(r.uuid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal((await new FakeDriver({ host: 'h1' }).availableResource('h1')).uuid, r.uuid);
    assert.notEqual((await new FakeDriver({ host: 'h2' }).availableResource('h2')).uuid, r.uuid);
    await assert.rejects(d.availableResource('other'), /not served by this fake driver/);
  });

  it('takes the given ratios, sizes and extra traits', async () => {
    const d = new FakeDriver({
      host: 'h1',
      vcpus: 8,
      memoryMb: 16384,
      localGb: 100,
      hypervisorVersion: 2000,
      reservedHostCpus: 2,
      cpuAllocationRatio: 16.0,
      ramAllocationRatio: 1.5,
      diskAllocationRatio: 2.0,
      extraTraits: ['CUSTOM_FAST'],
    });
    const r = await d.availableResource('h1');
    assert.deepEqual([r.vcpus, r.memory_mb, r.local_gb, r.hypervisor_version], [8, 16384, 100, 2000]);
    assert.deepEqual(
      [
        r.inventory.VCPU?.allocation_ratio,
        r.inventory.MEMORY_MB?.allocation_ratio,
        r.inventory.DISK_GB?.allocation_ratio,
      ],
      [16.0, 1.5, 2.0],
    );
    assert.equal(r.inventory.VCPU?.reserved, 2);
    assert.equal(r.vcpus_used, 2);
    assert.ok(r.traits.includes('CUSTOM_FAST'));
  });

  it('sums usage over the guests of each node', async () => {
    const d = new FakeDriver({ host: 'h1', nodes: ['n1', 'n2'] });
    await spawned(
      d,
      inst({ flavor: flavor({ vcpus: 2, memory_mb: 1024, root_gb: 10, ephemeral_gb: 5, swap: 2048 }) }),
    );
    await spawned(d, inst({ flavor: flavor({ vcpus: 4, memory_mb: 4096, root_gb: 40 }) }));
    const onN2 = await spawned(
      d,
      inst({ node: 'n2', flavor: flavor({ vcpus: 1, memory_mb: 512, root_gb: 1 }) }),
    );
    const n1 = await d.availableResource('n1');
    assert.deepEqual([n1.vcpus_used, n1.memory_mb_used, n1.local_gb_used], [6, 5120, 57]);
    assert.equal(n1.disk_available_least, 2048 - 57);
    const n2 = await d.availableResource('n2');
    assert.deepEqual([n2.vcpus_used, n2.memory_mb_used, n2.local_gb_used], [1, 512, 1]);
    await d.destroy(onN2, true);
    assert.equal((await d.availableResource('n2')).vcpus_used, 0);
  });

  it('takes its host and node from init when not given', async () => {
    const d = new FakeDriver();
    assert.deepEqual(d.nodeNames(), []);
    await assert.rejects(d.spawn(inst(), {}), /no host yet/);
    await d.init('late-host');
    assert.equal(d.host, 'late-host');
    assert.deepEqual(d.nodeNames(), ['late-host']);
    await spawned(d);
    assert.equal(d.guests()[0]?.node, 'late-host');
  });
});

describe('FakeDriver failure injection and delays', () => {
  it('failNext fails one call, leaves the guest as it was, then works', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    d.failNext('pause');
    await assert.rejects(d.pause(i), (e: unknown) => {
      assert.ok(e instanceof InjectedFailure);
      assert.equal(e.operation, 'pause');
      assert.match(e.message, new RegExp(i.uuid));
      return true;
    });
    assert.equal(await stateOf(d, i), RUNNING);
    await d.pause(i);
    assert.equal(await stateOf(d, i), PAUSED);
  });

  it('failNext takes a given error, queues, and fails spawns without creating a guest', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const boom = new Error('no space left on device');
    d.failNext('spawn', boom);
    d.failNext('spawn');
    await assert.rejects(d.spawn(inst(), {}), (e) => e === boom);
    await assert.rejects(d.spawn(inst(), {}), InjectedFailure);
    assert.deepEqual(await d.listInstanceUuids(), []);
    await spawned(d);
    assert.equal((await d.listInstanceUuids()).length, 1);
  });

  it('failAlways fails every matching call until cleared', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const a = await spawned(d);
    const b = await spawned(d);
    d.failAlways('powerOff', (x) => x?.uuid === a.uuid);
    await assert.rejects(d.powerOff(a, 0), InjectedFailure);
    await assert.rejects(d.powerOff(a, 0), InjectedFailure);
    await d.powerOff(b, 0);
    d.failAlways('hostUptime', undefined, new Error('host down'));
    await assert.rejects(d.hostUptime(), /host down/);
    d.clearFailures('powerOff');
    await d.powerOff(a, 0);
    await assert.rejects(d.hostUptime(), /host down/);
    d.clearFailures();
    await d.hostUptime();
  });

  it('refuses to inject into an operation that does not exist', () => {
    const d = new FakeDriver({ host: 'h1' });
    assert.throws(() => d.failNext('powerOf'), /Unknown fake driver operation 'powerOf'.*powerOff/);
    assert.throws(() => d.failAlways('nope'), /Unknown fake driver operation/);
  });

  it('operations take their configured delay, and otherwise resolve on the next tick', async () => {
    const d = new FakeDriver({ host: 'h1', delays: { spawn: 40 } });
    const t0 = performance.now();
    const i = await spawned(d);
    assert.ok(performance.now() - t0 >= 35);
    let settled = false;
    const p = d.powerOn(i).then(() => {
      settled = true;
    });
    await Promise.resolve();
    assert.equal(settled, false);
    await p;
    assert.equal(settled, true);
  });
});

describe('FakeDriver consoles, snapshot, diagnostics, uptime', () => {
  it('console output has boot lines naming the instance; consoles listen on 127.0.0.1', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    const out = await d.getConsoleOutput(i);
    assert.ok(out.includes(i.name));
    assert.ok(out.split('\n').length >= 3);
    const vnc = await d.getVncConsole(i);
    assert.equal(vnc.host, '127.0.0.1');
    assert.ok(vnc.port >= 5900);
    const serial = await d.getSerialConsole(i);
    assert.equal(serial.host, '127.0.0.1');
    assert.ok(serial.port > 0 && serial.port !== vnc.port);
    const j = await spawned(d);
    assert.notEqual((await d.getVncConsole(j)).port, vnc.port);
  });

  it('set admin password and crash dump need a running guest and leave it running', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    await d.setAdminPassword(i, 'n3w');
    await d.triggerCrashDump(i);
    assert.equal(await stateOf(d, i), RUNNING);
    assert.match(await d.getConsoleOutput(i), /NMI/);
  });

  it('snapshot uploads a few raw bytes through the target', async () => {
    const d = new FakeDriver({ host: 'h1' });
    const i = await spawned(d);
    await d.pause(i);
    let got: { bytes: Buffer; format: string } | undefined;
    await d.snapshot(i, {
      upload: async (data: Readable, format: string) => {
        const chunks: Buffer[] = [];
        for await (const c of data) chunks.push(Buffer.from(c));
        got = { bytes: Buffer.concat(chunks), format };
      },
    });
    assert.equal(got?.format, 'raw');
    assert.ok((got?.bytes.length ?? 0) > 0);
    assert.equal(await stateOf(d, i), PAUSED);
  });

  it('diagnostics have the 2.48 shape', async () => {
    const clock = new ManualClock();
    const d = new FakeDriver({ host: 'h1', clock });
    const i = await spawned(
      d,
      inst({ config_drive: true, flavor: flavor({ vcpus: 2, memory_mb: 1024, ephemeral_gb: 1 }) }),
    );
    clock.advance(90_000);
    const g = await d.getDiagnostics(i);
    assert.equal(g.state, 'running');
    assert.equal(g.driver, 'libvirt');
    assert.equal(g.uptime, 90);
    assert.equal(g.config_drive, true);
    assert.equal(g.num_cpus, 2);
    assert.equal(g.cpu_details.length, 2);
    assert.deepEqual(Object.keys(g.cpu_details[0] ?? {}).sort(), ['id', 'time', 'utilisation']);
    assert.equal(g.num_nics, 1);
    assert.equal(g.nic_details[0]?.mac_address, 'fa:16:3e:00:00:01');
    assert.deepEqual(Object.keys(g.nic_details[0] ?? {}).sort(), [
      'mac_address',
      'rx_drop',
      'rx_errors',
      'rx_octets',
      'rx_packets',
      'rx_rate',
      'tx_drop',
      'tx_errors',
      'tx_octets',
      'tx_packets',
      'tx_rate',
    ]);
    assert.equal(g.num_disks, 3); // root, ephemeral, config drive
    assert.equal(g.disk_details.length, 3);
    assert.deepEqual(Object.keys(g.disk_details[0] ?? {}).sort(), [
      'errors_count',
      'read_bytes',
      'read_requests',
      'write_bytes',
      'write_requests',
    ]);
    assert.deepEqual(g.memory_details, { maximum: 1024, used: 1024 });
    await d.powerOff(i, 0);
    const off = await d.getDiagnostics(i);
    assert.equal(off.state, 'shutdown');
    assert.equal(off.uptime, 0);
  });

  it('host uptime reads like `uptime`, from the clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 9, 57, 0));
    const d = new FakeDriver({ host: 'h1', clock });
    clock.advance(5 * 60_000);
    assert.equal(await d.hostUptime(), ' 10:02:00 up 5 min,  0 users,  load average: 0.00, 0.00, 0.00');
    clock.advance(((24 + 2) * 60 + 3) * 60_000 - 5 * 60_000);
    assert.equal(
      await d.hostUptime(),
      ' 12:00:00 up 1 day,  2:03,  0 users,  load average: 0.00, 0.00, 0.00',
    );
    clock.advance(2 * 24 * 3600_000 + 10 * 3600_000);
    assert.match(await d.hostUptime(), /^ 22:00:00 up 3 days, 12:03, {2}0 users/);
  });
});
