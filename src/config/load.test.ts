import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from './errors.ts';
import { type LoadOptions, loadConfig } from './load.ts';
import { HOST, tempTree } from './test-support.ts';

const base: LoadOptions = { env: {}, hostFacts: HOST };

function loadTexts(texts: readonly string[], extra: LoadOptions = {}) {
  const files = Object.fromEntries(texts.map((t, i) => [`f${i}.conf`, t]));
  const dir = tempTree(files);
  return loadConfig({ ...base, configFiles: texts.map((_, i) => join(dir, `f${i}.conf`)), ...extra });
}

test('no files: every option has its default and the conf is deeply frozen', () => {
  const { conf, warnings, files } = loadConfig(base);
  assert.deepEqual(files, []);
  assert.deepEqual(warnings, []);
  assert.equal(conf.DEFAULT.host, 'node1');
  assert.equal(conf.DEFAULT.my_ip, HOST.myIp);
  assert.equal(conf.DEFAULT.state_path, '/var/lib/nova');
  assert.equal(conf.DEFAULT.instances_path, '/var/lib/nova/instances');
  assert.equal(conf.DEFAULT.osapi_compute_listen, '0.0.0.0');
  assert.equal(conf.DEFAULT.osapi_compute_listen_port, 8774);
  assert.equal(conf.DEFAULT.metadata_listen_port, 8775);
  assert.deepEqual(conf.DEFAULT.enabled_apis, ['osapi_compute', 'metadata']);
  assert.equal(conf.DEFAULT.transport_url, undefined);
  assert.equal(conf.database.connection, undefined);
  assert.equal(conf.api.auth_strategy, 'keystone');
  assert.equal(conf.vnc.novncproxy_port, 6080);
  assert.equal(conf.serial_console.serialproxy_port, 6083);
  assert.equal(conf.consoleauth.token_ttl, 600);
  assert.equal(conf.scheduler.max_attempts, 3);
  assert.equal(conf.quota.ram, 51200);
  assert.equal(conf.oslo_concurrency.lock_path, undefined);
  assert.equal(conf.image.filesystem_store_datadir, '/var/lib/nova/images');
  assert.equal(conf.identity.port, 5000);
  assert.equal(conf.placement_api.port, 8778);
  assert.ok(
    Object.isFrozen(conf) && Object.isFrozen(conf.DEFAULT) && Object.isFrozen(conf.DEFAULT.enabled_apis),
  );
  assert.throws(() => {
    (conf.DEFAULT as { debug: boolean }).debug = true;
  }, TypeError);
});

test('later files win; multistring options collect every occurrence from every file', () => {
  const { conf, files } = loadTexts([
    '[DEFAULT]\ndebug = true\nvirt_mkfs = a\n[filter_scheduler]\navailable_filters = x.y\n',
    '[DEFAULT]\ndebug = false\nvirt_mkfs = b\nvirt_mkfs = c\n[DEFAULT]\nreport_interval = 5\nreport_interval = 7\n',
  ]);
  assert.equal(files.length, 2);
  assert.equal(conf.DEFAULT.debug, false);
  assert.equal(conf.DEFAULT.report_interval, 7);
  assert.deepEqual(conf.DEFAULT.virt_mkfs, ['a', 'b', 'c']);
  assert.deepEqual(conf.filter_scheduler.available_filters, ['x.y']);
});

test('--config-dir files come after --config-file files, in sorted order', () => {
  const dir = tempTree({
    'nova.conf': '[DEFAULT]\nreport_interval = 1\nservice_down_time = 11\n',
    'nova.conf.d/20-b.conf': '[DEFAULT]\nreport_interval = 3\n',
    'nova.conf.d/10-a.conf': '[DEFAULT]\nreport_interval = 2\nservice_down_time = 22\n',
    'nova.conf.d/ignored.txt': '[DEFAULT]\nreport_interval = 9\n',
  });
  const r = loadConfig({
    ...base,
    configFiles: [join(dir, 'nova.conf')],
    configDirs: [join(dir, 'nova.conf.d')],
  });
  assert.deepEqual(r.files, [
    join(dir, 'nova.conf'),
    join(dir, 'nova.conf.d/10-a.conf'),
    join(dir, 'nova.conf.d/20-b.conf'),
  ]);
  assert.equal(r.conf.DEFAULT.report_interval, 3);
  assert.equal(r.conf.DEFAULT.service_down_time, 22);
});

