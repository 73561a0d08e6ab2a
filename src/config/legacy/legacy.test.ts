import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { type LoadOptions, loadConfig } from '../load.ts';
import { HOST, tempTree } from '../test-support.ts';
import { withScheme } from './endpoints.ts';
import { composeRabbitUrl, parseRabbitHost } from './rabbit-transport.ts';

function load(text: string, extra: LoadOptions = {}) {
  const dir = tempTree({ 'nova.conf': text });
  return loadConfig({ env: {}, hostFacts: HOST, configFiles: [join(dir, 'nova.conf')], ...extra });
}

test('rabbit_hosts with rabbit_password → one URL, credentials on every host', () => {
  const { conf, warnings } = load(
    '[DEFAULT]\nrpc_backend = rabbit\nrabbit_hosts = h1,h2:5673\nrabbit_password = s3cret\n',
  );
  assert.equal(conf.DEFAULT.transport_url, 'rabbit://guest:s3cret@h1:5672,guest:s3cret@h2:5673/');
  const note = warnings.find((w) => w.startsWith('[DEFAULT] transport_url is unset'));
  assert.ok(note);
  assert.match(note, /rabbit:\/\/guest:\*\*\*@h1:5672,guest:\*\*\*@h2:5673\//);
  assert.match(note, /rpc_backend, rabbit_hosts, rabbit_password/);
  assert.doesNotMatch(warnings.join('\n'), /s3cret/);
});

test('rabbit_host alone (no rpc_backend) → rabbit_host:rabbit_port with guest credentials', () => {
  assert.equal(
    load('[DEFAULT]\nrabbit_host = mq\n').conf.DEFAULT.transport_url,
    'rabbit://guest:guest@mq:5672/',
  );
  assert.equal(
    load(
      '[oslo_messaging_rabbit]\nrabbit_host = mq\nrabbit_port = 5671\nrabbit_userid = nova\nrabbit_virtual_host = os\n',
    ).conf.DEFAULT.transport_url,
    'rabbit://nova:guest@mq:5671/os',
  );
});

test('rpc_backend names that mean rabbit: rabbit, kombu, nova.rpc.impl_kombu', () => {
  for (const b of ['rabbit', 'kombu', 'nova.rpc.impl_kombu']) {
    assert.equal(
      load(`[DEFAULT]\nrpc_backend = ${b}\n`).conf.DEFAULT.transport_url,
      'rabbit://guest:guest@localhost:5672/',
    );
  }
  const other = load('[DEFAULT]\nrpc_backend = qpid\nrabbit_host = mq\n');
  assert.equal(other.conf.DEFAULT.transport_url, undefined);
  assert.ok(other.warnings.some((w) => w.includes('rpc_backend = qpid is not supported')));
});

test('an explicit transport_url wins over rabbit_* options, with a warning', () => {
  const { conf, warnings } = load('[DEFAULT]\ntransport_url = rabbit://a:b@c:1/\nrabbit_host = mq\n');
  assert.equal(conf.DEFAULT.transport_url, 'rabbit://a:b@c:1/');
  assert.ok(warnings.includes('Options rabbit_host are ignored because [DEFAULT] transport_url is set'));
});

test('no rabbit settings → transport_url stays unset', () => {
  assert.equal(load('[DEFAULT]\ndebug = true\n').conf.DEFAULT.transport_url, undefined);
});

test('URL composition: IPv6 hosts, special characters, virtual hosts', () => {
  assert.deepEqual(parseRabbitHost('[::1]:5673', 5672), { host: '[::1]', port: 5673 });
  assert.deepEqual(parseRabbitHost('fe80::2', 5672), { host: '[fe80::2]', port: 5672 });
  assert.equal(
    composeRabbitUrl({ hosts: ['h'], port: 5672, userid: 'u@x', password: 'p:w/d', virtualHost: '/' }),
    'rabbit://u%40x:p%3Aw%2Fd@h:5672/',
  );
  assert.equal(
    composeRabbitUrl({ hosts: ['h'], port: 5672, userid: 'u', password: 'p', virtualHost: 'my/vh' }),
    'rabbit://u:p@h:5672/my%2Fvh',
  );
});

test('glance_api_servers without a scheme get http://', () => {
  assert.equal(withScheme('localhost:9292'), 'http://localhost:9292');
  assert.equal(withScheme('https://g:9292'), 'https://g:9292');
  const { conf } = load('[DEFAULT]\nglance_api_servers = localhost:9292, https://g2:9292\n');
  assert.deepEqual(conf.glance.api_servers, ['http://localhost:9292', 'https://g2:9292']);
});

test('glance_host (+ glance_port, glance_protocol) → api_servers', () => {
  assert.deepEqual(load('[DEFAULT]\nglance_host = g\n').conf.glance.api_servers, ['http://g:9292']);
  assert.deepEqual(
    load('[DEFAULT]\nglance_host = g\nglance_port = 9393\nglance_protocol = https\n').conf.glance.api_servers,
    ['https://g:9393'],
  );
  assert.deepEqual(load('[DEFAULT]\nglance_host = ::1\n').conf.glance.api_servers, ['http://[::1]:9292']);
  const both = load('[DEFAULT]\nglance_host = g\nglance_api_servers = a:1\n');
  assert.deepEqual(both.conf.glance.api_servers, ['http://a:1']);
  assert.ok(both.warnings.some((w) => w.includes('[glance] host, port and protocol are ignored')));
  assert.equal(load('').conf.glance.api_servers, undefined);
});

test('neutron_url / quantum_url → [neutron] url, used as endpoint_override', () => {
  const { conf } = load(
    '[DEFAULT]\nquantum_url = http://n:9696\nquantum_admin_username = q\nneutron_region_name = R\n',
  );
  assert.equal(conf.neutron.url, 'http://n:9696');
  assert.equal(conf.neutron.endpoint_override, 'http://n:9696');
  assert.equal(conf.neutron.username, 'q');
  assert.equal(conf.neutron.region_name, 'R');
  const explicit = load(
    '[DEFAULT]\nneutron_url = http://n:9696\n[neutron]\nendpoint_override = http://e:1\n',
  );
  assert.equal(explicit.conf.neutron.endpoint_override, 'http://e:1');
});

test('enabled_apis drops ec2 with a warning', () => {
  const { conf, warnings } = load('[DEFAULT]\nenabled_apis = ec2,osapi_compute,metadata\n');
  assert.deepEqual(conf.DEFAULT.enabled_apis, ['osapi_compute', 'metadata']);
  assert.ok(warnings.some((w) => w.includes("'ec2' is dropped")));
});
