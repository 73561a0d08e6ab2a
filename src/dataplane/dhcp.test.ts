import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dnsmasqFiles, sameSubnet } from './dhcp.ts';

describe('dnsmasq configuration of a network', () => {
  const n = {
    networkId: 'f6ad66f5-af16-4137-a21f-63e2b2738683',
    mtu: 1450,
    port: {
      id: '9cbe1d9e-8c00-4000-8000-000000000000',
      mac: 'fa:16:3e:00:00:03',
      ips: [{ ip: '10.77.0.3', prefix: 24 }],
    },
    subnets: [
      {
        id: 's1',
        cidr: '10.77.0.0/24',
        gatewayIp: '10.77.0.1',
        dnsNameservers: ['10.77.0.53'],
        hostRoutes: [{ destination: '10.99.0.0/16', nexthop: '10.77.0.254' }],
      },
      { id: 's6', cidr: 'fd00::/64', gatewayIp: null, dnsNameservers: [], hostRoutes: [] },
    ],
    hosts: [{ mac: 'fa:16:3e:18:48:13', ip: '10.77.0.2', hostname: 'host-10-77-0-2' }],
  };

  test('static leases only, per port; routes to the metadata address, host routes, then the default', () => {
    const f = dnsmasqFiles(n);
    assert.equal(f.hosts, 'fa:16:3e:18:48:13,host-10-77-0-2,10.77.0.2\n');
    assert.deepEqual(f.opts.trim().split('\n'), [
      'tag:subnet0,option:router,10.77.0.1',
      'tag:subnet0,option:classless-static-route,169.254.169.254/32,10.77.0.3,10.99.0.0/16,10.77.0.254,0.0.0.0/0,10.77.0.1',
      'tag:subnet0,option:dns-server,10.77.0.53',
      'tag:subnet0,option:mtu,1450',
    ]);
    assert.ok(f.args.includes('--dhcp-range=set:subnet0,10.77.0.0,static,255.255.255.0,86400s'));
    assert.ok(f.args.includes('--interface=ns-9cbe1d9e-8c'));
    assert.ok(f.args.includes('--port=0'), 'no DNS server');
    assert.ok(!f.args.some((a) => a.includes('fd00')), 'IPv6 subnets are not served by this DHCP');
  });

  test('a subnet without a gateway gives no router', () => {
    const f = dnsmasqFiles({ ...n, subnets: [{ ...n.subnets[0]!, gatewayIp: null, hostRoutes: [] }] });
    assert.match(f.opts, /^tag:subnet0,option:router$/m);
    assert.match(f.opts, /classless-static-route,169\.254\.169\.254\/32,10\.77\.0\.3$/m);
  });

  test('sameSubnet', () => {
    assert.ok(sameSubnet('10.77.0.200', '10.77.0.0/24'));
    assert.ok(!sameSubnet('10.78.0.2', '10.77.0.0/24'));
    assert.ok(sameSubnet('192.0.2.1', '0.0.0.0/0'));
    assert.ok(!sameSubnet('fd00::1', 'fd00::/64'));
  });
});
