// The nova.conf / nova-compute.conf fragments of the install guides in /work/shared/seeds, copied
// to fixtures/ with every IP address replaced by 127.0.0.1, must load: values mapped to their
// current options, unused settings reported as warnings, nothing fatal.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './load.ts';
import { HOST } from './test-support.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const SEEDS = '/work/shared/seeds';

function load(...names: string[]) {
  return loadConfig({ env: {}, hostFacts: HOST, configFiles: names.map((n) => join(FIXTURES, n)) });
}

const ignoredWarning = (warnings: readonly string[], group: string, name: string) =>
  warnings.some(
    (w) => w.startsWith(`Option "${name}" in group "${group}"`) && w.includes('is not used by nova-ts'),
  );

test('seed 000 (compute node, Havana-era nova.conf)', () => {
  const { conf, warnings } = load('seed-000-nova.conf');
  assert.equal(conf.DEFAULT.transport_url, 'rabbit://guest:guest@127.0.0.1:5672,guest:guest@127.0.0.1:5672/');
  assert.equal(conf.database.connection, 'mysql://nova:asdasd@127.0.0.1/nova');
  assert.equal(conf.vnc.server_proxyclient_address, '127.0.0.1');
  assert.equal(conf.vnc.server_listen, '127.0.0.1');
  assert.equal(conf.vnc.enabled, true);
  assert.equal(conf.vnc.novncproxy_base_url, 'http://127.0.0.1:6080/vnc_auto.html');
  assert.deepEqual(conf.glance.api_servers, ['http://127.0.0.1:9292']);
  assert.equal(conf.DEFAULT.my_ip, '127.0.0.1');
  assert.equal(conf.DEFAULT.log_dir, '/var/log/nova');
  assert.equal(conf.DEFAULT.state_path, '/var/lib/nova');
  assert.equal(conf.oslo_concurrency.lock_path, '/var/lock/nova');
  assert.deepEqual(conf.DEFAULT.enabled_apis, ['osapi_compute', 'metadata']);
  assert.equal(conf.api.auth_strategy, 'keystone');
  assert.equal(conf.wsgi.api_paste_config, '/etc/nova/api-paste.ini');
  assert.equal(conf.libvirt.use_virtio_for_bridges, true);
  assert.equal(conf.neutron.url, 'http://127.0.0.1:9696');
  assert.equal(conf.neutron.endpoint_override, 'http://127.0.0.1:9696');
  assert.equal(conf.neutron.project_name, 'service');
  assert.equal(conf.neutron.username, 'neutron');
  assert.equal(conf.neutron.password, 'asdasd');
  assert.equal(conf.neutron.auth_url, 'http://127.0.0.1:35357/v2.0');
  assert.equal(conf.keystone_authtoken.www_authenticate_uri, 'http://127.0.0.1:5000');
  for (const name of [
    'dhcpbridge',
    'iscsi_helper',
    'root_helper',
    'verbose',
    'network_api_class',
    'firewall_driver',
  ]) {
    assert.ok(ignoredWarning(warnings, 'DEFAULT', name), name);
  }
  for (const name of [
    'auth_host',
    'auth_port',
    'auth_protocol',
    'admin_tenant_name',
    'admin_user',
    'admin_password',
  ]) {
    assert.ok(ignoredWarning(warnings, 'keystone_authtoken', name), name);
  }
  assert.ok(warnings.some((w) => w.includes("'ec2' is dropped")));
  assert.ok(warnings.some((w) => w.startsWith('Option "vncserver_proxyclient_address" in group "DEFAULT"')));
});

test('seed 002 (all-in-one snippets as one file)', () => {
  const { conf, warnings } = load('seed-002-nova.conf');
  assert.equal(conf.DEFAULT.transport_url, 'rabbit://guest:guest@localhost:5672/');
  assert.equal(conf.database.connection, 'mysql://nova:password@localhost/nova');
  assert.deepEqual(conf.glance.api_servers, ['http://localhost:9292']);
  assert.equal(conf.api.auth_strategy, 'keystone');
  for (const name of [
    'image_service',
    'network_manager',
    'flat_network_bridge',
    'public_interface',
    'network_size',
  ]) {
    assert.ok(ignoredWarning(warnings, 'DEFAULT', name), name);
  }
  assert.ok(ignoredWarning(warnings, 'keystone_authtoken', 'admin_user'));
});

