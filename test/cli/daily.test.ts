// The commands the seeds use and a user's daily ones, through the real clients against a started
// all-in-one, each asserting on what it printed. Skips (one line) without the Debian clients.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CliCloud, haveClients, startCliCloud } from './cloud.ts';

const skip = haveClients()
  ? false
  : 'needs python3-openstackclient and python3-novaclient (apt-get install them)';

describe('openstack / nova / nova-manage against the all-in-one', { skip }, () => {
  let c: CliCloud;
  before(async () => {
    c = await startCliCloud();
  });
  after(() => c?.stop());

  test('identity: token, catalog, projects, users, roles, services, endpoints, application credentials', () => {
    assert.match(c.os('token', 'issue', '-f', 'value', '-c', 'id'), /^\S{40,}\n$/);
    const catalog = c.os('catalog', 'list', '-f', 'value', '-c', 'Type');
    for (const type of ['compute', 'identity', 'image', 'placement'])
      assert.match(catalog, new RegExp(`^${type}$`, 'm'));
    c.os('project', 'create', 'demo');
    c.os('user', 'create', '--password', 'demo-pass-1', 'demo');
    c.os('role', 'add', '--project', 'demo', '--user', 'demo', 'member');
    assert.match(
      c.os('role', 'assignment', 'list', '--names', '-f', 'value'),
      /member demo@Default\s+demo@Default/,
    );
    // A user without a role on a project is refused.
    assert.match(
      c.osFails(
        '--os-username',
        'demo',
        '--os-password',
        'demo-pass-1',
        '--os-project-name',
        'admin',
        'token',
        'issue',
      ),
      /401|authori[sz]/i,
    );
    c.os('service', 'create', '--name', 'extra', 'extra-type');
    c.os('endpoint', 'create', '--region', 'RegionOne', 'extra-type', 'public', 'http://127.0.0.1:1/extra');
    assert.match(c.os('endpoint', 'list', '-f', 'value', '-c', 'URL'), /http:\/\/127\.0\.0\.1:1\/extra/);
    const cred = JSON.parse(c.os('application', 'credential', 'create', 'ci', '-f', 'json')) as {
      id: string;
      secret: string;
    };
    const authUrl = (readFileSync(join(c.state, 'clouds.yaml'), 'utf8').match(/auth_url: "([^"]+)"/) ??
      [])[1];
    const viaCred = c.osWithEnv(
      {
        OS_AUTH_TYPE: 'v3applicationcredential',
        OS_AUTH_URL: authUrl,
        OS_APPLICATION_CREDENTIAL_ID: cred.id,
        OS_APPLICATION_CREDENTIAL_SECRET: cred.secret,
        OS_IDENTITY_API_VERSION: '3',
      },
      'token',
      'issue',
      '-f',
      'value',
      '-c',
      'project_id',
    );
    assert.match(viaCred, /^[0-9a-f]{32}\n$/);
  });

  test('compute: flavors, keypairs, quotas, aggregates, zones, services, hypervisors, server groups, usage', () => {
    assert.match(c.os('flavor', 'list', '-f', 'value', '-c', 'ID', '-c', 'Name'), /^1 m1\.tiny$/m);
    c.os(
      'flavor',
      'create',
      '--ram',
      '256',
      '--disk',
      '2',
      '--vcpus',
      '1',
      '--property',
      'hw:cpu_policy=shared',
      'cli.small',
    );
    assert.match(c.os('flavor', 'show', 'cli.small', '-f', 'value', '-c', 'ram'), /^256$/m);
    c.os('flavor', 'set', '--property', 'hw:mem_page_size=small', 'cli.small');
    assert.match(c.os('flavor', 'show', 'cli.small', '-f', 'value', '-c', 'properties'), /hw:mem_page_size/);
    c.os('flavor', 'delete', 'cli.small');

    assert.match(c.os('keypair', 'create', 'k1'), /BEGIN (RSA|OPENSSH) PRIVATE KEY/);
    assert.match(c.os('keypair', 'list', '-f', 'value', '-c', 'Name'), /^k1$/m);
    c.os('keypair', 'delete', 'k1');

    c.os('quota', 'set', '--instances', '7', 'admin');
    assert.match(c.os('quota', 'show', 'admin', '-f', 'value', '-c', 'instances'), /^7$/m);

    c.os('aggregate', 'create', '--zone', 'az1', 'agg1');
    c.os('aggregate', 'add', 'host', 'agg1', 'cli-host');
    c.os('aggregate', 'set', '--property', 'ssd=true', 'agg1');
    assert.match(c.os('aggregate', 'show', 'agg1', '-f', 'value', '-c', 'hosts'), /cli-host/);
    assert.match(
      c.os('availability', 'zone', 'list', '--compute', '-f', 'value', '-c', 'Zone Name'),
      /^az1$/m,
    );

    const services = c.os(
      'compute',
      'service',
      'list',
      '-f',
      'value',
      '-c',
      'Binary',
      '-c',
      'Host',
      '-c',
      'State',
    );
    for (const b of ['nova-conductor', 'nova-scheduler', 'nova-compute'])
      assert.match(services, new RegExp(`^${b} cli-host up$`, 'm'));
    c.os('compute', 'service', 'set', '--disable', '--disable-reason', 'maint', 'cli-host', 'nova-compute');
    assert.match(
      c.os('compute', 'service', 'list', '--long', '-f', 'value', '-c', 'Status', '-c', 'Disabled Reason'),
      /disabled maint/,
    );
    c.os('compute', 'service', 'set', '--enable', 'cli-host', 'nova-compute');

    assert.match(c.os('hypervisor', 'list', '-f', 'value', '-c', 'Hypervisor Hostname'), /^cli-host$/m);
    assert.match(
      c.os('hypervisor', 'show', 'cli-host', '-f', 'value', '-c', 'hypervisor_type'),
      /^fake|QEMU$/m,
    );
    assert.match(c.os('hypervisor', 'stats', 'show', '-f', 'value', '-c', 'count'), /^1$/m);
    assert.match(c.os('host', 'list', '-f', 'value', '-c', 'Service'), /^compute$/m);

    c.os('server', 'group', 'create', '--policy', 'anti-affinity', 'sg1');
    assert.match(
      c.os('server', 'group', 'list', '-f', 'value', '-c', 'Name', '-c', 'Policy'),
      /^sg1 anti-affinity$/m,
    );
    // No servers yet: the usage API answers (200) with no rows.
    assert.equal(c.os('usage', 'list', '-f', 'value'), '');
  });

  test('the nova CLI: flavor-list, service-list, hypervisor-list, quota-show', () => {
    assert.match(c.nova('flavor-list'), /\| 1\s+\| m1\.tiny\s+\|/);
    assert.match(c.nova('service-list'), /nova-compute\s+\| cli-host/);
    assert.match(c.nova('hypervisor-list'), /cli-host/);
    assert.match(c.nova('quota-show'), /\| instances\s+\|/);
  });

  test('image: create from a file, show, properties, tags, save returns the same bytes, delete', () => {
    const file = join(c.state, 'cli-image.raw');
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    writeFileSync(file, bytes);
    c.os('image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--file', file, 'cli-img');
    assert.match(c.os('image', 'show', 'cli-img', '-f', 'value', '-c', 'status'), /^active$/m);
    c.os('image', 'set', '--property', 'os_distro=cirros', '--tag', 'blue', 'cli-img');
    const shown = c.os('image', 'show', 'cli-img', '-f', 'json');
    assert.match(shown, /"os_distro": "cirros"/);
    assert.match(shown, /"blue"/);
    const out = join(c.state, 'cli-image.out');
    c.os('image', 'save', '--file', out, 'cli-img');
    assert.ok(readFileSync(out).equals(bytes), 'image save returns the uploaded bytes');
    c.os('image', 'delete', 'cli-img');
    assert.doesNotMatch(c.os('image', 'list', '-f', 'value', '-c', 'Name'), /^cli-img$/m);
  });

  test('placement: providers, inventories, allocation candidates', () => {
    const rp = c.os('resource', 'provider', 'create', 'cli-rp', '-f', 'value', '-c', 'uuid').trim();
    c.os(
      'resource',
      'provider',
      'inventory',
      'set',
      rp,
      '--resource',
      'VCPU=8',
      '--resource',
      'MEMORY_MB=4096',
    );
    assert.match(
      c.os('resource', 'provider', 'inventory', 'list', rp, '-f', 'value', '-c', 'resource_class'),
      /^VCPU$/m,
    );
    const candidates = c.os(
      '--os-placement-api-version',
      '1.10',
      'allocation',
      'candidate',
      'list',
      '--resource',
      'VCPU=2',
      '-f',
      'value',
    );
    assert.match(candidates, new RegExp(rp));
  });

  test('nova-manage: cells, hosts, services', async () => {
    assert.match(await c.manage('cell_v2', 'list_cells'), /\|\s+cell1\s+\|/);
    assert.match(await c.manage('cell_v2', 'list_hosts'), /cli-host/);
    assert.match(await c.manage('cell_v2', 'discover_hosts', '--verbose'), /Found 2 cell mappings\./);
    assert.match(await c.manage('service', 'list'), /^nova-compute\s+cli-host\s+\S+\s+enabled\s+:-\)/m);
  });
});
