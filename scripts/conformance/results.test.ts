import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvFields, moduleOf, parseSubunitCsv } from './results.ts';

test('quoted test names with commas are one field', () => {
  assert.deepEqual(csvFields('"a.test_x.T.test_y[id-1,negative]",fail,t0,t1'), [
    'a.test_x.T.test_y[id-1,negative]',
    'fail',
    't0',
    't1',
  ]);
});

test('counts per module, setUpClass failures against their module', () => {
  const csv = [
    'test,status,start_time,stop_time',
    '"tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_list[id-1,smoke]",success,a,b',
    'tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_get[id-2],skip,a,b',
    'setUpClass (tempest.api.compute.servers.test_servers.ServersTestJSON),failure,a,b',
  ].join('\n');
  const r = parseSubunitCsv(csv);
  assert.deepEqual(r.totals, { pass: 1, fail: 1, skip: 1 });
  assert.deepEqual(
    r.modules.map((m) => [m.module, m.pass, m.fail, m.skip]),
    [
      ['tempest.api.compute.flavors.test_flavors', 1, 0, 1],
      ['tempest.api.compute.servers.test_servers', 0, 1, 0],
    ],
  );
  assert.equal(
    moduleOf('tempest.api.compute.admin.test_hosts.HostsAdminTestJSON.test_list_hosts[id-9]'),
    'tempest.api.compute.admin.test_hosts',
  );
});
