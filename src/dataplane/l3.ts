// Routers and floating IPs on the Linux-bridge data plane, the way upstream's L3 agent lays them
// out: one namespace per router (qrouter-<id>) that forwards between its networks; per tenant
// interface a veth whose qr- end (port MAC, gateway address) is in the namespace and whose tap end
// is on the network's bridge; the external gateway the same with qg-, holding the router's external
// address(es) and each floating IP as a /32. Forwarding and NAT live in the namespace only (the
// host's sysctls and rulesets are never touched): SNAT of the tenant subnets to the external
// address when enable_snat, and per floating IP DNAT floating→fixed plus SNAT fixed→floating.
// syncRouters() reconciles the namespaces with the desired state of every router this host serves.
import {
  deleteLink,
  deleteNetns,
  ensureBridge,
  ensureNetns,
  ensureVethIntoNetns,
  inNetns,
  ip,
  netnsExists,
  run,
} from './ip-command.ts';
import { routerGatewayName, routerInterfaceName, routerNamespace, tapName } from './names.ts';

export interface RouterPort {
  portId: string;
  mac: string;
  bridge: string;
  /** address/prefix, e.g. 10.0.0.1/24 */
  cidrs: string[];
}

export interface RouterGateway extends RouterPort {
  /** The external subnet's gateway_ip: the router's default route (none when null). */
  gatewayIp: string | null;
  enableSnat: boolean;
}

export interface FloatingIpMapping {
  floating: string;
  fixed: string;
}

export interface RouterState {
  id: string;
  /** Tenant networks. */
  interfaces: RouterPort[];
  /** External network. */
  gateway: RouterGateway | null;
  floatingIps: FloatingIpMapping[];
}

export interface SyncRoutersOptions {
  /**
   * The routers this call answers for (default: every qrouter- namespace on the host). A stale
   * namespace outside it is left alone: tests on a shared host, or two agents side by side.
   */
  manages?: (routerId: string) => boolean;
}

/** The nftables table (family ip) inside each router namespace. */
export const ROUTER_NAT_TABLE = 'nova_ts_router';

const NS_PREFIX = routerNamespace('');
const ROUTER_DEVICE = /^q[rg]-/;

/**
 * The state last applied per router and when. The agent calls every second or so: a router whose
 * state has not changed and whose namespace is there is left alone (a full pass takes some 25
 * `ip` runs), except that it is checked in full again every FULL_CHECK_MS, which repairs what
 * someone changed by hand.
 */
const applied = new Map<string, { state: string; at: number }>();
const FULL_CHECK_MS = 30_000;

