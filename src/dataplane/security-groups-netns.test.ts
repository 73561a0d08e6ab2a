// Security groups enforced for real, as root, entirely inside network namespaces this test makes:
// a "host" namespace holding an addressless bridge (named like a network's) with two taps (named
// like ports'), and two "guest" namespaces whose eth0 is the other end of those taps (10.90.0.1 and
// .2). The rules are applied in the host namespace with applySecurityGroups (its commands run
// through `ip netns exec`); reachability is checked with ping and with a tiny TCP server in guest B.
// Nothing is added to the root namespace; everything goes in after(), even on failure.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { inNetns, ip, netnsExists, run } from './ip-command.ts';
import { bridgeName, SG_TABLE, tapName } from './names.ts';
import {
  applySecurityGroups,
  conntrackMode,
  linkLocalOf,
  type PortFilter,
  type SgDeps,
} from './security-groups.ts';
import { netnsSkip, pingCmd, sgRule as rule } from './test-support.ts';

const skip = netnsSkip;
if (skip) console.log(`# security groups netns test skipped: ${skip}`);

const sfx = randomBytes(3).toString('hex');
const HOST = `sgtest-${sfx}-host`;
const A = `sgtest-${sfx}-a`;
const B = `sgtest-${sfx}-b`;
const BRIDGE = bridgeName(`test${sfx}-net`);
const TAP_A = tapName(`${sfx}aa-port-a`);
const TAP_B = tapName(`${sfx}bb-port-b`);
const MAC_A = 'fa:16:3e:5a:00:01';
const MAC_B = 'fa:16:3e:5a:00:02';
const IP_A = '10.90.0.1';
const IP_B = '10.90.0.2';
const SPOOF = '10.90.0.99';

const deps: SgDeps = { run: (cmd, args, input) => run('ip', ['netns', 'exec', HOST, cmd, ...args], input) };

/** The default group's egress rules. */
const EGRESS_ALL = [rule({ direction: 'egress' }), rule({ direction: 'egress', ethertype: 'IPv6' })];
const TCP_8080 = rule({ protocol: 'tcp', port_range_min: 8080, port_range_max: 8080 });
const ICMP_IN = rule({ protocol: 'icmp' });

const portA = (over: Partial<PortFilter> = {}): PortFilter => ({
  tap: TAP_A,
  mac: MAC_A,
  fixedIps: [IP_A],
  portSecurity: true,
  rules: EGRESS_ALL,
  groupMembers: {},
  ...over,
});
const portB = (over: Partial<PortFilter> = {}): PortFilter => ({
  tap: TAP_B,
  mac: MAC_B,
  fixedIps: [IP_B],
  portSecurity: true,
  rules: [...EGRESS_ALL, TCP_8080],
  groupMembers: {},
  ...over,
});

const ping = (from: string, to: string, source?: string, family = '-4'): Promise<boolean> =>
  run('ip', [
    'netns',
    'exec',
    from,
    ...(pingCmd ?? []),
    family,
    '-c',
    '1',
    '-W',
    '1',
    ...(source ? ['-I', source] : []),
    to,
  ]).then(
    () => true,
    () => false,
  );

const CLIENT = `
const s = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
s.setTimeout(1500, () => process.exit(2));
s.on('data', (d) => { process.stdout.write(d); process.exit(0); });
s.on('error', () => process.exit(1));`;
const tcp = (from: string, to: string, port: number): Promise<boolean> =>
  inNetns(from, process.execPath, '-e', CLIENT, to, String(port)).then(
    (out) => out === 'hello',
    () => false,
  );

const SERVER = `
const net = require('node:net');
let n = 0;
for (const port of [8080, 8081])
  net.createServer((c) => c.end('hello')).listen(port, process.argv[1], () => ++n === 2 && console.log('ready'));`;

