// Unit tests of the security group ruleset: the exact nft text for representative ports and rules,
// and the commands applySecurityGroups runs (with a recording runner). The real enforcement test
// (network namespaces, ping, TCP) is security-groups-netns.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applySecurityGroups,
  conntrackMode,
  linkLocalOf,
  type PortFilter,
  removeSecurityGroups,
  ruleMatch,
  SecurityGroupInputError,
  sgRuleset,
} from './security-groups.ts';
import { sgRule as rule } from './test-support.ts';

const DELETE =
  'table bridge nova_ts_sg\ndelete table bridge nova_ts_sg\n' +
  'table inet nova_ts_sg\ndelete table inet nova_ts_sg\n';

const portA = (over: Partial<PortFilter> = {}): PortFilter => ({
  tap: 'tapaaaaaaaa-aa',
  mac: 'FA:16:3E:00:00:01',
  fixedIps: ['10.0.0.5'],
  portSecurity: true,
  rules: [
    rule({ direction: 'egress' }),
    rule({ direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 }),
  ],
  groupMembers: {},
  ...over,
});

describe('ruleMatch', () => {
  const none = {};
  test('any IPv4 / IPv6', () => {
    assert.equal(ruleMatch(rule({}), none), 'ether type ip');
    assert.equal(ruleMatch(rule({ ethertype: 'IPv6', direction: 'egress' }), none), 'ether type ip6');
  });
  test('ports: one, a range, min only; protocol by name or number', () => {
    assert.equal(
      ruleMatch(rule({ protocol: 'tcp', port_range_min: 80, port_range_max: 80 }), none),
      'ether type ip ip protocol tcp tcp dport 80',
    );
    assert.equal(
      ruleMatch(rule({ protocol: '17', port_range_min: 1000, port_range_max: 2000 }), none),
      'ether type ip ip protocol udp udp dport 1000-2000',
    );
    assert.equal(
      ruleMatch(rule({ protocol: 'SCTP', port_range_min: 5000 }), none),
      'ether type ip ip protocol 132 sctp dport 5000',
    );
    assert.equal(
      ruleMatch(rule({ ethertype: 'IPv6', protocol: 'tcp', port_range_min: 443, port_range_max: 443 }), none),
      'ether type ip6 meta l4proto tcp tcp dport 443',
    );
    assert.equal(ruleMatch(rule({ protocol: 'gre' }), none), 'ether type ip ip protocol 47');
    assert.equal(ruleMatch(rule({ protocol: 'tcp' }), none), 'ether type ip ip protocol tcp');
  });
  test('ICMP: min is the type, max the code; icmp with IPv6 is ICMPv6', () => {
    assert.equal(
      ruleMatch(rule({ protocol: 'icmp', port_range_min: 8, port_range_max: 0 }), none),
      'ether type ip ip protocol icmp icmp type 8 icmp code 0',
    );
    assert.equal(
      ruleMatch(rule({ protocol: 'icmp', port_range_min: 8 }), none),
      'ether type ip ip protocol icmp icmp type 8',
    );
    assert.equal(
      ruleMatch(rule({ ethertype: 'IPv6', protocol: 'icmp' }), none),
      'ether type ip6 meta l4proto ipv6-icmp',
    );
    assert.equal(
      ruleMatch(rule({ ethertype: 'IPv6', protocol: 'ipv6-icmp', port_range_min: 128 }), none),
      'ether type ip6 meta l4proto ipv6-icmp icmpv6 type 128',
    );
  });
  test('remote prefix: source for ingress, destination for egress; /0 is any; other family never', () => {
    assert.equal(
      ruleMatch(rule({ remote_ip_prefix: '192.168.1.0/24' }), none),
      'ether type ip ip saddr 192.168.1.0/24',
    );
    assert.equal(
      ruleMatch(rule({ direction: 'egress', remote_ip_prefix: '192.168.1.7/32' }), none),
      'ether type ip ip daddr 192.168.1.7',
    );
    assert.equal(ruleMatch(rule({ remote_ip_prefix: '0.0.0.0/0' }), none), 'ether type ip');
    assert.equal(
      ruleMatch(rule({ ethertype: 'IPv6', remote_ip_prefix: '2001:DB8::/32' }), none),
      'ether type ip6 ip6 saddr 2001:db8::/32',
    );
    assert.equal(ruleMatch(rule({ remote_ip_prefix: '2001:db8::/32' }), none), null);
  });
  test('remote group: its members of the rule family; none → the rule matches nothing', () => {
    const members = { g: ['10.0.0.7', '10.0.0.8', '2001:db8::7', '10.0.0.7'] };
    assert.equal(
      ruleMatch(rule({ remote_group_id: 'g', protocol: 'icmp' }), members),
      'ether type ip ip saddr { 10.0.0.7, 10.0.0.8 } ip protocol icmp',
    );
    assert.equal(
      ruleMatch(rule({ ethertype: 'IPv6', direction: 'egress', remote_group_id: 'g' }), members),
      'ether type ip6 ip6 daddr 2001:db8::7',
    );
    assert.equal(ruleMatch(rule({ remote_group_id: 'other' }), members), null);
  });
  test('nonsense is refused, never written into the ruleset', () => {
    assert.throws(() => ruleMatch(rule({ protocol: 'tcp; flush ruleset' }), {}), SecurityGroupInputError);
    assert.throws(() => ruleMatch(rule({ protocol: '300' }), {}), SecurityGroupInputError);
    assert.throws(() => ruleMatch(rule({ remote_ip_prefix: '10.0.0.0/33' }), {}), SecurityGroupInputError);
    assert.throws(() => ruleMatch(rule({ remote_ip_prefix: 'x } drop' }), {}), SecurityGroupInputError);
    assert.throws(
      () => ruleMatch(rule({ protocol: 'tcp', port_range_min: 90, port_range_max: 80 }), {}),
      SecurityGroupInputError,
    );
  });
});

