// The metadata service of an in-process all-in-one (one fake host, the embedded network service),
// asked as Neutron's metadata proxy asks: a booted server's own metadata with signed headers, its
// network_data.json from the ports Nova made, the EC2 tree, and the refusals.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { metaData } from '../../src/metadata/content.ts';
import { type MoveCloud, startMoveCloud } from './moves/cloud.ts';

const SECRET = 'functional-secret';
const sign = (id: string) => createHmac('sha256', SECRET).update(id).digest('hex');

describe('metadata service (all-in-one, Neutron proxy mode)', () => {
  let c: MoveCloud;
  let md: string;
  before(async () => {
    c = await startMoveCloud({
      fakeHosts: 1,
      conf: [
        '[neutron]',
        'service_metadata_proxy = true',
        `metadata_proxy_shared_secret = ${SECRET}`,
        '[api]',
        'metadata_cache_expiration = 0',
      ].join('\n'),
    });
    md = c.aio.roles.find((r) => r.role === 'nova-api (metadata)')?.endpoint ?? '';
  });
  after(() => c?.stop());

  const ask = async (path: string, server: string, project: string, signature = sign(server)) => {
    const res = await fetch(`${md}${path}`, {
      headers: { 'x-instance-id': server, 'x-tenant-id': project, 'x-instance-id-signature': signature },
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  test('the all-in-one lists it on 127.0.0.1', () => {
    assert.match(md, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('a booted server reads its own metadata; others are refused', async () => {
    const network = c.aio.roles.find((r) => r.role.startsWith('network'))?.endpoint ?? '';
    // biome-ignore lint/suspicious/noExplicitAny: test JSON
    const neutron = async (path: string, body: unknown): Promise<any> =>
      (
        await fetch(`${network}${path}`, {
          method: 'POST',
          headers: { 'x-auth-token': c.token, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    const net = (await neutron('/networks', { network: { name: 'md-net' } })).network.id;
    await neutron('/subnets', {
      subnet: { network_id: net, ip_version: 4, cidr: '10.40.0.0/24', dns_nameservers: ['192.0.2.53'] },
    });
    const kp = await c.api('POST', '/os-keypairs', { keypair: { name: 'mdkey' } }, '2.2');
    assert.ok(kp.status === 200 || kp.status === 201, String(kp.status));
    const userData = '#!/bin/sh\necho from-metadata\n';
    const s = await c.boot('md-vm', {
      networks: [{ uuid: net }],
      key_name: 'mdkey',
      metadata: { role: 'db' },
      user_data: Buffer.from(userData).toString('base64'),
    });
    const project = s.tenant_id;
    const ip = s.addresses['md-net'][0].addr;

    const meta = await ask('/openstack/latest/meta_data.json', s.id, project);
    assert.equal(meta.status, 200, meta.text);
    assert.match(meta.type, /^application\/json/);
    const m = JSON.parse(meta.text);
    assert.equal(m.uuid, s.id);
    assert.equal(m.name, 'md-vm');
    assert.equal(m.hostname, `${s['OS-EXT-SRV-ATTR:hostname']}.novalocal`);
    assert.deepEqual(m.meta, { role: 'db' });
    assert.deepEqual(m.public_keys, { mdkey: kp.body.keypair.public_key });
    assert.equal(m.project_id, project);
    assert.equal(m.availability_zone, s['OS-EXT-AZ:availability_zone']);

    // the config drive's builder gives the same document for the same server
    const drive = metaData(
      {
        uuid: s.id,
        name: s.name,
        hostname: m.hostname,
        availability_zone: s['OS-EXT-AZ:availability_zone'],
        project_id: project,
        launch_index: 0,
        public_keys: { mdkey: kp.body.keypair.public_key },
        key_type: 'ssh',
        metadata: s.metadata,
        user_data: Buffer.from(userData).toString('base64'),
      },
      'latest',
    );
    const { random_seed: _a, ...served } = m;
    const { random_seed: _b, ...built } = drive;
    assert.deepEqual(served, built);

    const ud = await ask('/openstack/latest/user_data', s.id, project);
    assert.equal(ud.text, userData);
    assert.equal((await ask('/latest/user-data', s.id, project)).text, userData);

    const nd = JSON.parse((await ask('/openstack/latest/network_data.json', s.id, project)).text);
    assert.equal(nd.links.length, 1);
    assert.match(nd.links[0].id, /^tap/);
    assert.equal(nd.networks[0].ip_address, ip);
    assert.equal(nd.networks[0].netmask, '255.255.255.0');
    assert.equal(nd.networks[0].network_id, net);
    assert.deepEqual(nd.services, [{ type: 'dns', address: '192.0.2.53' }]);

    const ec2 = async (p: string) => (await ask(`/latest/meta-data/${p}`, s.id, project)).text;
    assert.match(await ec2('instance-id'), /^i-[0-9a-f]{8}$/);
    assert.equal(await ec2('local-ipv4'), ip);
    assert.equal(await ec2('instance-type'), 'm1.tiny');
    assert.equal(await ec2('public-keys/'), '0=mdkey');
    assert.equal(await ec2('public-keys/0/openssh-key'), kp.body.keypair.public_key);
    assert.equal(await ec2('security-groups'), 'default');
    assert.equal(await ec2('placement/availability-zone'), s['OS-EXT-AZ:availability_zone']);

    assert.equal((await ask('/openstack/latest/meta_data.json', s.id, project, 'bad')).status, 403);
    assert.equal((await ask('/openstack/latest/meta_data.json', s.id, 'other-project')).status, 404);
    const unknown = '0b5f8d5e-1111-4222-8333-444444444444';
    assert.equal((await ask('/openstack/latest/meta_data.json', unknown, project)).status, 404);
    const missing = await fetch(`${md}/openstack/latest/meta_data.json`);
    assert.equal(missing.status, 400);
  });

  test('user_data is 404 for a server booted without it', async () => {
    const s = await c.boot('md-bare');
    assert.equal((await ask('/openstack/latest/user_data', s.id, s.tenant_id)).status, 404);
    const m = JSON.parse((await ask('/openstack/latest/meta_data.json', s.id, s.tenant_id)).text);
    assert.equal(m.uuid, s.id);
    assert.equal(m.public_keys, undefined);
  });
});