describe('security groups on a bridge, in network namespaces', { skip }, () => {
  let server: ChildProcess | undefined;

  before(async () => {
    for (const ns of [HOST, A, B]) {
      await ip('netns', 'add', ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    await ip('-n', HOST, 'link', 'add', BRIDGE, 'type', 'bridge');
    await ip('-n', HOST, 'link', 'set', BRIDGE, 'up');
    for (const [tap, ns, mac, addr] of [
      [TAP_A, A, MAC_A, IP_A],
      [TAP_B, B, MAC_B, IP_B],
    ] as const) {
      await ip('-n', HOST, 'link', 'add', tap, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('-n', HOST, 'link', 'set', tap, 'master', BRIDGE, 'up');
      await ip('-n', ns, 'link', 'set', 'eth0', 'address', mac, 'up');
      await ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', 'eth0');
    }
    server = spawn('ip', ['netns', 'exec', B, process.execPath, '-e', SERVER, IP_B], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      server?.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      server?.on('exit', (code) => reject(new Error(`TCP server exited (${code})`)));
    });
  });

  after(async () => {
    server?.kill('SIGKILL');
    for (const ns of [A, B, HOST]) await ip('netns', 'del', ns).catch(() => '');
    for (const ns of [A, B, HOST]) assert.equal(await netnsExists(ns), false, `${ns} left behind`);
  });

  test('without rules everything passes (the wiring works)', async () => {
    assert.equal(await ping(A, IP_B), true);
    assert.equal(await tcp(A, IP_B, 8081), true);
  });

  test('no ICMP ingress rule: ping fails; TCP to the allowed port works (stateful), another port is blocked', async (t) => {
    t.diagnostic(`conntrack from: ${await conntrackMode(deps)}`);
    await applySecurityGroups([portA(), portB()], deps);
    assert.equal(await ping(A, IP_B), false);
    assert.equal(await tcp(A, IP_B, 8080), true);
    assert.equal(await tcp(A, IP_B, 8081), false);
  });

  test('an ingress ICMP rule on B: A pings B (the reply passes A without any ingress rule), B cannot ping A', async () => {
    await applySecurityGroups([portA(), portB({ rules: [...portB().rules, ICMP_IN] })], deps);
    assert.equal(await ping(A, IP_B), true);
    assert.equal(await ping(B, IP_A), false);
  });

  test('removing A’s egress rules blocks what B’s ingress allows', async () => {
    await applySecurityGroups([portA({ rules: [] }), portB({ rules: [...portB().rules, ICMP_IN] })], deps);
    assert.equal(await ping(A, IP_B), false);
    assert.equal(await tcp(A, IP_B, 8080), false);
  });

  test('a spoofed source address from A is dropped; allowed as an address pair it passes', async () => {
    // A really owns the extra address (in its own namespace) and B knows its MAC, so the only
    // thing between them is the anti-spoofing rule.
    await ip('-n', A, 'addr', 'add', `${SPOOF}/32`, 'dev', 'eth0');
    await ip('-n', B, 'neigh', 'replace', SPOOF, 'lladdr', MAC_A, 'dev', 'eth0', 'nud', 'permanent');
    const b = portB({ rules: [...portB().rules, ICMP_IN] });
    await applySecurityGroups([portA(), b], deps);
    assert.equal(await ping(A, IP_B), true);
    assert.equal(await ping(A, IP_B, SPOOF), false);
    await applySecurityGroups([portA({ allowedAddressPairs: [{ ip_address: `${SPOOF}/32` }] }), b], deps);
    assert.equal(await ping(A, IP_B, SPOOF), true);
  });

  test('a remote-group rule admits its members only', async () => {
    const fromGroup = rule({ protocol: 'tcp', port_range_min: 8081, remote_group_id: 'clients' });
    const b = (members: string[]) =>
      portB({ rules: [...EGRESS_ALL, fromGroup], groupMembers: { clients: members } });
    await applySecurityGroups([portA(), b([IP_A, '2001:db8::1'])], deps);
    assert.equal(await tcp(A, IP_B, 8081), true);
    await applySecurityGroups([portA(), b(['10.90.0.3'])], deps);
    assert.equal(await tcp(A, IP_B, 8081), false);
  });

  test('IPv6: neighbour discovery and link-local sources pass, ICMPv6 echo only with a rule', async () => {
    const llB = `${linkLocalOf(MAC_B)}%eth0`;
    const icmp6 = rule({ ethertype: 'IPv6', protocol: 'icmp' });
    await ip('-n', A, 'neigh', 'flush', 'dev', 'eth0');
    await applySecurityGroups([portA(), portB()], deps);
    assert.equal(await ping(A, llB, undefined, '-6'), false);
    await applySecurityGroups([portA(), portB({ rules: [...portB().rules, icmp6] })], deps);
    assert.equal(await ping(A, llB, undefined, '-6'), true);
  });

  test('port security off on B: B is not filtered at all', async () => {
    await applySecurityGroups([portA({ rules: [] }), portB({ portSecurity: false, rules: [] })], deps);
    assert.equal(await ping(B, IP_A), false, 'A is still filtered');
    await applySecurityGroups([portA(), portB({ portSecurity: false, rules: [] })], deps);
    assert.equal(await ping(A, IP_B), true);
    assert.equal(await tcp(A, IP_B, 8081), true);
  });

  test('an empty list removes the tables', async () => {
    await applySecurityGroups([portA(), portB()], deps);
    assert.equal(await ping(A, IP_B), false);
    await applySecurityGroups([], deps);
    const tables = await deps.run('nft', ['list', 'tables']);
    assert.doesNotMatch(tables, new RegExp(SG_TABLE));
    assert.equal(await ping(A, IP_B), true);
    assert.equal(await ping(B, IP_A), true);
  });
});