test('default search: first nova.conf and first <prog>.conf, and nova.conf.d, only when no files are given', () => {
  const dir = tempTree({
    'home/.nova/nova.conf': '[DEFAULT]\nreport_interval = 1\n',
    'etc/nova/nova.conf': '[DEFAULT]\nreport_interval = 2\n',
    'etc/nova/nova-compute.conf': '[DEFAULT]\nservice_down_time = 99\n',
    'etc/nova/nova.conf.d/a.conf': '[DEFAULT]\nperiodic_fuzzy_delay = 5\n',
  });
  const searchDirs = [join(dir, 'home/.nova'), join(dir, 'home'), join(dir, 'etc/nova'), join(dir, 'etc')];
  const r = loadConfig({ ...base, useDefaultSearch: true, prog: 'nova-compute', searchDirs });
  assert.deepEqual(r.files, [
    join(dir, 'home/.nova/nova.conf'),
    join(dir, 'etc/nova/nova-compute.conf'),
    join(dir, 'etc/nova/nova.conf.d/a.conf'),
  ]);
  assert.equal(r.conf.DEFAULT.report_interval, 1);
  assert.equal(r.conf.DEFAULT.service_down_time, 99);
  const explicit = loadConfig({
    ...base,
    useDefaultSearch: true,
    searchDirs,
    configFiles: [join(dir, 'etc/nova/nova.conf')],
  });
  assert.deepEqual(explicit.files, [
    join(dir, 'etc/nova/nova.conf'),
    join(dir, 'etc/nova/nova.conf.d/a.conf'),
  ]);
  assert.deepEqual(loadConfig({ ...base, searchDirs }).files, []);
});

test('precedence: default < files < NOVA_TS_STATE_PATH < command line overrides', () => {
  const file = '[DEFAULT]\nstate_path = /from/file\nreport_interval = 4\n';
  assert.equal(loadTexts([file]).conf.DEFAULT.state_path, '/from/file');
  const env = { NOVA_TS_STATE_PATH: '/from/env' };
  const withEnv = loadTexts([file], { env });
  assert.equal(withEnv.conf.DEFAULT.state_path, '/from/env');
  assert.equal(withEnv.conf.DEFAULT.instances_path, '/from/env/instances');
  const overrides = [
    { group: 'DEFAULT', name: 'state_path', value: '/from/cli' },
    { group: 'DEFAULT', name: 'report_interval', value: '9' },
  ];
  const withCli = loadTexts([file], { env, overrides });
  assert.equal(withCli.conf.DEFAULT.state_path, '/from/cli');
  assert.equal(withCli.conf.DEFAULT.report_interval, 9);
  assert.equal(loadTexts([file], { env: { NOVA_TS_STATE_PATH: '' } }).conf.DEFAULT.state_path, '/from/file');
});

test('overrides may use deprecated names; unknown overrides are errors', () => {
  const r = loadConfig({ ...base, overrides: [{ group: 'DEFAULT', name: 'libvirt_type', value: 'qemu' }] });
  assert.equal(r.conf.libvirt.virt_type, 'qemu');
  assert.throws(
    () => loadConfig({ ...base, overrides: [{ group: 'DEFAULT', name: 'nope', value: '1' }] }),
    /^ConfigError: Unknown option nope in group DEFAULT \(command line\)$/,
  );
});

test('OSLO_LOCK_PATH from the environment is the lock_path default', () => {
  assert.equal(
    loadConfig({ ...base, env: { OSLO_LOCK_PATH: '/run/lock/x' } }).conf.oslo_concurrency.lock_path,
    '/run/lock/x',
  );
});

test('group names other than DEFAULT are case-insensitive; [default] is not DEFAULT', () => {
  const { conf, warnings } = loadTexts([
    '[DATABASE]\nconnection = sqlite://\n[Vnc]\nnovncproxy_port = 7000\n[default]\ndebug = true\n',
  ]);
  assert.equal(conf.database.connection, 'sqlite://');
  assert.equal(conf.vnc.novncproxy_port, 7000);
  assert.equal(conf.DEFAULT.debug, false);
  assert.ok(warnings.some((w) => w.startsWith('Unknown group "default"')));
});

test('an invalid value is one line naming option, group, file and why', () => {
  const dir = tempTree({ 'nova.conf': '[DEFAULT]\nosapi_compute_listen_port = abc\n' });
  const file = join(dir, 'nova.conf');
  assert.throws(
    () => loadConfig({ ...base, configFiles: [file] }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(
        e.message,
        `Invalid value for option osapi_compute_listen_port in group DEFAULT (${file}): 'abc' is not an integer`,
      );
      assert.equal(e.exitCode, 1);
      assert.deepEqual(e.details, { group: 'DEFAULT', option: 'osapi_compute_listen_port', source: file });
      return true;
    },
  );
});

