// Routers and floating IPs end to end, as root, all inside network namespaces this test makes: two
// tenant bridges and an external one (addressless, named like networks), a "guest" namespace on
// each tenant bridge and an "external host" (203.0.113.1, TEST-NET-3) on the external bridge.
// Reachability is checked with ping and with a tiny TCP server that answers with the address it
// sees the client at (so SNAT is visible without tcpdump).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import {
  deleteLink,
  deleteNetns,
  ensureBridge,
  ensureNetns,
  inNetns,
  ip,
  linkExists,
  run,
} from './ip-command.ts';
import {
  natRuleset,
  networkOf,
  normalizeCidr,
  type RouterState,
  removeAllRouters,
  syncRouter,
  syncRouters,
} from './l3.ts';
import { bridgeName, routerGatewayName, routerInterfaceName, routerNamespace, tapName } from './names.ts';
import { netnsSkip, pingCmd } from './test-support.ts';

const skip = netnsSkip;
if (skip) console.log(`# skipping router data plane tests: ${skip}`);

const tag = randomBytes(3).toString('hex');
const net1 = `test${tag}1`;
const net2 = `test${tag}2`;
const netx = `test${tag}x`;
const routerId = `l3test-${tag}-router`;
const manages = (id: string) => id.startsWith(`l3test-${tag}`);
const guests = { g1: `nts-l3-${tag}-g1`, g2: `nts-l3-${tag}-g2`, ext: `nts-l3-${tag}-ext` };
const port = (n: string) => `${tag}${n}-port-id`;
const qr1 = {
  portId: port('qr1'),
  mac: 'fa:16:3e:91:00:01',
  bridge: bridgeName(net1),
  cidrs: ['10.91.0.1/24'],
};
const qr2 = {
  portId: port('qr2'),
  mac: 'fa:16:3e:92:00:01',
  bridge: bridgeName(net2),
  cidrs: ['10.92.0.1/24'],
};
const qg = {
  portId: port('qgw'),
  mac: 'fa:16:3e:71:00:0a',
  bridge: bridgeName(netx),
  cidrs: ['203.0.113.10/24'],
  gatewayIp: '203.0.113.1',
  enableSnat: true,
};
const otherNs = routerNamespace(`l3other-${tag}`);
const servers: ChildProcess[] = [];

const inNs = (ns: string, cmd: string[]) => run('ip', ['netns', 'exec', ns, ...cmd]);
const pings = (ns: string, addr: string) =>
  inNs(ns, [...(pingCmd ?? []), '-c', '1', '-W', '2', addr]).then(
    () => true,
    () => false,
  );
async function reaches(ns: string, addr: string): Promise<boolean> {
  for (let i = 0; i < 3; i++) if (await pings(ns, addr)) return true;
  return false;
}

/** A TCP server in `ns` on 7000 that answers with the client address it sees. */
async function echoServer(ns: string): Promise<void> {
  const script =
    "require('net').createServer((s)=>s.end(s.remoteAddress+'\\n')).listen(7000,'0.0.0.0',()=>console.log('ready'))";
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: 'pipe' });
  servers.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => String(d).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`echo server in ${ns} exited ${code}`)));
  });
}

/** Connects from `ns` to addr:7000; the address the server saw us at, or null when unreachable. */
async function seenAs(ns: string, addr: string): Promise<string | null> {
  const script = `const s=require('net').connect(7000,'${addr}');let d='';s.on('data',(c)=>d+=c);
s.on('end',()=>{console.log(d.trim());process.exit(0)});s.on('error',()=>process.exit(1));
setTimeout(()=>process.exit(2),2500)`;
  return inNs(ns, [process.execPath, '-e', script]).then(
    (out) => out.trim(),
    () => null,
  );
}

async function addGuest(ns: string, bridge: string, cidr: string, gw: string): Promise<void> {
  const hostEnd = `l3${ns.slice(-9).replace(/-/g, '')}`;
  await ensureNetns(ns);
  await ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', `${hostEnd}p`);
  await run('sysctl', ['-qw', `net.ipv6.conf.${hostEnd}.disable_ipv6=1`]);
  await ip('link', 'set', `${hostEnd}p`, 'netns', ns);
  await ip('link', 'set', hostEnd, 'master', bridge, 'up');
  await inNetns(ns, 'ip', 'link', 'set', `${hostEnd}p`, 'name', 'eth0');
  await inNetns(ns, 'ip', 'addr', 'add', cidr, 'dev', 'eth0');
  await inNetns(ns, 'ip', 'link', 'set', 'eth0', 'up');
  await inNetns(ns, 'ip', 'route', 'add', 'default', 'via', gw);
}

async function neighbourBecomes(ns: string, addr: string, mac: string): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    const out = await inNetns(ns, 'ip', '-j', 'neigh', 'show', addr);
    if ((JSON.parse(out) as { lladdr?: string }[]).some((n) => n.lladdr === mac)) return true;
    await setTimeout(100);
  }
  return false;
}

