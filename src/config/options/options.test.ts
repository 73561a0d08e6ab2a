import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineGroup } from '../group.ts';
import { loadConfig } from '../load.ts';
import { strOpt } from '../opt.ts';
import { buildRegistry, type RegisteredOpt } from '../registry.ts';
import { HOST } from '../test-support.ts';
import { convertValue } from '../values.ts';
import { DEFAULT_PARTS, defaultGroup } from './default/index.ts';
import { NOVA_REGISTRY, type NovaConf } from './index.ts';
import { LIBVIRT_PARTS, libvirtGroup } from './libvirt.ts';

test('groups assembled from parts lose no option to a name clash', () => {
  const sum = (parts: readonly object[]) => parts.reduce((n, p) => n + Object.keys(p).length, 0);
  assert.equal(Object.keys(defaultGroup.opts).length, sum(DEFAULT_PARTS));
  assert.equal(Object.keys(libvirtGroup.opts).length, sum(LIBVIRT_PARTS));
});

test('the registry rejects a name declared twice (option, old name or ignored)', () => {
  const g = defineGroup('a', 'A', 'a', {
    x: strOpt({ help: 'x', deprecated: [{ group: 'DEFAULT', name: 'y' }] }),
  });
  const h = defineGroup('b', 'B', 'b', {
    z: strOpt({ help: 'z', deprecated: [{ group: 'DEFAULT', name: 'y' }] }),
  });
  assert.throws(() => buildRegistry([g, h]), /\[DEFAULT\] y is declared twice/);
  assert.throws(
    () => buildRegistry([g], [{ group: 'a', name: 'x', reason: 'r' }]),
    /\[a\] x is declared twice/,
  );
});

const asText = (opt: RegisteredOpt): string | undefined => {
  const d = opt.default;
  if (d === undefined || opt.computedDefault) return undefined;
  if (Array.isArray(d)) return d.join(',');
  if (typeof d === 'object')
    return Object.entries(d as object)
      .map(([k, v]) => `${k}:${String(v)}`)
      .join(',');
  return String(d);
};

test('every static default passes its own option checks', () => {
  for (const opt of NOVA_REGISTRY.options) {
    const text = asText(opt);
    if (text === undefined || text.includes('$') || opt.type === 'multistring') continue;
    assert.doesNotThrow(() => convertValue(opt, text, () => {}), `${opt.group}.${opt.name} = ${text}`);
  }
});

test('every option has help text and a known type', () => {
  for (const opt of NOVA_REGISTRY.options) {
    assert.ok(opt.help.length > 10, `${opt.group}.${opt.name}`);
    assert.ok(!opt.help.includes('  '), `${opt.group}.${opt.name}`);
  }
});

test('upstream defaults the services rely on', () => {
  const { conf } = loadConfig({ env: {}, hostFacts: HOST });
  const expect: [unknown, unknown][] = [
    [conf.DEFAULT.control_exchange, 'nova'],
    [conf.DEFAULT.rpc_response_timeout, 60],
    [conf.DEFAULT.report_interval, 10],
    [conf.DEFAULT.service_down_time, 60],
    [conf.DEFAULT.metadata_listen, '0.0.0.0'],
    [conf.DEFAULT.reserved_host_memory_mb, 512],
    [conf.DEFAULT.initial_cpu_allocation_ratio, 4.0],
    [conf.DEFAULT.cpu_allocation_ratio, undefined],
    [conf.DEFAULT.max_concurrent_builds, 10],
    [conf.DEFAULT.shutdown_timeout, 60],
    [conf.DEFAULT.default_availability_zone, 'nova'],
    [conf.DEFAULT.internal_service_availability_zone, 'internal'],
    [conf.DEFAULT.password_length, 12],
    [conf.api.max_limit, 1000],
    [conf.wsgi.api_paste_config, 'api-paste.ini'],
    [conf.database.max_pool_size, 5],
    [conf.database.mysql_sql_mode, 'TRADITIONAL'],
    [conf.keystone_authtoken.token_cache_time, 300],
    [conf.keystone_authtoken.service_token_roles, ['service']],
    [conf.placement.service_type, 'placement'],
    [conf.placement.valid_interfaces, ['internal', 'public']],
    [conf.neutron.ovs_bridge, 'br-int'],
    [conf.neutron.default_floating_pool, 'nova'],
    [conf.vnc.enabled, true],
    [conf.vnc.server_listen, '127.0.0.1'],
    [conf.vnc.auth_schemes, ['none']],
    [conf.serial_console.port_range, '10000:20000'],
    [conf.libvirt.virt_type, 'kvm'],
    [conf.libvirt.images_type, 'default'],
    [conf.libvirt.snapshots_directory, '/var/lib/nova/instances/snapshots'],
    [conf.libvirt.migration_inbound_addr, HOST.myIp],
    [conf.oslo_messaging_rabbit.rabbit_hosts, ['localhost:5672']],
    [conf.oslo_messaging_notifications.driver, []],
    [conf.oslo_policy.policy_file, 'policy.yaml'],
    [conf.oslo_policy.policy_dirs, ['policy.d']],
    [conf.filter_scheduler.enabled_filters.length, 5],
    [conf.filter_scheduler.io_ops_weight_multiplier, -1.0],
    [conf.filter_scheduler.build_failure_weight_multiplier, 1000000.0],
    [conf.scheduler.discover_hosts_in_cells_interval, -1],
    [conf.scheduler.max_placement_results, 1000],
    [conf.quota.instances, 10],
    [conf.quota.injected_file_content_bytes, 10240],
    [conf.quota.driver, 'nova.quota.DbQuotaDriver'],
    [conf.cache.memcache_servers, ['localhost:11211']],
    [conf.identity.connection, 'sqlite:////var/lib/nova/identity.sqlite'],
    [conf.image.port, 9292],
  ];
  for (const [i, [actual, wanted]] of expect.entries()) assert.deepEqual(actual, wanted, `entry ${i}`);
});

test('value types follow the declarations (checked by the type checker)', () => {
  const conf = loadConfig({ env: {}, hostFacts: HOST }).conf as NovaConf;
  const statePath: string = conf.DEFAULT.state_path;
  const port: number = conf.DEFAULT.osapi_compute_listen_port;
  const connection: string | undefined = conf.database.connection;
  const apis: readonly string[] = conf.DEFAULT.enabled_apis;
  const virtType: 'kvm' | 'lxc' | 'qemu' | 'parallels' = conf.libvirt.virt_type;
  const debug: boolean = conf.DEFAULT.debug;
  // @ts-expect-error a connection may be unset
  const mustHave: string = conf.database.connection;
  assert.throws(() => {
    // @ts-expect-error the conf is read-only
    conf.DEFAULT.state_path = '/elsewhere';
  }, TypeError);
  assert.ok([statePath, port, connection, apis, virtType, debug, mustHave]);
});