/** Reconciles this host's router namespaces with `routers`: creates, updates, removes stale ones. */
export async function syncRouters(
  routers: readonly RouterState[],
  options: SyncRoutersOptions = {},
): Promise<void> {
  const manages = options.manages ?? (() => true);
  const errors: unknown[] = [];
  const present = new Set(await listRouterIds());
  for (const router of routers) {
    const last = applied.get(router.id);
    const unchanged =
      last?.state === JSON.stringify(router) &&
      Date.now() - last.at < FULL_CHECK_MS &&
      present.has(router.id);
    if (!unchanged) await syncRouter(router).catch((err) => errors.push(err));
  }
  const wanted = new Set(routers.map((r) => r.id));
  for (const id of present)
    if (!wanted.has(id) && manages(id)) await removeRouter(id).catch((err) => errors.push(err));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} routers failed to sync`);
}

/** Removes every router namespace (within `manages`) and the devices it made. */
export async function removeAllRouters(options: SyncRoutersOptions = {}): Promise<void> {
  await syncRouters([], options);
}

/** Router ids with a namespace on this host. */
export async function listRouterIds(): Promise<string[]> {
  const out = await ip('netns', 'list').catch(() => '');
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((ns) => ns.startsWith(NS_PREFIX) && ns.length > NS_PREFIX.length)
    .map((ns) => ns.slice(NS_PREFIX.length));
}

/** The router's namespace with every qr-/qg- veth (both ends) and its NAT table. */
export async function removeRouter(routerId: string): Promise<void> {
  applied.delete(routerId);
  const ns = routerNamespace(routerId);
  if (!(await netnsExists(ns))) return;
  // Deleting one end of a veth deletes the other at once; a namespace's devices would only go
  // when the kernel gets round to cleaning it up.
  for (const dev of await routerDevices(ns)) await deleteRouterDevice(ns, dev);
  await deleteNetns(ns);
}

/** Makes one router's namespace match `router` (every step idempotent). */
export async function syncRouter(router: RouterState): Promise<void> {
  applied.delete(router.id);
  const ns = routerNamespace(router.id);
  await ensureNetns(ns);
  await inNetns(ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  // A primary address going must not take the secondaries of its subnet with it.
  await inNetns(ns, 'sysctl', '-qw', 'net.ipv4.conf.all.promote_secondaries=1');
  const devices = new Set<string>();
  for (const port of router.interfaces) {
    const dev = routerInterfaceName(port.portId);
    devices.add(dev);
    await plugRouterPort(ns, dev, port);
    for (const addr of (await syncAddresses(ns, dev, port.cidrs.map(normalizeCidr))).added)
      announce(ns, dev, addr.split('/')[0] ?? '');
  }
  const gateway = router.gateway;
  if (gateway) {
    const dev = routerGatewayName(gateway.portId);
    devices.add(dev);
    await plugRouterPort(ns, dev, gateway);
    const floating = router.floatingIps.map((f) => normalizeCidr(`${f.floating}/32`));
    const { added, removed } = await syncAddresses(ns, dev, [
      ...gateway.cidrs.map(normalizeCidr),
      ...floating,
    ]);
    for (const addr of removed) if (addr.endsWith('/32')) await forgetConnections(ns, addr.slice(0, -3));
    for (const addr of added) announce(ns, dev, addr.split('/')[0] ?? '');
    await syncDefaultRoute(ns, dev, gateway.gatewayIp);
  } else {
    await syncDefaultRoute(ns, null, null);
  }
  for (const dev of await routerDevices(ns)) if (!devices.has(dev)) await deleteRouterDevice(ns, dev);
  await run('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], natRuleset(router));
  applied.set(router.id, { state: JSON.stringify(router), at: Date.now() });
}

/** The veth of a router port: `dev` in the namespace with the port's MAC, its tap on `port.bridge`. */
async function plugRouterPort(ns: string, dev: string, port: RouterPort): Promise<void> {
  const tap = tapName(port.portId);
  // The bridge of a network with no guest here yet (the external one, typically).
  await ensureBridge(port.bridge);
  await ensureVethIntoNetns(tap, dev, ns, port.bridge, port.mac);
  // The bridge end carries no address, not even an IPv6 link-local one.
  await run('sysctl', ['-qw', `net.ipv6.conf.${tap}.disable_ipv6=1`]).catch(() => {});
  const [link] = JSON.parse(await inNetns(ns, 'ip', '-j', 'link', 'show', 'dev', dev)) as {
    address?: string;
  }[];
  if (link?.address?.toLowerCase() !== port.mac.toLowerCase())
    await inNetns(ns, 'ip', 'link', 'set', 'dev', dev, 'address', port.mac);
}

async function routerDevices(ns: string): Promise<string[]> {
  const links = JSON.parse(await inNetns(ns, 'ip', '-j', 'link', 'show')) as { ifname: string }[];
  return links.map((l) => l.ifname).filter((name) => ROUTER_DEVICE.test(name));
}

async function deleteRouterDevice(ns: string, dev: string): Promise<void> {
  await inNetns(ns, 'ip', 'link', 'del', dev).catch(() => {});
  await deleteLink(`tap${dev.slice(3)}`);
}

interface AddrInfo {
  local: string;
  prefixlen: number;
  scope: string;
}

/** Makes `dev`'s global addresses exactly `want`; says which it added and removed. */
async function syncAddresses(
  ns: string,
  dev: string,
  wanted: readonly string[],
): Promise<{ added: string[]; removed: string[] }> {
  const want = [...new Set(wanted)];
  const have = async (): Promise<string[]> => {
    const [entry] = JSON.parse(await inNetns(ns, 'ip', '-j', 'addr', 'show', 'dev', dev)) as {
      addr_info?: AddrInfo[];
    }[];
    return (entry?.addr_info ?? [])
      .filter((a) => a.scope === 'global')
      .map((a) => normalizeCidr(`${a.local}/${a.prefixlen}`));
  };
  const removed = (await have()).filter((a) => !want.includes(a));
  for (const addr of removed) await inNetns(ns, 'ip', 'addr', 'del', addr, 'dev', dev).catch(() => {});
  const current = await have();
  const added = want.filter((a) => !current.includes(a));
  for (const addr of added) await inNetns(ns, 'ip', 'addr', 'add', addr, 'dev', dev, 'nodad');
  return { added, removed };
}

/**
 * A gratuitous ARP for an address that has just arrived on `dev`, so neighbours that knew it at
 * another MAC (a floating IP moved here) update at once. Best effort and in the background: arping
 * from iputils or BusyBox, when either is installed.
 */
function announce(ns: string, dev: string, address: string): void {
  if (!isIpv4(address)) return;
  const args = ['-U', '-c', '1', '-w', '1', '-I', dev, '-s', address, address];
  void inNetns(ns, 'arping', ...args)
    .catch(() => inNetns(ns, 'busybox', 'arping', ...args))
    .catch(() => {});
}

/** The namespace's default route(s): via `gatewayIp` on `dev`, or none. */
async function syncDefaultRoute(ns: string, dev: string | null, gatewayIp: string | null): Promise<void> {
  const family = gatewayIp === null ? null : gatewayIp.includes(':') ? '-6' : '-4';
  for (const f of ['-4', '-6'])
    if (f === family && dev && gatewayIp)
      await inNetns(ns, 'ip', f, 'route', 'replace', 'default', 'via', gatewayIp, 'dev', dev, 'onlink');
    else await inNetns(ns, 'ip', f, 'route', 'del', 'default').catch(() => {});
}

/**
 * Connections NATed through a floating IP that has gone: forgotten, so they stop reaching the
 * guest. Best effort: only when conntrack(8) is installed (new connections never match anyway).
 */
async function forgetConnections(ns: string, address: string): Promise<void> {
  for (const flag of ['--orig-dst', '--reply-dst'])
    await inNetns(ns, 'conntrack', '-D', flag, address).catch(() => {});
}

/**
 * The router's NAT table, replaced in one nft transaction. prerouting/output: DNAT each floating IP
 * to its fixed IP (from outside and from the router's other networks alike). postrouting: leaving
 * by qg-, a fixed IP with a floating IP takes it and the rest of the tenant subnets take the
 * external address (enable_snat); a DNATed connection between the router's own networks (a guest
 * reaching another's floating IP) is SNATed the same way so the answer comes back through here.
 * Plain traffic between tenant networks is routed untouched.
 */
export function natRuleset(router: RouterState): string {
  const t = `ip ${ROUTER_NAT_TABLE}`;
  const dnat: string[] = [];
  const snat: string[] = [];
  const gw = router.gateway;
  if (gw) {
    const qg = JSON.stringify(routerGatewayName(gw.portId));
    for (const { floating, fixed } of router.floatingIps) {
      if (!isIpv4(floating) || !isIpv4(fixed)) continue;
      dnat.push(`ip daddr ${floating} dnat to ${fixed}`);
      snat.push(`oifname ${qg} ip saddr ${fixed} snat to ${floating}`);
      snat.push(`iifname != ${qg} ct status dnat ip saddr ${fixed} snat to ${floating}`);
    }
    const external = gw.cidrs.map((c) => c.split('/')[0] ?? '').find(isIpv4);
    const subnets = [...new Set(router.interfaces.flatMap((p) => p.cidrs.filter(isIpv4Cidr).map(networkOf)))];
    if (gw.enableSnat && external && subnets.length > 0) {
      const set = `{ ${subnets.join(', ')} }`;
      snat.push(`oifname ${qg} ip saddr ${set} snat to ${external}`);
      snat.push(`iifname != ${qg} ct status dnat ip saddr ${set} snat to ${external}`);
    }
  }
  const chain = (name: string, hook: string, priority: string, rules: string[]) =>
    [
      `  chain ${name} {`,
      `    type nat hook ${hook} priority ${priority}; policy accept;`,
      ...rules.map((r) => `    ${r}`),
      '  }',
    ].join('\n');
  return [
    `table ${t}`,
    `delete table ${t}`,
    `table ${t} {`,
    chain('prerouting', 'prerouting', 'dstnat', dnat),
    chain('output', 'output', '-100', dnat),
    chain('postrouting', 'postrouting', 'srcnat', snat),
    '}',
    '',
  ].join('\n');
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const isIpv4 = (addr: string): boolean =>
  IPV4.test(addr) && addr.split('.').every((octet) => Number(octet) <= 255);

const isIpv4Cidr = (cidr: string): boolean => isIpv4(cidr.split('/')[0] ?? '');

/** 10.91.0.1/24 → 10.91.0.0/24 */
export function networkOf(cidr: string): string {
  const [addr = '', len = '32'] = cidr.split('/');
  const prefix = Number(len);
  const value = addr.split('.').reduce((acc, octet) => (acc << 8) + Number(octet), 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (value & mask) >>> 0;
  return `${[24, 16, 8, 0].map((shift) => (net >>> shift) & 255).join('.')}/${prefix}`;
}

/** One spelling per address: a missing prefix is a host prefix, IPv6 in its canonical form. */
export function normalizeCidr(cidr: string): string {
  const [addr = '', len] = cidr.split('/');
  if (addr.includes(':')) return `${new URL(`http://[${addr}]/`).hostname.slice(1, -1)}/${len ?? '128'}`;
  return `${addr}/${len ?? '32'}`;
}