test('linkLocalOf: EUI-64 from the MAC', () => {
  assert.equal(linkLocalOf('fa:16:3e:12:34:56'), 'fe80::f816:3eff:fe12:3456');
  assert.equal(linkLocalOf('00:00:00:00:00:01'), 'fe80::200:ff:fe00:1');
});

describe('sgRuleset', () => {
  test('no port, or only ports without port security → only the deletion of both tables', () => {
    assert.equal(sgRuleset([]), DELETE);
    assert.equal(sgRuleset([portA({ portSecurity: false })]), DELETE);
  });

  test('one port, bridge conntrack: the exact transaction', () => {
    const expected = `${DELETE}table bridge nova_ts_sg {
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname vmap { "tapaaaaaaaa-aa" : jump spoof_tapaaaaaaaa-aa }
    oifname vmap { "tapaaaaaaaa-aa" : jump ingress_tapaaaaaaaa-aa }
  }
  chain spoof_tapaaaaaaaa-aa {
    # from the port: its MACs and addresses only (upstream checks this before the state)
    ether saddr != fa:16:3e:00:00:01 drop
    ether type arp arp saddr ether != fa:16:3e:00:00:01 drop
    ether type arp arp saddr ip != { 10.0.0.5, 0.0.0.0 } drop
    ether type arp return
    # DHCP discover before the guest has an address, IPv6 duplicate address detection
    ether type ip ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 goto egress_tapaaaaaaaa-aa
    ether type ip6 ip6 saddr :: ip6 daddr ff02::/16 icmpv6 type { mld-listener-report, nd-neighbor-solicit, mld2-listener-report } return
    ether saddr fa:16:3e:00:00:01 ip saddr 10.0.0.5 goto egress_tapaaaaaaaa-aa
    ether saddr fa:16:3e:00:00:01 ip6 saddr fe80::f816:3eff:fe00:1 goto egress_tapaaaaaaaa-aa
    drop
  }
  chain egress_tapaaaaaaaa-aa {
    ether type ip udp sport 68 udp dport 67 return
    ether type ip6 udp sport 546 udp dport 547 return
    # guests are no DHCP servers and no routers
    ether type ip udp sport 67 udp dport 68 drop
    ether type ip6 udp sport 547 udp dport 546 drop
    icmpv6 type nd-router-advert drop
    icmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done, mld2-listener-report, nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } return
    ct state established,related return
    ct state invalid drop
    ether type ip return
    drop
  }
  chain ingress_tapaaaaaaaa-aa {
    ether type arp accept
    ether type ip udp sport 67 udp dport 68 accept
    ether type ip6 udp sport 547 udp dport 546 accept
    icmpv6 type { mld-listener-query, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept
    ct state established,related accept
    ct state invalid drop
    ether type ip ip protocol tcp tcp dport 22 accept
    drop
  }
}
`;
    assert.equal(sgRuleset([portA()], { conntrack: 'bridge' }), expected);
  });

  test('br_netfilter (the default): state from the mark, bridge chain after br_netfilter, inet table', () => {
    const text = sgRuleset([portA()]);
    assert.match(text, /type filter hook forward priority 100; policy accept;/);
    assert.match(
      text,
      /chain egress_tapaaaaaaaa-aa \{(?:(?!\n {2}\})[\s\S])*meta mark & 0x10000000 != 0 return\n/,
    );
    assert.match(text, /meta mark & 0x20000000 != 0 drop\n/);
    assert.match(
      text,
      /chain ingress_tapaaaaaaaa-aa \{(?:(?!\n {2}\})[\s\S])*meta mark & 0x10000000 != 0 accept\n/,
    );
    assert.doesNotMatch(text, /ct state established,related (return|accept)/);
    assert.ok(
      text.endsWith(`table inet nova_ts_sg {
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "brq*" meta mark set meta mark & 0xcfffffff
    iifname "brq*" ct state established,related meta mark set meta mark | 0x10000000
    iifname "brq*" ct state invalid meta mark set meta mark | 0x20000000
  }
}
`),
    );
  });

  test('allowed address pairs: per MAC (own MAC by default), CIDRs, link-local of each MAC', () => {
    const text = sgRuleset([
      portA({
        fixedIps: ['10.0.0.5', '2001:db8::5'],
        allowedAddressPairs: [
          { ip_address: '10.0.1.0/24' },
          { ip_address: '10.0.2.9', mac_address: 'fa:16:3e:00:00:99' },
        ],
      }),
    ]);
    assert.match(text, /ether saddr != \{ fa:16:3e:00:00:01, fa:16:3e:00:00:99 \} drop\n/);
    assert.match(text, /arp saddr ip != \{ 10\.0\.0\.5, 10\.0\.1\.0\/24, 10\.0\.2\.9, 0\.0\.0\.0 \} drop\n/);
    assert.match(
      text,
      /ether saddr fa:16:3e:00:00:01 ip saddr \{ 10\.0\.0\.5, 10\.0\.1\.0\/24 \} goto egress_/,
    );
    assert.match(
      text,
      /ether saddr fa:16:3e:00:00:01 ip6 saddr \{ fe80::f816:3eff:fe00:1, 2001:db8::5 \} goto/,
    );
    assert.match(text, /ether saddr fa:16:3e:00:00:99 ip saddr 10\.0\.2\.9 goto egress_/);
    assert.match(text, /ether saddr fa:16:3e:00:00:99 ip6 saddr fe80::f816:3eff:fe00:99 goto egress_/);
  });

  test('two ports share the base chain; a port without security gets no chain at all', () => {
    const text = sgRuleset([
      portA(),
      portA({ tap: 'tapbbbbbbbb-bb', mac: 'fa:16:3e:00:00:02', fixedIps: ['10.0.0.6'], rules: [] }),
      portA({ tap: 'tapcccccccc-cc', portSecurity: false }),
    ]);
    assert.match(
      text,
      /iifname vmap \{ "tapaaaaaaaa-aa" : jump spoof_tapaaaaaaaa-aa, "tapbbbbbbbb-bb" : jump spoof_tapbbbbbbbb-bb \}/,
    );
    assert.match(
      text,
      /oifname vmap \{ "tapaaaaaaaa-aa" : jump ingress_tapaaaaaaaa-aa, "tapbbbbbbbb-bb" : jump ingress_tapbbbbbbbb-bb \}/,
    );
    assert.doesNotMatch(text, /tapcccccccc-cc/);
    // No rules: egress ends with the state rules and the drop (nothing else leaves the port).
    assert.match(text, /chain egress_tapbbbbbbbb-bb \{(?:(?!\n {2}\})[\s\S])*!= 0 drop\n {4}drop\n {2}\}/);
  });

  test('bad devices, MACs and addresses are refused', () => {
    assert.throws(() => sgRuleset([portA({ tap: 'tap"; flush' })]), SecurityGroupInputError);
    assert.throws(() => sgRuleset([portA({ tap: 'tap0123456789abcdef' })]), SecurityGroupInputError);
    assert.throws(() => sgRuleset([portA(), portA()]), /given twice/);
    assert.throws(() => sgRuleset([portA({ mac: 'fa:16:3e:00:00' })]), SecurityGroupInputError);
    assert.throws(() => sgRuleset([portA({ fixedIps: ['10.0.0.300'] })]), SecurityGroupInputError);
  });
});