test('seed 003 (Queens-era controller, then the compute node changes on top)', () => {
  const controller = load('seed-003-controller-nova.conf');
  const c = controller.conf;
  assert.equal(c.api_database.connection, 'mysql+pymysql://nova:nova@127.0.0.1/nova_api');
  assert.equal(c.database.connection, 'mysql+pymysql://nova:nova@127.0.0.1/nova');
  assert.equal(c.DEFAULT.transport_url, 'rabbit://openstack:openstack@127.0.0.1');
  assert.equal(c.api.auth_strategy, 'keystone');
  assert.equal(c.keystone_authtoken.www_authenticate_uri, 'http://127.0.0.1:5000');
  assert.equal(c.keystone_authtoken.auth_url, 'http://127.0.0.1:35357');
  assert.deepEqual(c.keystone_authtoken.memcached_servers, ['127.0.0.1:11211']);
  assert.equal(c.keystone_authtoken.auth_type, 'password');
  assert.equal(c.keystone_authtoken.project_domain_name, 'default');
  assert.equal(c.keystone_authtoken.username, 'nova');
  assert.equal(c.keystone_authtoken.password, 'nova');
  assert.equal(c.vnc.enabled, true);
  assert.equal(c.vnc.server_proxyclient_address, '127.0.0.1');
  assert.deepEqual(c.glance.api_servers, ['http://127.0.0.1:9292']);
  assert.equal(c.oslo_concurrency.lock_path, '/var/lib/nova/tmp');
  assert.deepEqual(c.DEFAULT.enabled_apis, ['osapi_compute', 'metadata']);
  assert.equal(c.placement.region_name, 'RegionOne');
  assert.equal(c.placement.auth_url, 'http://127.0.0.1:35357/v3');
  assert.equal(c.placement.username, 'placement');
  assert.equal(c.placement.user_domain_name, 'Default');
  assert.equal(c.libvirt.virt_type, 'kvm');
  assert.ok(ignoredWarning(controller.warnings, 'DEFAULT', 'use_neutron'));
  const compute = load('seed-003-controller-nova.conf', 'seed-003-compute-nova.conf');
  assert.equal(compute.conf.libvirt.virt_type, 'qemu');
  assert.equal(compute.conf.vnc.novncproxy_base_url, 'http://127.0.0.1:6080/vnc_auto.html');
  assert.equal(compute.conf.database.connection, c.database.connection);
});

test('seed 004 (Grizzly-era nova.conf plus nova-compute.conf)', () => {
  const { conf, warnings, files } = load('seed-004-nova.conf', 'seed-004-nova-compute.conf');
  assert.equal(files.length, 2);
  assert.equal(conf.database.connection, 'mysql://novaUser:novaPass@127.0.0.1/nova');
  assert.deepEqual(conf.glance.api_servers, ['http://127.0.0.1:9292']);
  assert.equal(conf.libvirt.virt_type, 'kvm');
  assert.equal(conf.libvirt.use_virtio_for_bridges, true);
  assert.equal(conf.DEFAULT.transport_url, 'rabbit://guest:guest@127.0.0.1:5672/');
  assert.equal(conf.vnc.enabled, true);
  assert.equal(conf.vnc.novncproxy_port, 6080);
  assert.equal(conf.vnc.server_proxyclient_address, '127.0.0.1');
  assert.equal(conf.neutron.url, 'http://127.0.0.1:9696');
  assert.equal(conf.neutron.username, 'quantum');
  assert.equal(conf.neutron.password, 'service_pass');
  assert.equal(conf.neutron.project_name, 'service');
  assert.equal(conf.neutron.service_metadata_proxy, true);
  assert.equal(conf.neutron.metadata_proxy_shared_secret, 'helloOpenStack');
  assert.equal(conf.cinder.catalog_info, 'volume:cinder:internalURL');
  assert.equal(conf.DEFAULT.compute_driver, 'libvirt.LibvirtDriver');
  assert.equal(conf.oslo_concurrency.lock_path, '/run/lock/nova');
  for (const name of ['libvirt_ovs_bridge', 'libvirt_vif_type', 'libvirt_vif_driver']) {
    assert.ok(ignoredWarning(warnings, 'DEFAULT', name), name);
  }
  for (const name of [
    'compute_scheduler_driver',
    'nova_url',
    'use_deprecated_auth',
    'volume_api_class',
    'osapi_volume_listen_port',
  ]) {
    assert.ok(ignoredWarning(warnings, 'DEFAULT', name), name);
  }
  assert.ok(
    warnings.some(
      (w) => w.startsWith('Option "sql_connection" in group "DEFAULT"') && w.includes('"database"'),
    ),
  );
  assert.ok(
    warnings.some((w) => w.startsWith('Option "libvirt_type" in group "DEFAULT"') && w.includes('"libvirt"')),
  );
});

test('no seed fixture warns about an unknown option or group', () => {
  for (const f of readdirSync(FIXTURES).filter((n) => n.endsWith('.conf'))) {
    const unknown = load(f).warnings.filter((w) => w.startsWith('Unknown'));
    assert.deepEqual(unknown, [], f);
  }
});

const IP_RE = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

test('fixtures are the seed text with IP addresses replaced and nothing else', {
  skip: !existsSync(SEEDS),
}, () => {
  const seeds = new Map(
    readdirSync(SEEDS).map((f) => [
      f.slice(0, 3),
      readFileSync(join(SEEDS, f), 'utf8').replace(IP_RE, '127.0.0.1'),
    ]),
  );
  for (const f of readdirSync(FIXTURES).filter((n) => n.endsWith('.conf'))) {
    const seed = seeds.get(f.slice(5, 8));
    assert.ok(seed, f);
    const text = readFileSync(join(FIXTURES, f), 'utf8');
    assert.deepEqual(text.match(IP_RE)?.filter((ip) => ip !== '127.0.0.1') ?? [], [], f);
    for (const line of text.split('\n').filter((l) => l.trim() !== '' && l !== '[DEFAULT]')) {
      assert.ok(seed.includes(line), `${f}: ${line}`);
    }
  }
});
