// Security groups on the data plane: nftables rules on each port's tap, with Neutron's semantics
// (iptables / openvswitch firewall drivers). Stateful: the return traffic of an allowed connection
// is allowed. Into a port only what its ingress rules allow, out of it only what its egress rules
// allow; DHCP, ARP and the IPv6 neighbour/router essentials always pass; from a tap only its MAC
// and its addresses (fixed IPs, allowed address pairs, the MAC's link-local address) are accepted.
// A port without port security is not filtered at all.
//
// Guests' taps are ports of a Linux bridge, so the rules live in the `bridge` family (chain on the
// forward hook, `iifname`/`oifname` = tap). Connection tracking there needs nf_conntrack_bridge;
// where the kernel lacks it (no module, or not built), the `br_netfilter` path gives bridged IPv4/
// IPv6 packets conntrack instead: a small `inet` table on the forward hook (which br_netfilter runs
// for bridged packets, with the bridge as iif) copies the packet's conntrack state into two bits of
// the packet mark, and the bridge chain, at a priority after br_netfilter's, reads them.
//
// The whole state of this host's ports is given every time: one `nft -f` transaction deletes both
// tables and writes them again, so the rules are never half applied.
import { isIPv4, isIPv6 } from 'node:net';
import { run as defaultRun } from './ip-command.ts';
import { SG_TABLE } from './names.ts';

/** A Neutron security group rule, as the network API returns it. */
export interface SgRule {
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  /** tcp/udp/icmp/icmpv6/… or a protocol number; null = any. */
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}

export interface PortFilter {
  /** Host device of the port. */
  tap: string;
  /** The port's MAC. */
  mac: string;
  /** The port's addresses (anti-spoofing). */
  fixedIps: string[];
  allowedAddressPairs?: { ip_address: string; mac_address?: string }[];
  /** port_security_enabled false → no filtering at all for it. */
  portSecurity: boolean;
  /** The rules of all its security groups. */
  rules: SgRule[];
  /** remote_group_id → addresses of that group's member ports (for remote-group rules). */
  groupMembers: Record<string, string[]>;
}

/**
 * Where the conntrack state comes from: `bridge` = `ct state` in the bridge family
 * (nf_conntrack_bridge); `br_netfilter` = the inet forward hook br_netfilter runs for bridged
 * packets, handed over in the packet mark.
 */
export type ConntrackMode = 'bridge' | 'br_netfilter';

export interface SgOptions {
  conntrack?: ConntrackMode;
  /** The tables' name (default SG_TABLE); each agent on a host keeps its own. */
  table?: string;
}

/** Mark bits (br_netfilter mode) carrying "established or related" and "invalid". */
export const MARK_ESTABLISHED = 0x10000000;
export const MARK_INVALID = 0x20000000;
const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
/** Bridged packets seen by the inet table: our bridges (brq + network id). */
const BRIDGE_PATTERN = 'brq*';

// IP protocol numbers of the names Neutron accepts in a rule.
const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  hopopt: 0,
  icmp: 1,
  igmp: 2,
  ipip: 4,
  tcp: 6,
  egp: 8,
  udp: 17,
  dccp: 33,
  'ipv6-encap': 41,
  'ipv6-route': 43,
  'ipv6-frag': 44,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  'ipv6-icmp': 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  ospf: 89,
  pim: 103,
  vrrp: 112,
  pgm: 113,
  l2tp: 115,
  sctp: 132,
  udplite: 136,
};
/** Protocols with ports, by number: the nft header keyword. */
const PORT_PROTOCOLS: Readonly<Record<number, string>> = {
  6: 'tcp',
  17: 'udp',
  33: 'dccp',
  132: 'sctp',
  136: 'udplite',
};
const PROTOCOL_KEYWORDS: Readonly<Record<number, string>> = {
  1: 'icmp',
  6: 'tcp',
  17: 'udp',
  58: 'ipv6-icmp',
};

const TAP_RE = /^[A-Za-z0-9_.-]{1,15}$/;
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export class SecurityGroupInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecurityGroupInputError';
  }
}

function checkMac(mac: string): string {
  const m = mac.toLowerCase();
  if (!MAC_RE.test(m)) throw new SecurityGroupInputError(`not a MAC address: ${JSON.stringify(mac)}`);
  return m;
}

interface Address {
  family: 4 | 6;
  text: string;
}

