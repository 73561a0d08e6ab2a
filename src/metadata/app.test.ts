import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { metaData } from '../virt/qemu/config-drive.ts';
import { instanceData } from './instance-data.ts';
import { signInstanceId } from './requester.ts';
import { type Fixture, metadataFixture, proxyConf, SECRET, vif } from './test-support.ts';

const KEYPAIR = { name: 'mykey', public_key: 'ssh-ed25519 AAAA me@host', type: 'ssh', fingerprint: 'x' };
const USER_DATA = Buffer.from('#!/bin/sh\necho hello\n').toString('base64');

const signed = (uuid: string, tenant = 'p1', signature = signInstanceId(SECRET, uuid)) => ({
  'x-instance-id': uuid,
  'x-tenant-id': tenant,
  'x-instance-id-signature': signature,
});

describe('metadata service behind the Neutron proxy (signed headers)', () => {
  let f: Fixture;
  let uuid: string;
  let bare: string;
  before(async () => {
    f = await metadataFixture(proxyConf);
    uuid = (
      await f.addInstance(
        { key_name: 'mykey', key_data: KEYPAIR.public_key, keypairs: [KEYPAIR], user_data: USER_DATA },
        [vif('10.0.0.5', { floating: '203.0.113.7' })],
      )
    ).uuid;
    bare = (await f.addInstance({ display_name: 'bare', hostname: 'bare' })).uuid;
  });
  after(() => f?.close());
  const get = (url: string, headers: Record<string, string>) => f.app.inject({ method: 'GET', url, headers });

  it('lists the EC2 versions at / without asking who calls', async () => {
    const r = await get('/', {});
    assert.equal(r.statusCode, 200);
    assert.match(r.headers['content-type'] as string, /^text\/plain/);
    assert.equal(r.body.split('\n').at(-1), 'latest');
    assert.equal(r.body.split('\n')[0], '1.0');
  });

  it('serves meta_data.json of the signed instance', async () => {
    const r = await get('/openstack/latest/meta_data.json', signed(uuid));
    assert.equal(r.statusCode, 200);
    assert.match(r.headers['content-type'] as string, /^application\/json/);
    const md = r.json();
    assert.equal(md.uuid, uuid);
    assert.equal(md.name, 'My VM');
    assert.equal(md.hostname, 'my-vm.novalocal');
    assert.deepEqual(md.meta, { role: 'web' });
    assert.deepEqual(md.public_keys, { mykey: KEYPAIR.public_key });
    assert.deepEqual(md.keys, [{ name: 'mykey', type: 'ssh', data: KEYPAIR.public_key }]);
    assert.equal(md.project_id, 'p1');
    assert.equal(md.availability_zone, 'nova');
    assert.equal(md.launch_index, 0);
    assert.deepEqual(md.devices, []);
    assert.equal(Buffer.from(md.random_seed, 'base64').length, 512);
    // an old version has only what existed then
    const folsom = (await get('/openstack/2012-08-10/meta_data.json', signed(uuid))).json();
    assert.equal(folsom.project_id, undefined);
    assert.equal(folsom.random_seed, undefined);
  });

  it('meta_data.json is what the config drive builds for the same instance', async () => {
    const served = (await get('/openstack/2018-08-27/meta_data.json', signed(uuid))).json();
    const inst = (await (await import('../objects/instance.ts')).get(f.cellDb, uuid)) as never;
    const drive = metaData(
      instanceData({ instance: inst, conf: f.conf, securityGroups: [], vendorData: {} }),
      '2018-08-27',
    );
    const strip = ({ random_seed: _r, ...rest }: Record<string, unknown>) => rest;
    assert.deepEqual(strip(served), strip(JSON.parse(JSON.stringify(drive))));
  });

  it('user_data and the version listing', async () => {
    const ud = await get('/openstack/latest/user_data', signed(uuid));
    assert.equal(ud.statusCode, 200);
    assert.equal(ud.body, '#!/bin/sh\necho hello\n');
    const listing = await get('/openstack/latest/', signed(uuid));
    assert.deepEqual(listing.body.split('\n'), [
      'meta_data.json',
      'user_data',
      'password',
      'vendor_data.json',
      'network_data.json',
      'vendor_data2.json',
    ]);
    const top = (await get('/openstack', signed(uuid))).body.split('\n');
    assert.equal(top[0], '2012-08-10');
    assert.equal(top.at(-1), 'latest');
    assert.ok(top.includes('2020-10-14'));
  });

  it('user_data is 404 when the server has none (and absent from the listing)', async () => {
    assert.equal((await get('/openstack/latest/user_data', signed(bare))).statusCode, 404);
    assert.ok(!(await get('/openstack/latest', signed(bare))).body.split('\n').includes('user_data'));
    assert.equal((await get('/latest/user-data', signed(bare))).statusCode, 404);
  });

  it('network_data.json from the info cache; {} without one', async () => {
    const nd = JSON.parse((await get('/openstack/latest/network_data.json', signed(uuid))).body);
    assert.deepEqual(nd.links, [
      {
        id: 'tap1f0c2a3b-4d',
        vif_id: '1f0c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b',
        type: 'ovs',
        mtu: 1450,
        ethernet_mac_address: 'fa:16:3e:00:00:01',
      },
    ]);
    assert.deepEqual(nd.networks, [
      {
        id: 'network0',
        type: 'ipv4',
        link: 'tap1f0c2a3b-4d',
        ip_address: '10.0.0.5',
        netmask: '255.255.255.0',
        routes: [
          { network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.0.0.1' },
          { network: '198.51.100.0', netmask: '255.255.255.0', gateway: '10.0.0.254' },
        ],
        network_id: 'net-1',
        services: [{ type: 'dns', address: '192.0.2.53' }],
      },
    ]);
    assert.deepEqual(nd.services, [{ type: 'dns', address: '192.0.2.53' }]);
    assert.equal((await get('/openstack/latest/network_data.json', signed(bare))).body, '{}');
  });

  it('vendor data: {} and {"static": {}} without a vendor data file', async () => {
    assert.deepEqual((await get('/openstack/latest/vendor_data.json', signed(uuid))).json(), {});
    assert.deepEqual((await get('/openstack/latest/vendor_data2.json', signed(uuid))).json(), { static: {} });
    assert.equal((await get('/openstack/2012-08-10/vendor_data.json', signed(uuid))).statusCode, 404);
  });

  it('the EC2 tree', async () => {
    const inst = await (await import('../objects/instance.ts')).get(f.cellDb, uuid);
    const md = await get('/latest/meta-data/', signed(uuid));
    assert.equal(md.statusCode, 200);
    const keys = md.body.split('\n');
    for (const k of [
      'ami-id',
      'ami-launch-index',
      'block-device-mapping/',
      'hostname',
      'instance-id',
      'instance-type',
      'local-hostname',
      'local-ipv4',
      'placement/',
      'public-hostname',
      'public-ipv4',
      'public-keys/',
      'reservation-id',
      'security-groups',
    ])
      assert.ok(keys.includes(k), `${k} in ${md.body}`);
    const v = async (p: string) => (await get(`/latest/meta-data/${p}`, signed(uuid))).body;
    assert.equal(await v('instance-id'), `i-${inst.id.toString(16).padStart(8, '0')}`);
    assert.equal(await v('ami-id'), 'ami-7d1b9a54');
    assert.equal(await v('hostname'), 'my-vm.novalocal');
    assert.equal(await v('local-hostname'), 'my-vm.novalocal');
    assert.equal(await v('local-ipv4'), '10.0.0.5');
    assert.equal(await v('public-ipv4'), '203.0.113.7');
    assert.equal(await v('instance-type'), 'm1.tiny');
    assert.equal(await v('reservation-id'), 'r-abcdefgh');
    assert.equal(await v('ami-launch-index'), '0');
    assert.equal(await v('placement/availability-zone'), 'nova');
    assert.equal(await v('public-keys/'), '0=mykey');
    assert.equal(await v('public-keys/0'), 'openssh-key');
    assert.equal(await v('public-keys/0/openssh-key'), KEYPAIR.public_key);
    assert.equal(await v('block-device-mapping/'), 'ami\nephemeral0\nroot\nswap');
    assert.equal(await v('block-device-mapping/root'), '/dev/sda1');
    assert.equal((await get('/latest', signed(uuid))).body, 'meta-data/\nuser-data');
    assert.equal((await get('/latest/user-data', signed(uuid))).body, '#!/bin/sh\necho hello\n');
    // dated versions: 1.0 has no local-hostname, 2009-04-04 has everything
    assert.ok(!(await get('/1.0/meta-data/', signed(uuid))).body.split('\n').includes('local-hostname'));
    assert.equal((await get('/2009-04-04/meta-data/instance-action', signed(uuid))).body, 'none');
    assert.equal((await get('/2001-01-01/meta-data/', signed(uuid))).statusCode, 404);
    assert.equal((await get('/latest/meta-data/nothing-here', signed(uuid))).statusCode, 404);
  });

  it('refuses a wrong signature (403) and missing headers (400)', async () => {
    const bad = await get('/openstack/latest/meta_data.json', signed(uuid, 'p1', 'deadbeef'));
    assert.equal(bad.statusCode, 403);
    assert.match(bad.body, /Invalid proxy request signature/);
    const other = await get(
      '/openstack/latest/meta_data.json',
      signed(uuid, 'p1', signInstanceId('x', uuid)),
    );
    assert.equal(other.statusCode, 403);
    for (const drop of ['x-instance-id', 'x-tenant-id', 'x-instance-id-signature']) {
      const h: Record<string, string> = signed(uuid);
      delete h[drop];
      const r = await get('/openstack/latest/meta_data.json', h);
      assert.equal(r.statusCode, 400, drop);
      assert.match(r.body, /header is missing from request/);
    }
  });

  it('an unknown instance is 404, another project is 404', async () => {
    const unknown = '00000000-1111-4222-8333-444444444444';
    assert.equal((await get('/openstack/latest/meta_data.json', signed(unknown))).statusCode, 404);
    assert.equal((await get('/openstack/latest/meta_data.json', signed(uuid, 'p2'))).statusCode, 404);
  });

  it('password: empty, set once by POST, then 409; too large is 400', async () => {
    const url = '/openstack/latest/password';
    assert.equal((await get(url, signed(bare))).body, '');
    const big = await f.app.inject({ method: 'POST', url, headers: signed(bare), payload: 'x'.repeat(1021) });
    assert.equal(big.statusCode, 400);
    const set = await f.app.inject({ method: 'POST', url, headers: signed(bare), payload: 'encrypted-pw' });
    assert.equal(set.statusCode, 200);
    assert.equal((await get(url, signed(bare))).body, 'encrypted-pw');
    const again = await f.app.inject({ method: 'POST', url, headers: signed(bare), payload: 'other' });
    assert.equal(again.statusCode, 409);
    const put = await f.app.inject({ method: 'PUT', url, headers: signed(bare), payload: 'x' });
    assert.equal(put.statusCode, 400);
    assert.equal((await get('/openstack/2012-08-10/password', signed(bare))).statusCode, 404);
  });
});

describe('metadata service by the caller address', () => {
  let f: Fixture;
  let uuid: string;
  before(async () => {
    f = await metadataFixture();
    uuid = (await f.addInstance({}, [vif('10.1.0.9')])).uuid;
    // a deleted instance that held the same address long ago is not the caller
    const old = await f.addInstance({ display_name: 'old' }, [vif('10.1.0.10')]);
    await (await import('../objects/instance.ts')).destroy(f.cellDb, old.uuid, f.clock.now());
  });
  after(() => f?.close());
  const from = (url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    f.app.inject({ method: 'GET', url, remoteAddress, headers });

  it('finds the instance whose info cache holds the source address', async () => {
    const r = await from('/openstack/latest/meta_data.json', '10.1.0.9');
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().uuid, uuid);
    assert.equal((await from('/latest/meta-data/local-ipv4', '10.1.0.9')).body, '10.1.0.9');
    assert.equal((await from('/latest/meta-data/public-ipv4', '10.1.0.9')).body, '');
  });

  it("an instance given no zone is in its host's zone (the default one here)", async () => {
    await f.addInstance({ availability_zone: null, host: 'h1' }, [vif('10.1.0.20')]);
    const r = await from('/openstack/latest/meta_data.json', '10.1.0.20');
    assert.equal(r.json().availability_zone, 'nova');
    assert.equal((await from('/latest/meta-data/placement/availability-zone', '10.1.0.20')).body, 'nova');
  });

  it('404 for an address no instance holds, a prefix of one, or a deleted instance', async () => {
    assert.equal((await from('/openstack/latest/meta_data.json', '10.1.0.99')).statusCode, 404);
    assert.equal((await from('/openstack/latest/meta_data.json', '10.1.0.1')).statusCode, 404);
    assert.equal((await from('/openstack/latest/meta_data.json', '10.1.0.10')).statusCode, 404);
  });

  it('ignores X-Forwarded-For and the proxy headers unless configured', async () => {
    const r = await from('/openstack/latest/meta_data.json', '127.0.0.1', { 'x-forwarded-for': '10.1.0.9' });
    assert.equal(r.statusCode, 404);
    const p = await from('/openstack/latest/meta_data.json', '127.0.0.1', signed(uuid));
    assert.equal(p.statusCode, 404);
  });
});

describe('metadata service behind a trusted proxy ([api] use_forwarded_for)', () => {
  let f: Fixture;
  let uuid: string;
  before(async () => {
    f = await metadataFixture([{ group: 'api', name: 'use_forwarded_for', value: 'true' }]);
    uuid = (await f.addInstance({}, [vif('10.2.0.4')])).uuid;
  });
  after(() => f?.close());

  it('takes the first X-Forwarded-For address', async () => {
    const r = await f.app.inject({
      method: 'GET',
      url: '/openstack/latest/meta_data.json',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '10.2.0.4, 127.0.0.1' },
    });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().uuid, uuid);
  });
});

