import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ec2Print } from './ec2.ts';
import { ec2IpInfo, networkData } from './network-data.ts';
import { identify, signInstanceId } from './requester.ts';
import { vif } from './test-support.ts';

describe('network_data.json', () => {
  it('undefined without VIFs; no links for VIFs without subnets', () => {
    assert.equal(networkData([]), undefined);
    assert.deepEqual(networkData([{ id: 'p', network: { subnets: [] } }]), {
      links: [],
      networks: [],
      services: [],
    });
  });

  it('a DHCP subnet is ipv4_dhcp and its link has no MTU; devname and unknown VIF types', () => {
    const v = vif('10.0.0.7');
    const subnet = { ...v.network.subnets[0], meta: { dhcp_server: '10.0.0.2' } };
    const nd = networkData([
      { ...v, type: 'unbound', devname: 'tapabc', network: { ...v.network, subnets: [subnet] } },
    ]);
    assert.deepEqual(nd?.links[0], {
      id: 'tapabc',
      vif_id: v.id,
      type: 'phy',
      mtu: null,
      ethernet_mac_address: v.address,
    });
    assert.deepEqual(nd?.networks[0], {
      id: 'network0',
      type: 'ipv4_dhcp',
      link: 'tapabc',
      network_id: 'net-1',
    });
  });

  it('IPv6 netmask, a bridge link, services deduplicated across VIFs', () => {
    const v = vif('10.0.0.8');
    const v6 = {
      cidr: '2001:db8::/64',
      version: 6,
      gateway: { address: '2001:db8::1' },
      dns: [{ address: '192.0.2.53' }],
      routes: [],
      ips: [{ address: '2001:db8::8', type: 'fixed', version: 6 }],
      meta: {},
    };
    const second = { ...vif('10.9.0.8', { id: 'p2' }), type: 'bridge' };
    const nd = networkData([
      { ...v, network: { ...v.network, subnets: [...v.network.subnets, v6] } },
      second,
    ]);
    assert.equal(nd?.networks.length, 3);
    assert.deepEqual(nd?.networks[1], {
      id: 'network1',
      type: 'ipv6',
      link: 'tap1f0c2a3b-4d',
      ip_address: '2001:db8::8',
      netmask: 'ffff:ffff:ffff:ffff::',
      routes: [{ network: '::', netmask: '::', gateway: '2001:db8::1' }],
      network_id: 'net-1',
      services: [{ type: 'dns', address: '192.0.2.53' }],
    });
    assert.equal(nd?.links[1]?.type, 'bridge');
    assert.equal(nd?.links[1]?.id, 'tapp2');
    assert.deepEqual(nd?.services, [{ type: 'dns', address: '192.0.2.53' }]);
  });

  it('EC2 addresses: IPv4 fixed ones and their floating ones', () => {
    assert.deepEqual(ec2IpInfo([vif('10.0.0.9', { floating: '203.0.113.9' })]), {
      fixed_ips: ['10.0.0.9'],
      floating_ips: ['203.0.113.9'],
    });
  });
});

describe('EC2 rendering', () => {
  it('prints subtrees sorted, with / or their _name; lists one a line; null as None', () => {
    assert.equal(ec2Print({ b: '1', a: { x: '1' }, k: { _name: '0=key', y: '2' } }), 'a/\nb\n0=key');
    assert.equal(ec2Print(['default', 'web']), 'default\nweb');
    assert.equal(ec2Print(null), 'None');
    assert.equal(ec2Print(3), '3');
  });
});

describe('who is asking', () => {
  const proxy = { serviceMetadataProxy: true, sharedSecret: 'k', useForwardedFor: false };
  it('the signature is the hex HMAC-SHA256 of the instance id', () => {
    // RFC 4231-style check against a known digest computed independently
    assert.equal(
      signInstanceId('key', 'The quick brown fox jumps over the lazy dog'),
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });
  it('repeated headers are 400; the forwarded address is kept', () => {
    const sig = signInstanceId('k', 'u');
    assert.throws(
      () =>
        identify(
          proxy,
          { 'x-instance-id': ['u', 'v'], 'x-tenant-id': ['p'], 'x-instance-id-signature': [sig] },
          '',
        ),
      (e: Error & { status: number }) => e.status === 400 && /Multiple X-Instance-ID/.test(e.message),
    );
    assert.deepEqual(
      identify(
        proxy,
        {
          'x-instance-id': ['u'],
          'x-tenant-id': ['p'],
          'x-instance-id-signature': [sig],
          'x-forwarded-for': ['10.0.0.3'],
        },
        '',
      ),
      { kind: 'instance', uuid: 'u', tenant: 'p', address: '10.0.0.3' },
    );
  });
  it('an IPv4-mapped socket address is plain IPv4', () => {
    const o = { serviceMetadataProxy: false, sharedSecret: '', useForwardedFor: false };
    assert.deepEqual(identify(o, {}, '::ffff:10.0.0.4'), { kind: 'address', address: '10.0.0.4' });
  });
});
