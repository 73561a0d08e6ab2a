// The network commands of the "done when" through the real `openstack` client against a
// started all-in-one: network, subnet, port, security group (+ an ICMP rule), router (subnet,
// external gateway), floating IP create/set. Skips (one line) without the Debian clients.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type CliCloud, haveClients, startCliCloud } from './cloud.ts';

const skip = haveClients()
  ? false
  : 'needs python3-openstackclient and python3-novaclient (apt-get install them)';

type Row = Record<string, unknown>;

describe('openstack network commands against the all-in-one', { skip }, () => {
  let c: CliCloud;
  before(async () => {
    // The fake driver: the servers here need ports, not guests (QEMU boots are the QEMU tests').
    c = await startCliCloud({ conf: '[DEFAULT]\ncompute_driver = fake' });
  });
  after(() => c?.stop());

  test('catalog and extensions', () => {
    assert.match(c.os('catalog', 'list', '-f', 'value', '-c', 'Type'), /^network$/m);
    const aliases = c.os('extension', 'list', '--network', '-f', 'value', '-c', 'Alias');
    for (const a of ['router', 'security-group', 'external-net', 'quotas'])
      assert.match(aliases, new RegExp(`^${a}$`, 'm'));
  });

  test('network, subnet, port, security group + ICMP rule, router, external gateway, floating IP', () => {
    const net = c.osJson<Row>('network', 'create', 'n');
    assert.equal(net.name, 'n');
    assert.equal(net.status, 'ACTIVE');
    const subnet = c.osJson<Row>('subnet', 'create', '--network', 'n', '--subnet-range', '10.0.0.0/24', 's');
    assert.equal(subnet.cidr, '10.0.0.0/24');
    assert.equal(subnet.gateway_ip, '10.0.0.1');
    assert.match(
      JSON.stringify(subnet.allocation_pools),
      /10\.0\.0\.2-10\.0\.0\.254|"start": ?"10\.0\.0\.2"/,
    );

    const port = c.osJson<Row>('port', 'create', '--network', 'n', 'p1');
    assert.match(String(port.mac_address), /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.match(JSON.stringify(port.fixed_ips), /10\.0\.0\.2/);
    assert.match(c.os('port', 'list', '--network', 'n', '-f', 'value', '-c', 'Name'), /^p1$/m);

    const sg = c.osJson<Row>('security', 'group', 'create', 'web');
    assert.equal(sg.name, 'web');
    const rule = c.osJson<Row>('security', 'group', 'rule', 'create', '--protocol', 'icmp', 'web');
    assert.equal(rule.protocol, 'icmp');
    assert.equal(rule.direction, 'ingress');
    assert.equal(rule.security_group_id, sg.id);
    const rules = c.os('security', 'group', 'rule', 'list', 'web', '-f', 'value', '-c', 'IP Protocol');
    assert.match(rules, /^icmp$/m);
    assert.match(c.os('security', 'group', 'list', '-f', 'value', '-c', 'Name'), /^default$/m);
    assert.match(
      c.osFails('security', 'group', 'rule', 'create', '--protocol', 'icmp', 'web'),
      /already exists|Conflict|409/i,
    );

    const ext = c.osJson<Row>('network', 'create', '--external', 'public');
    assert.equal(ext['router:external'], true);
    c.os(
      'subnet',
      'create',
      '--network',
      'public',
      '--subnet-range',
      '203.0.113.0/24',
      '--no-dhcp',
      'public-sub',
    );

    const router = c.osJson<Row>('router', 'create', 'r1');
    assert.equal(router.name, 'r1');
    c.os('router', 'add', 'subnet', 'r1', 's');
    c.os('router', 'set', '--external-gateway', 'public', 'r1');
    const shown = c.osJson<Row>('router', 'show', 'r1');
    assert.match(JSON.stringify(shown.external_gateway_info), new RegExp(String(ext.id)));
    assert.match(JSON.stringify(shown.interfaces_info ?? shown), /10\.0\.0\.1|203\.0\.113\./);

    const fip = c.osJson<Row>('floating', 'ip', 'create', 'public');
    assert.match(String(fip.floating_ip_address), /^203\.0\.113\.\d+$/);
    c.os('floating', 'ip', 'set', '--port', 'p1', String(fip.floating_ip_address));
    const fipShown = c.osJson<Row>('floating', 'ip', 'show', String(fip.id));
    assert.equal(fipShown.port_id, port.id);
    assert.equal(fipShown.fixed_ip_address, '10.0.0.2');
    assert.equal(fipShown.router_id, router.id);
    assert.equal(fipShown.status, 'ACTIVE');

    // The list and show commands read every column they print.
    for (const args of [
      ['network', 'list', '--long'],
      ['network', 'show', 'n'],
      ['subnet', 'list', '--long'],
      ['subnet', 'show', 's'],
      ['port', 'list', '--long'],
      ['port', 'show', 'p1'],
      ['router', 'list', '--long'],
      ['floating', 'ip', 'list', '--long'],
      ['security', 'group', 'list'],
      ['security', 'group', 'show', 'web'],
      ['security', 'group', 'rule', 'list', '--long'],
      ['quota', 'show'],
    ])
      assert.ok(c.os(...args, '-f', 'json').length > 0, args.join(' '));
    // networks: auto needs a default external network; with one the check passes.
    assert.match(
      c.osFails('network', 'auto', 'allocated', 'topology', 'create', '--check-resources'),
      /No default router:external network/,
    );
    c.os('network', 'set', '--default', 'public');
    assert.match(
      c.os('network', 'auto', 'allocated', 'topology', 'create', '--check-resources', '-f', 'json'),
      /pass/,
    );

    // Bad input answers Neutron's errors, which the client prints.
    assert.match(
      c.osFails('subnet', 'create', '--network', 'n', '--subnet-range', '10.0.0.128/25', 'overlap'),
      /overlaps with another subnet/,
    );
    assert.match(c.osFails('network', 'delete', 'n'), /ports still in use|NetworkInUse|409/i);

    // Teardown in Neutron's order works.
    c.os('floating', 'ip', 'unset', '--port', String(fip.id));
    c.os('floating', 'ip', 'delete', String(fip.id));
    c.os('router', 'unset', '--external-gateway', 'r1');
    c.os('router', 'remove', 'subnet', 'r1', 's');
    c.os('router', 'delete', 'r1');
    c.os('port', 'delete', 'p1');
    c.os('network', 'delete', 'n');
    assert.doesNotMatch(c.os('network', 'list', '-f', 'value', '-c', 'Name'), /^n$/m);
  });

  test('server create --network: a port bound to the host, the address in addresses; delete frees it', () => {
    c.os('network', 'create', 'vmnet');
    c.os('subnet', 'create', '--network', 'vmnet', '--subnet-range', '192.168.50.0/24', 'vmsub');
    const server = c.osJson<Row>(
      'server',
      'create',
      '--flavor',
      'm1.tiny',
      '--image',
      'nova-ts-tiny',
      '--network',
      'vmnet',
      '--security-group',
      'web',
      '--wait',
      'vm1',
    );
    assert.equal(server.status, 'ACTIVE');
    assert.match(JSON.stringify(server.addresses), /vmnet.*192\.168\.50\.2/);
    assert.match(c.os('server', 'list', '-f', 'value', '-c', 'Networks'), /vmnet.*192\.168\.50\.2/);
    const ports = c.osJson<Row[]>('port', 'list', '--server', 'vm1', '--long');
    assert.equal(ports.length, 1);
    const port = c.osJson<Row>('port', 'show', String(ports[0].ID));
    assert.equal(port.device_owner, 'compute:nova');
    assert.equal(port.binding_host_id, 'cli-host');
    assert.equal(port.binding_vif_type, 'bridge');
    assert.equal(port.status, 'ACTIVE');
    const web = c.osJson<Row>('security', 'group', 'show', 'web');
    assert.deepEqual(port.security_group_ids, [web.id]);
    assert.match(JSON.stringify(c.osJson<Row>('server', 'show', 'vm1').security_groups), /"web"/);
    // os-interface: attach a second port (on the same network, by net-id), list, detach.
    c.os('server', 'add', 'network', 'vm1', 'vmnet');
    let ifaces = '';
    for (let i = 0; i < 50; i++) {
      ifaces = c.nova('interface-list', 'vm1');
      if ((ifaces.match(/ACTIVE/g) ?? []).length === 2) break;
      spawnSync('sleep', ['0.2']);
    }
    assert.equal((ifaces.match(/ACTIVE/g) ?? []).length, 2, ifaces);
    const second = c
      .osJson<Row[]>('port', 'list', '--server', 'vm1')
      .map((p) => String(p.ID))
      .find((id) => id !== String(ports[0].ID)) as string;
    assert.match(
      JSON.stringify(c.osJson<Row>('server', 'show', 'vm1').addresses),
      /192\.168\.50\.\d+.*192\.168\.50\.\d+/,
    );
    c.os('server', 'remove', 'port', 'vm1', second);
    for (let i = 0; i < 50 && c.osJson<Row[]>('port', 'list', '--server', 'vm1').length > 1; i++)
      spawnSync('sleep', ['0.2']);
    assert.equal(c.osJson<Row[]>('port', 'list', '--server', 'vm1').length, 1);

    // A floating IP associated later reaches `addresses` through the network-changed event.
    c.os('router', 'create', 'r2');
    c.os('router', 'add', 'subnet', 'r2', 'vmsub');
    c.os('router', 'set', '--external-gateway', 'public', 'r2');
    const fip = c.osJson<Row>('floating', 'ip', 'create', '--port', String(ports[0].ID), 'public');
    let addresses = '';
    for (let i = 0; i < 50 && !addresses.includes(String(fip.floating_ip_address)); i++) {
      addresses = JSON.stringify(c.osJson<Row>('server', 'show', 'vm1').addresses);
      if (!addresses.includes(String(fip.floating_ip_address))) spawnSync('sleep', ['0.2']);
    }
    assert.match(
      addresses,
      new RegExp(`192\\.168\\.50\\.2.*${String(fip.floating_ip_address).replaceAll('.', '\\.')}`),
    );
    c.os('server', 'delete', '--wait', 'vm1');
    assert.equal(
      c.osJson<Row[]>('port', 'list', '--network', 'vmnet', '--device-owner', 'compute:nova').length,
      0,
    );
  });
});