describe('metadata cache ([api] metadata_cache_expiration)', () => {
  let f: Fixture;
  before(async () => {
    f = await metadataFixture([{ group: 'api', name: 'metadata_cache_expiration', value: '15' }]);
  });
  after(() => f?.close());

  it('serves an instance from the cache until it expires; a posted password is seen at once', async () => {
    const inst = await f.addInstance({}, [vif('10.3.0.5')]);
    const name = async () =>
      (await f.app.inject({ url: '/openstack/latest/meta_data.json', remoteAddress: '10.3.0.5' })).json()
        .name;
    assert.equal(await name(), 'My VM');
    const instances = await import('../objects/instance.ts');
    await instances.update(f.cellDb, inst.uuid, { display_name: 'Renamed' }, f.clock.now());
    assert.equal(await name(), 'My VM');
    f.clock.advance(16_000);
    assert.equal(await name(), 'Renamed');
    const url = '/openstack/latest/password';
    const post = (payload: string) =>
      f.app.inject({ method: 'POST', url, remoteAddress: '10.3.0.5', payload });
    assert.equal((await post('pw')).statusCode, 200);
    assert.equal((await post('pw2')).statusCode, 409);
    assert.equal((await f.app.inject({ url, remoteAddress: '10.3.0.5' })).body, 'pw');
  });
});