describe('applySecurityGroups', () => {
  const recorder = (failProbe: boolean) => {
    const calls: { cmd: string; args: readonly string[]; input?: string }[] = [];
    const run = async (cmd: string, args: readonly string[], input?: string) => {
      calls.push(input === undefined ? { cmd, args } : { cmd, args, input });
      if (failProbe && cmd === 'nft' && args[0] === '-c') throw new Error('Protocol error');
      return '';
    };
    return { calls, deps: { run } };
  };

  test('without bridge conntrack: modprobe tried, br_netfilter sysctls set, one nft -f transaction', async () => {
    const { calls, deps } = recorder(true);
    assert.equal(await conntrackMode(deps), 'br_netfilter');
    await applySecurityGroups([portA()], deps);
    assert.deepEqual(
      calls.map((c) => [c.cmd, ...c.args].join(' ')),
      [
        'nft -c -f -',
        'modprobe nf_conntrack_bridge',
        'nft -c -f -',
        'sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1',
        'nft -f -',
      ],
    );
    assert.equal(calls.at(-1)?.input, sgRuleset([portA()]));
    assert.match(calls[0]?.input ?? '', /table bridge nova_ts_sg_probe/);
  });

  test('with bridge conntrack: no sysctl, ct state in the bridge table', async () => {
    const { calls, deps } = recorder(false);
    await applySecurityGroups([portA()], deps);
    assert.deepEqual(
      calls.map((c) => [c.cmd, ...c.args].join(' ')),
      ['nft -c -f -', 'nft -f -'],
    );
    assert.equal(calls[1]?.input, sgRuleset([portA()], { conntrack: 'bridge' }));
  });

  test('empty list and removeSecurityGroups delete both tables', async () => {
    const { calls, deps } = recorder(true);
    await applySecurityGroups([], deps);
    await removeSecurityGroups(deps);
    const nft = calls.filter((c) => c.cmd === 'nft' && c.args[0] === '-f');
    assert.deepEqual(
      nft.map((c) => c.input),
      [DELETE, DELETE],
    );
    assert.ok(!calls.some((c) => c.cmd === 'sysctl'));
  });
});
