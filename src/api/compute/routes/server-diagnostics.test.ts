import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RemoteError } from '../../../faults/fault.ts';
import type { Diagnostics } from '../../../virt/driver.ts';
import {
  addBuildRequest,
  addServer,
  fakeServersBackend,
  type RecordedCall,
} from '../server-test-fixtures.ts';
import { ADMIN, ALICE, startTestApi, type TestApi } from '../test-support.ts';

const DIAG: Diagnostics = {
  state: 'running',
  driver: 'fake',
  hypervisor: 'fake',
  hypervisor_os: 'fake-os',
  uptime: 46664,
  config_drive: true,
  num_cpus: 1,
  num_nics: 1,
  num_disks: 1,
  cpu_details: [{ id: 0, time: 17300000000, utilisation: 15 }],
  nic_details: [
    { mac_address: '01:23:45:67:89:ab', rx_octets: 2070139, rx_packets: 26701, tx_octets: 140208 },
  ],
  disk_details: [
    { read_bytes: 262144, read_requests: 112, write_bytes: 5778432, write_requests: 488, errors_count: 1 },
  ],
  memory_details: { maximum: 524288, used: 0 },
};

describe('server diagnostics', () => {
  let t: TestApi;
  let calls: RecordedCall[];
  let answer: () => unknown = () => DIAG;
  before(async () => {
    const fake = fakeServersBackend({ get_diagnostics: () => answer() });
    calls = fake.calls;
    t = await startTestApi([], { servers: fake.backend });
  });
  after(() => t.close());

  const url = (id: string) => `/v2.1/servers/${id}/diagnostics`;

  it('is for admins only', async () => {
    const s = await addServer(t);
    assert.equal((await t.call('GET', url(s.uuid), { token: ALICE })).statusCode, 403);
  });

  it('answers the 2.48 standard form from the compute’s get_diagnostics', async () => {
    const s = await addServer(t, { host: 'cmp7' });
    const r = await t.call('GET', url(s.uuid), { token: ADMIN, mv: '2.48' });
    assert.equal(r.statusCode, 200);
    const last = calls[calls.length - 1];
    assert.equal(last.host, 'cmp7');
    assert.equal(last.method, 'get_diagnostics');
    assert.deepEqual(last.args, { instance_uuid: s.uuid });
    assert.deepEqual(r.json(), {
      state: 'running',
      driver: 'fake',
      hypervisor: 'fake',
      hypervisor_os: 'fake-os',
      uptime: 46664,
      config_drive: true,
      num_cpus: 1,
      num_nics: 1,
      num_disks: 1,
      cpu_details: [{ id: 0, time: 17300000000, utilisation: 15 }],
      nic_details: [
        {
          mac_address: '01:23:45:67:89:ab',
          rx_octets: 2070139,
          rx_errors: null,
          rx_drop: null,
          rx_packets: 26701,
          rx_rate: null,
          tx_octets: 140208,
          tx_errors: null,
          tx_drop: null,
          tx_packets: null,
          tx_rate: null,
        },
      ],
      disk_details: [
        {
          read_bytes: 262144,
          read_requests: 112,
          write_bytes: 5778432,
          write_requests: 488,
          errors_count: 1,
        },
      ],
      memory_details: { maximum: 524288, used: 0 },
    });
  });

  it('answers the legacy dictionary before 2.48', async () => {
    const s = await addServer(t);
    const r = await t.call('GET', url(s.uuid), { token: ADMIN, mv: '2.47' });
    assert.deepEqual(r.json(), {
      cpu0_time: 17300000000,
      memory: 524288,
      vda_errors: 1,
      vda_read: 262144,
      vda_read_req: 112,
      vda_write: 5778432,
      vda_write_req: 488,
      vnet0_rx: 2070139,
      vnet0_rx_drop: 0,
      vnet0_rx_errors: 0,
      vnet0_rx_packets: 26701,
      vnet0_tx: 140208,
      vnet0_tx_drop: 0,
      vnet0_tx_errors: 0,
      vnet0_tx_packets: 0,
    });
  });

  it('409 while the server has no host or is still being built', async () => {
    const s = await addServer(t, { host: null, vm_state: 'building' });
    const r = await t.call('GET', url(s.uuid), { token: ADMIN });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().conflictingRequest.message, `Instance ${s.uuid} is not ready`);
    const b = await addBuildRequest(t);
    assert.equal((await t.call('GET', url(b), { token: ADMIN })).statusCode, 409);
  });

  it('501 when the driver has no diagnostics', async () => {
    answer = () => {
      throw new RemoteError('DriverNotSupported', 'get_diagnostics is not supported by this virt driver.');
    };
    const s = await addServer(t);
    const r = await t.call('GET', url(s.uuid), { token: ADMIN, mv: '2.48' });
    assert.equal(r.statusCode, 501);
    assert.equal(r.json().notImplemented.message, 'The requested functionality is not supported.');
    answer = () => DIAG;
  });
});