async function qgAddresses(): Promise<string[]> {
  const out = await inNetns(
    routerNamespace(routerId),
    'ip',
    '-j',
    'addr',
    'show',
    'dev',
    routerGatewayName(qg.portId),
  );
  const [entry] = JSON.parse(out) as { addr_info: { local: string; prefixlen: number; scope: string }[] }[];
  return (entry?.addr_info ?? []).filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`);
}

const router = (over: Partial<RouterState> = {}): RouterState => ({
  id: routerId,
  interfaces: [qr1, qr2],
  gateway: null,
  floatingIps: [],
  ...over,
});

describe('pure helpers', () => {
  test('networkOf and normalizeCidr', () => {
    assert.equal(networkOf('10.91.0.1/24'), '10.91.0.0/24');
    assert.equal(networkOf('192.168.77.130/25'), '192.168.77.128/25');
    assert.equal(networkOf('10.0.0.1/0'), '0.0.0.0/0');
    assert.equal(normalizeCidr('203.0.113.50'), '203.0.113.50/32');
    assert.equal(normalizeCidr('2001:DB8:0:0::1/64'), '2001:db8::1/64');
  });

  test('the NAT ruleset: floating DNAT/SNAT, tenant SNAT only with enable_snat and a gateway', () => {
    const rules = natRuleset(
      router({ gateway: qg, floatingIps: [{ floating: '203.0.113.50', fixed: '10.91.0.10' }] }),
    );
    const qgName = routerGatewayName(qg.portId);
    assert.match(rules, /ip daddr 203\.0\.113\.50 dnat to 10\.91\.0\.10/);
    assert.ok(rules.includes(`oifname "${qgName}" ip saddr 10.91.0.10 snat to 203.0.113.50`));
    assert.ok(
      rules.includes(`oifname "${qgName}" ip saddr { 10.91.0.0/24, 10.92.0.0/24 } snat to 203.0.113.10`),
    );
    assert.ok(rules.indexOf('snat to 203.0.113.50') < rules.indexOf('snat to 203.0.113.10'));
    assert.doesNotMatch(natRuleset(router({ gateway: { ...qg, enableSnat: false } })), /snat/);
    assert.doesNotMatch(
      natRuleset(router({ floatingIps: [{ floating: '203.0.113.50', fixed: '10.91.0.10' }] })),
      /nat to/,
    );
  });
});

describe('routers and floating IPs on the data plane', { skip }, () => {
  before(async () => {
    for (const net of [net1, net2, netx]) await ensureBridge(bridgeName(net));
    await addGuest(guests.g1, bridgeName(net1), '10.91.0.10/24', '10.91.0.1');
    await addGuest(guests.g2, bridgeName(net2), '10.92.0.10/24', '10.92.0.1');
    await addGuest(guests.ext, bridgeName(netx), '203.0.113.1/24', '203.0.113.254');
    await echoServer(guests.ext);
    await echoServer(guests.g1);
  });

  after(async () => {
    for (const child of servers) child.kill();
    await removeAllRouters({ manages }).catch(() => {});
    await deleteNetns(otherNs);
    await deleteLink(`tap${tag}stl`);
    for (const ns of Object.values(guests)) {
      await deleteLink(`l3${ns.slice(-9).replace(/-/g, '')}`);
      await deleteNetns(ns);
    }
    for (const p of [qr1, qr2, qg]) await deleteLink(tapName(p.portId));
    for (const net of [net1, net2, netx]) await deleteLink(bridgeName(net));
  });

  test('a router between two tenant networks forwards between them', async () => {
    assert.equal(await pings(guests.g1, '10.92.0.10'), false);
    await syncRouters([router()], { manages });
    assert.ok(await reaches(guests.g1, '10.92.0.10'), 'guest1 pings guest2 across the router');
    assert.ok(await reaches(guests.g2, '10.91.0.10'));
    assert.equal(await seenAs(guests.g2, '10.91.0.10'), '10.92.0.10', 'east-west traffic is not NATed');
    const ns = routerNamespace(routerId);
    assert.equal((await inNetns(ns, 'sysctl', '-n', 'net.ipv4.ip_forward')).trim(), '1');
    const link = JSON.parse(
      await inNetns(ns, 'ip', '-j', 'link', 'show', 'dev', routerInterfaceName(qr1.portId)),
    );
    assert.equal(link[0].address, qr1.mac);
    assert.ok(await linkExists(tapName(qr1.portId)), 'the peer is on the tenant bridge');
    assert.equal(await seenAs(guests.g1, '203.0.113.1'), null, 'no gateway yet');
    await deleteNetns(ns); // by hand: the same state synced again rebuilds it
    await syncRouters([router()], { manages });
    assert.ok(await reaches(guests.g1, '10.92.0.10'), 'rebuilt');
  });

  test('a gateway with SNAT: guests reach the outside as the router external address', async () => {
    await syncRouters([router({ gateway: qg })], { manages });
    assert.ok(await reaches(guests.g1, '203.0.113.1'));
    assert.equal(await seenAs(guests.g1, '203.0.113.1'), '203.0.113.10');
    assert.equal(await seenAs(guests.g2, '203.0.113.1'), '203.0.113.10');
    assert.equal(await seenAs(guests.ext, '203.0.113.10'), null, 'nothing is exposed by SNAT alone');
    await syncRouters([router({ gateway: { ...qg, enableSnat: false } })], { manages });
    assert.equal(await seenAs(guests.g1, '203.0.113.1'), null, 'no SNAT: tenant addresses do not leave');
  });

  test('a floating IP: reachable from outside at it, leaves with it, and goes away with it', async () => {
    const fip = { floating: '203.0.113.50', fixed: '10.91.0.10' };
    const state = router({ gateway: qg, floatingIps: [fip] });
    // The external host still has the floating IP at some other MAC (it was elsewhere before).
    const stale = ['lladdr', '02:00:00:00:00:99', 'dev', 'eth0', 'nud', 'stale'];
    await inNetns(guests.ext, 'ip', 'neigh', 'replace', fip.floating, ...stale);
    await setTimeout(1100); // past locktime: a neighbour entry younger than that is not overridden
    await syncRouters([state], { manages });
    assert.ok(await neighbourBecomes(guests.ext, fip.floating, qg.mac), 'a gratuitous ARP updated it');
    await syncRouter(state); // a full pass over what is already there changes nothing
    assert.deepEqual((await qgAddresses()).sort(), ['203.0.113.10/24', '203.0.113.50/32']);
    assert.ok(await reaches(guests.ext, '203.0.113.50'), 'the external host pings the floating IP');
    assert.equal(await seenAs(guests.ext, '203.0.113.50'), '203.0.113.1', 'guest1 sees the real client');
    assert.equal(
      await seenAs(guests.g1, '203.0.113.1'),
      '203.0.113.50',
      'guest1 leaves with its floating IP',
    );
    assert.equal(await seenAs(guests.g2, '203.0.113.1'), '203.0.113.10', 'guest2 still leaves by SNAT');
    assert.equal(
      await seenAs(guests.g2, '203.0.113.50'),
      '203.0.113.10',
      "guest2 reaches guest1's floating IP",
    );

    await syncRouters([router({ gateway: qg })], { manages });
    assert.deepEqual(await qgAddresses(), ['203.0.113.10/24']);
    assert.equal(await pings(guests.ext, '203.0.113.50'), false);
    assert.equal(await seenAs(guests.ext, '203.0.113.50'), null);
    assert.equal(await seenAs(guests.g1, '203.0.113.1'), '203.0.113.10');
  });

  test('updates: a changed MAC and external address; stale routers go, ones not managed stay', async () => {
    const staleNs = routerNamespace(`l3test-${tag}-stale`);
    await ensureNetns(staleNs);
    await ip('link', 'add', `tap${tag}stl`, 'type', 'veth', 'peer', 'name', `qr-${tag}stl`);
    await ip('link', 'set', `qr-${tag}stl`, 'netns', staleNs);
    await ensureNetns(otherNs);
    const qr2b = { ...qr2, mac: 'fa:16:3e:92:00:02' };
    await syncRouters([router({ interfaces: [qr1, qr2b], gateway: { ...qg, cidrs: ['203.0.113.11/24'] } })], {
      manages,
    });
    const ns = routerNamespace(routerId);
    const link = JSON.parse(
      await inNetns(ns, 'ip', '-j', 'link', 'show', 'dev', routerInterfaceName(qr2.portId)),
    );
    assert.equal(link[0].address, qr2b.mac);
    assert.deepEqual(await qgAddresses(), ['203.0.113.11/24']);
    assert.equal(await seenAs(guests.g1, '203.0.113.1'), '203.0.113.11');
    const namespaces = (await ip('netns', 'list')).split('\n').map((l) => l.split(' ')[0]);
    assert.ok(!namespaces.includes(staleNs), 'a router no longer listed is removed');
    assert.equal(await linkExists(`tap${tag}stl`), false, "with its devices' bridge ends");
    assert.ok(namespaces.includes(otherNs), 'a namespace outside `manages` is left alone');
    await syncRouters([router({ gateway: qg })], { manages });
  });

  test('updates drop a removed interface; syncRouters([]) removes the namespace and its devices', async () => {
    await syncRouters([router({ interfaces: [qr1], gateway: qg })], { manages });
    const ns = routerNamespace(routerId);
    assert.equal(await linkExists(routerInterfaceName(qr2.portId), ns), false);
    assert.equal(await linkExists(tapName(qr2.portId)), false);
    assert.equal(await pings(guests.g1, '10.92.0.10'), false);
    assert.ok(await reaches(guests.g1, '203.0.113.1'));

    await syncRouters([], { manages });
    const namespaces = await ip('netns', 'list');
    assert.ok(!namespaces.includes(ns), 'the router namespace is gone');
    for (const p of [qr1, qr2, qg])
      assert.equal(await linkExists(tapName(p.portId)), false, tapName(p.portId));
    assert.equal(await seenAs(guests.g1, '203.0.113.1'), null);
  });
});