test('invalid values under a deprecated name say which name was used', () => {
  assert.throws(
    () => loadTexts(['[DEFAULT]\nlibvirt_type = xen\n']),
    /Invalid value for option virt_type in group libvirt \(.*f0\.conf, as libvirt_type in group DEFAULT\): 'xen' is not one of: kvm, lxc, qemu, parallels/,
  );
  assert.throws(
    () => loadConfig({ ...base, overrides: [{ group: 'vnc', name: 'novncproxy_port', value: '99999' }] }),
    /novncproxy_port in group vnc \(command line\): '99999' is not a port number/,
  );
});

test('missing files and directories are errors; unreadable syntax names the line', () => {
  assert.throws(
    () => loadConfig({ ...base, configFiles: ['/nonexistent/nova.conf'] }),
    /^ConfigError: Config file \/nonexistent\/nova.conf not found$/,
  );
  assert.throws(
    () => loadConfig({ ...base, configDirs: ['/nonexistent/d'] }),
    /Config directory \/nonexistent\/d not found/,
  );
  assert.throws(() => loadTexts(['[DEFAULT]\nhost = a\nbroken line\n']), /at line 3: no '=' or ':'/);
});

test('unknown options and groups warn once each, naming option, group and file', () => {
  const { warnings } = loadTexts([
    '[DEFAULT]\nfoo = 1\nfoo = 2\n[mystery]\na = 1\nb = 2\n',
    '[mystery]\nc = 3\n',
  ]);
  const unknownOpt = warnings.filter((w) => w.includes('"foo"'));
  assert.equal(unknownOpt.length, 1);
  assert.match(unknownOpt[0], /^Unknown option "foo" in group "DEFAULT" \(.*f0\.conf\) is ignored$/);
  assert.equal(warnings.filter((w) => w.includes('mystery')).length, 1);
});

test('options nova-ts ignores warn with the reason', () => {
  const { warnings } = loadTexts(['[DEFAULT]\nnetwork_manager = nova.network.manager.FlatDHCPManager\n']);
  assert.match(
    warnings[0],
    /^Option "network_manager" in group "DEFAULT" \(.*\) is not used by nova-ts and is ignored: nova-network/,
  );
});

test('deprecated names map to the new option with a warning naming both', () => {
  const { conf, warnings, files } = loadTexts([
    '[DEFAULT]\nsql_connection = mysql://a@h/nova\nlogdir = /var/log/x\nauth_strategy = noauth2\n' +
      'novncproxy_port = 6081\nvncserver_listen = 0.0.0.0\nquota_cores = 7\nscheduler_default_filters = ComputeFilter\n' +
      '[placement]\nos_region_name = R2\nos_interface = public\n',
  ]);
  assert.equal(conf.database.connection, 'mysql://a@h/nova');
  assert.equal(conf.DEFAULT.log_dir, '/var/log/x');
  assert.equal(conf.api.auth_strategy, 'noauth2');
  assert.equal(conf.vnc.novncproxy_port, 6081);
  assert.equal(conf.vnc.server_listen, '0.0.0.0');
  assert.equal(conf.quota.cores, 7);
  assert.deepEqual(conf.filter_scheduler.enabled_filters, ['ComputeFilter']);
  assert.equal(conf.placement.region_name, 'R2');
  assert.deepEqual(conf.placement.valid_interfaces, ['public']);
  assert.ok(
    warnings.includes(
      `Option "sql_connection" in group "DEFAULT" (${files[0]}) is deprecated; ` +
        'use option "connection" in group "database" instead',
    ),
  );
  assert.ok(
    warnings.some(
      (w) => w.startsWith('Option "os_region_name" in group "placement"') && w.includes('"region_name"'),
    ),
  );
});

test('within a file the current name beats a deprecated one; a later file beats an earlier one', () => {
  const same = loadTexts(['[database]\nconnection = new://x\n[DEFAULT]\nsql_connection = old://x\n']);
  assert.equal(same.conf.database.connection, 'new://x');
  const later = loadTexts(['[database]\nconnection = new://x\n', '[DEFAULT]\nsql_connection = old://y\n']);
  assert.equal(later.conf.database.connection, 'old://y');
});

test('warnings are deduplicated', () => {
  const { warnings } = loadTexts(['[DEFAULT]\nverbose = true\nverbose = false\n']);
  assert.equal(warnings.length, 1);
});