/** An address or CIDR as nft takes it; nft itself masks host bits of a prefix. */
function parseAddress(value: string): Address {
  const [addr = '', prefix, extra] = value.trim().split('/');
  const family = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : 0;
  const max = family === 4 ? 32 : 128;
  const ok =
    family !== 0 &&
    extra === undefined &&
    (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
  if (!ok) throw new SecurityGroupInputError(`not an IP address or CIDR: ${JSON.stringify(value)}`);
  const text = prefix === undefined || Number(prefix) === max ? addr : `${addr}/${Number(prefix)}`;
  return { family: family as 4 | 6, text: text.toLowerCase() };
}

/** The EUI-64 link-local address of a MAC (what the guest's kernel configures). */
export function linkLocalOf(mac: string): string {
  const b = checkMac(mac)
    .split(':')
    .map((x) => Number.parseInt(x, 16));
  const words = [
    ((b[0]! ^ 0x02) << 8) | b[1]!,
    (b[2]! << 8) | 0xff,
    (0xfe << 8) | b[3]!,
    (b[4]! << 8) | b[5]!,
  ];
  return `fe80::${words.map((w) => w.toString(16)).join(':')}`;
}

const set = (items: readonly string[]): string =>
  items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`;
const uniq = (items: Iterable<string>): string[] => [...new Set(items)];

/** The protocol number of a rule (null = any), IPv6's "icmp" being ICMPv6 as upstream. */
function protocolNumber(rule: SgRule): number | null {
  const p = rule.protocol?.trim().toLowerCase();
  if (p === undefined || p === '' || p === 'any') return null;
  let n: number;
  if (/^\d{1,3}$/.test(p)) n = Number(p);
  else if (p in PROTOCOL_NUMBERS) n = PROTOCOL_NUMBERS[p]!;
  else throw new SecurityGroupInputError(`unknown protocol in a security group rule: ${JSON.stringify(p)}`);
  if (n > 255) throw new SecurityGroupInputError(`protocol number out of range: ${n}`);
  if (rule.ethertype === 'IPv6' && n === 1) return 58;
  return n;
}

function checkPort(value: number | null, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new SecurityGroupInputError(`${what} out of range: ${value}`);
  return value;
}

/**
 * The nft match of one rule, or null when it can match nothing (a remote group without members
 * of its family, a prefix of the other family).
 */
export function ruleMatch(rule: SgRule, groupMembers: Readonly<Record<string, string[]>>): string | null {
  const v6 = rule.ethertype === 'IPv6';
  const parts = [v6 ? 'ether type ip6' : 'ether type ip'];
  const l3 = v6 ? 'ip6' : 'ip';
  const side = rule.direction === 'ingress' ? 'saddr' : 'daddr';
  if (rule.remote_ip_prefix) {
    const a = parseAddress(rule.remote_ip_prefix);
    if (a.family !== (v6 ? 6 : 4)) return null;
    if (!a.text.endsWith('/0')) parts.push(`${l3} ${side} ${a.text}`);
  }
  if (rule.remote_group_id) {
    const members = uniq(
      (groupMembers[rule.remote_group_id] ?? [])
        .map(parseAddress)
        .filter((a) => a.family === (v6 ? 6 : 4))
        .map((a) => a.text),
    );
    if (members.length === 0) return null;
    parts.push(`${l3} ${side} ${set(members)}`);
  }
  const proto = protocolNumber(rule);
  const min = checkPort(rule.port_range_min, 'port_range_min');
  const max = checkPort(rule.port_range_max, 'port_range_max');
  if (proto !== null) {
    const keyword = PROTOCOL_KEYWORDS[proto] ?? String(proto);
    parts.push(v6 ? `meta l4proto ${keyword}` : `ip protocol ${keyword}`);
    const portProto = PORT_PROTOCOLS[proto];
    if (portProto && min !== null) {
      const hi = max ?? min;
      if (hi < min) throw new SecurityGroupInputError(`port_range_min ${min} > port_range_max ${hi}`);
      parts.push(`${portProto} dport ${hi === min ? min : `${min}-${hi}`}`);
    } else if ((proto === 1 || proto === 58) && min !== null) {
      // ICMP: port_range_min is the type, port_range_max the code.
      const icmp = proto === 1 ? 'icmp' : 'icmpv6';
      if (min > 255 || (max !== null && max > 255))
        throw new SecurityGroupInputError(`ICMP type/code out of range: ${min}/${max}`);
      parts.push(`${icmp} type ${min}`);
      if (max !== null) parts.push(`${icmp} code ${max}`);
    }
  }
  return parts.join(' ');
}

/** Sources a port may send from, per MAC (the port's own and its address pairs'). */
function sourcesByMac(port: PortFilter): Map<string, { v4: string[]; v6: string[] }> {
  const byMac = new Map<string, { v4: Set<string>; v6: Set<string> }>();
  const add = (mac: string, address: string | null): void => {
    let entry = byMac.get(mac);
    if (!entry) {
      entry = { v4: new Set(), v6: new Set([linkLocalOf(mac)]) };
      byMac.set(mac, entry);
    }
    if (address === null) return;
    const a = parseAddress(address);
    (a.family === 4 ? entry.v4 : entry.v6).add(a.text);
  };
  const mac = checkMac(port.mac);
  add(mac, null);
  for (const ipAddr of port.fixedIps) add(mac, ipAddr);
  for (const pair of port.allowedAddressPairs ?? [])
    add(pair.mac_address ? checkMac(pair.mac_address) : mac, pair.ip_address);
  return new Map([...byMac].map(([m, e]) => [m, { v4: [...e.v4], v6: [...e.v6] }]));
}

function stateRules(mode: ConntrackMode, allowed: 'return' | 'accept'): string[] {
  return mode === 'bridge'
    ? [`ct state established,related ${allowed}`, 'ct state invalid drop']
    : [`meta mark & ${hex(MARK_ESTABLISHED)} != 0 ${allowed}`, `meta mark & ${hex(MARK_INVALID)} != 0 drop`];
}

/** The chains of one filtered port. */
function portChains(port: PortFilter, mode: ConntrackMode): string[] {
  const tap = port.tap;
  const sources = sourcesByMac(port);
  const macs = [...sources.keys()];
  const v4All = uniq([...sources.values()].flatMap((s) => s.v4));
  const spoof = [
    '# from the port: its MACs and addresses only (upstream checks this before the state)',
    `ether saddr != ${set(macs)} drop`,
    `ether type arp arp saddr ether != ${set(macs)} drop`,
    `ether type arp arp saddr ip != ${set([...v4All, '0.0.0.0'])} drop`,
    'ether type arp return',
    '# DHCP discover before the guest has an address, IPv6 duplicate address detection',
    'ether type ip ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 goto egress_' + tap,
    'ether type ip6 ip6 saddr :: ip6 daddr ff02::/16 icmpv6 type { mld-listener-report, nd-neighbor-solicit, mld2-listener-report } return',
  ];
  for (const [mac, s] of sources) {
    if (s.v4.length) spoof.push(`ether saddr ${mac} ip saddr ${set(s.v4)} goto egress_${tap}`);
    spoof.push(`ether saddr ${mac} ip6 saddr ${set(s.v6)} goto egress_${tap}`);
  }
  spoof.push('drop');

  const egress = [
    'ether type ip udp sport 68 udp dport 67 return',
    'ether type ip6 udp sport 546 udp dport 547 return',
    '# guests are no DHCP servers and no routers',
    'ether type ip udp sport 67 udp dport 68 drop',
    'ether type ip6 udp sport 547 udp dport 546 drop',
    'icmpv6 type nd-router-advert drop',
    'icmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done, mld2-listener-report, nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } return',
    ...stateRules(mode, 'return'),
  ];
  const ingress = [
    'ether type arp accept',
    'ether type ip udp sport 67 udp dport 68 accept',
    'ether type ip6 udp sport 547 udp dport 546 accept',
    'icmpv6 type { mld-listener-query, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept',
    ...stateRules(mode, 'accept'),
  ];
  for (const rule of port.rules) {
    const match = ruleMatch(rule, port.groupMembers);
    if (match === null) continue;
    if (rule.direction === 'egress') egress.push(`${match} return`);
    else ingress.push(`${match} accept`);
  }
  egress.push('drop');
  ingress.push('drop');
  const chain = (name: string, lines: string[]): string =>
    `  chain ${name}_${tap} {\n${lines.map((l) => `    ${l}\n`).join('')}  }\n`;
  return [chain('spoof', spoof), chain('egress', egress), chain('ingress', ingress)];
}

/** Deletes both tables, whether or not they exist (add + delete in the same transaction). */
const deleteTables = (t: string): string =>
  `table bridge ${t}\ndelete table bridge ${t}\n` + `table inet ${t}\ndelete table inet ${t}\n`;

/**
 * The whole `nft -f` transaction for this host's ports: the old tables deleted and the new ones
 * written. No filtered port → only the deletion.
 */
export function sgRuleset(ports: readonly PortFilter[], options: SgOptions = {}): string {
  const mode = options.conntrack ?? 'br_netfilter';
  const table = options.table ?? SG_TABLE;
  const DELETE_TABLES = deleteTables(table);
  const filtered = ports.filter((p) => p.portSecurity);
  const seen = new Set<string>();
  for (const p of filtered) {
    if (!TAP_RE.test(p.tap)) throw new SecurityGroupInputError(`not a device name: ${JSON.stringify(p.tap)}`);
    if (seen.has(p.tap)) throw new SecurityGroupInputError(`tap ${p.tap} given twice`);
    seen.add(p.tap);
  }
  if (filtered.length === 0) return DELETE_TABLES;
  const jumps = (kind: string) => filtered.map((p) => `"${p.tap}" : jump ${kind}_${p.tap}`).join(', ');
  // br_netfilter runs the inet forward hook at bridge forward priority -1: the bridge chain
  // comes after it to see the mark; with bridge conntrack the usual filter priority does.
  const priority = mode === 'bridge' ? 'filter' : '100';
  let text = DELETE_TABLES;
  text += `table bridge ${table} {\n`;
  text += '  chain forward {\n';
  text += `    type filter hook forward priority ${priority}; policy accept;\n`;
  text += `    iifname vmap { ${jumps('spoof')} }\n`;
  text += `    oifname vmap { ${jumps('ingress')} }\n`;
  text += '  }\n';
  for (const p of filtered) text += portChains(p, mode).join('');
  text += '}\n';
  if (mode === 'br_netfilter') {
    const keep = hex(~(MARK_ESTABLISHED | MARK_INVALID) >>> 0);
    text += `table inet ${table} {\n`;
    text += '  chain forward {\n';
    text += '    type filter hook forward priority filter; policy accept;\n';
    text += `    iifname "${BRIDGE_PATTERN}" meta mark set meta mark & ${keep}\n`;
    text += `    iifname "${BRIDGE_PATTERN}" ct state established,related meta mark set meta mark | ${hex(MARK_ESTABLISHED)}\n`;
    text += `    iifname "${BRIDGE_PATTERN}" ct state invalid meta mark set meta mark | ${hex(MARK_INVALID)}\n`;
    text += '  }\n';
    text += '}\n';
  }
  return text;
}

export type RunCommand = (cmd: string, args: readonly string[], input?: string) => Promise<string>;

export interface SgDeps {
  /** Runs a command (tests wrap it in `ip netns exec`). */
  run: RunCommand;
}

const defaultDeps: SgDeps = { run: defaultRun };

const PROBE =
  `table bridge ${SG_TABLE}_probe {\n  chain forward {\n` +
  '    type filter hook forward priority filter; policy accept;\n' +
  '    ct state established,related accept\n  }\n}\n';

const modes = new WeakMap<RunCommand, Promise<ConntrackMode>>();

/**
 * Whether the bridge family can do conntrack here (checked with `nft -c`, which the kernel
 * validates, after a `modprobe nf_conntrack_bridge`); otherwise br_netfilter.
 */
export function conntrackMode(deps: SgDeps = defaultDeps): Promise<ConntrackMode> {
  let mode = modes.get(deps.run);
  if (!mode) {
    const probe = () =>
      deps.run('nft', ['-c', '-f', '-'], PROBE).then(
        () => true,
        () => false,
      );
    mode = (async (): Promise<ConntrackMode> => {
      if (await probe()) return 'bridge';
      await deps.run('modprobe', ['nf_conntrack_bridge']).catch(() => '');
      return (await probe()) ? 'bridge' : 'br_netfilter';
    })();
    modes.set(deps.run, mode);
  }
  return mode;
}

const BRNF_SYSCTLS = ['net.bridge.bridge-nf-call-iptables=1', 'net.bridge.bridge-nf-call-ip6tables=1'];

async function ensureBrNetfilter(deps: SgDeps): Promise<void> {
  try {
    await deps.run('sysctl', ['-qw', ...BRNF_SYSCTLS]);
  } catch {
    await deps.run('modprobe', ['br_netfilter']).catch(() => '');
    await deps.run('sysctl', ['-qw', ...BRNF_SYSCTLS]);
  }
}

/** Replaces the security group tables with the rules of these ports (none → tables removed). */
export async function applySecurityGroups(
  ports: readonly PortFilter[],
  deps: SgDeps = defaultDeps,
  table?: string,
): Promise<void> {
  const t = table ?? SG_TABLE;
  const text = sgRuleset(ports, { conntrack: await conntrackMode(deps), table: t });
  if (text !== deleteTables(t) && (await conntrackMode(deps)) === 'br_netfilter')
    await ensureBrNetfilter(deps);
  await deps.run('nft', ['-f', '-'], text);
}

export async function removeSecurityGroups(deps: SgDeps = defaultDeps, table?: string): Promise<void> {
  await deps.run('nft', ['-f', '-'], deleteTables(table ?? SG_TABLE));
}
