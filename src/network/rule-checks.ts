// What makes a security group rule make sense, with Neutron's error types: a known protocol,
// port ranges only for protocols that have ports, ICMP type/code in range, a remote prefix of the
// rule's ethertype, not both a remote prefix and a remote group.
import { badRequest, NeutronFault } from './faults.ts';
import { formatCidr, parseCidr } from './ip.ts';

const NAMED = [
  'ah',
  'dccp',
  'egp',
  'esp',
  'gre',
  'icmp',
  'icmpv6',
  'igmp',
  'ipip',
  'ipv6-encap',
  'ipv6-frag',
  'ipv6-icmp',
  'ipv6-nonxt',
  'ipv6-opts',
  'ipv6-route',
  'ospf',
  'pgm',
  'rsvp',
  'sctp',
  'tcp',
  'udp',
  'udplite',
  'vrrp',
];
const WITH_PORTS = new Set(['tcp', 'udp', 'dccp', 'sctp', 'udplite', '6', '17', '33', '132', '136']);
const ICMP = new Set(['icmp', 'icmpv6', 'ipv6-icmp', '1', '58']);

const bad = (type: string, message: string) => new NeutronFault(type, 400, message);

export function checkProtocol(v: unknown): string | null {
  if (v === null || v === undefined || v === 'any' || v === '') return null;
  const text = String(v).toLowerCase();
  if (NAMED.includes(text)) return text;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return String(Number(text));
  throw bad(
    'SecurityGroupRuleInvalidProtocol',
    `Security group rule protocol ${String(v)} not supported. Only protocol values [None, ${NAMED.map((n) => `'${n}'`).join(', ')}] and integer representations [0 to 255] are supported.`,
  );
}

function portOf(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535)
    throw badRequest(`Invalid input for ${what}. Reason: '${String(v)}' is not a valid port number.`);
  return n;
}

export interface RuleShape {
  readonly protocol: string | null;
  readonly port_range_min: number | null;
  readonly port_range_max: number | null;
  readonly ethertype: string;
  readonly remote_ip_prefix: string | null;
}

export function checkRule(body: Record<string, unknown>): RuleShape {
  const protocol = checkProtocol(body.protocol);
  const min = portOf(body.port_range_min, 'port_range_min');
  const max = portOf(body.port_range_max, 'port_range_max');
  const ethertype = (body.ethertype as string | undefined) ?? 'IPv4';
  if (protocol === null && (min !== null || max !== null))
    throw bad('SecurityGroupProtocolRequiredWithPorts', 'Must also specify protocol if port range is given.');
  if (protocol !== null && WITH_PORTS.has(protocol)) {
    if (min !== null && max !== null && min > max)
      throw bad(
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      );
    for (const p of [min, max])
      if (p === 0) throw bad('SecurityGroupInvalidPortValue', 'Invalid value for port 0');
  } else if (protocol !== null && ICMP.has(protocol)) {
    for (const [p, name] of [
      [min, 'type'],
      [max, 'code'],
    ] as const)
      if (p !== null && p > 255)
        throw bad(
          'SecurityGroupInvalidIcmpValue',
          `Invalid value for ICMP ${name} (port-range-${name === 'type' ? 'min' : 'max'}): ${p}. It must be 0 to 255.`,
        );
    if (min === null && max !== null)
      throw bad(
        'SecurityGroupMissingIcmpType',
        `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`,
      );
  } else if (protocol !== null && (min !== null || max !== null)) {
    throw bad(
      'SecurityGroupInvalidProtocolForPortRange',
      `Ports cannot be specified for protocol ${protocol}.`,
    );
  }
  let prefix: string | null = null;
  if (body.remote_ip_prefix !== undefined && body.remote_ip_prefix !== null) {
    const c =
      parseCidr(String(body.remote_ip_prefix), true) ??
      parseCidr(`${String(body.remote_ip_prefix)}/${String(body.remote_ip_prefix).includes(':') ? 128 : 32}`);
    if (!c)
      throw badRequest(
        `Invalid input for remote_ip_prefix. Reason: '${String(body.remote_ip_prefix)}' is not a valid IP subnet.`,
      );
    if ((c.version === 4 ? 'IPv4' : 'IPv6') !== ethertype)
      throw bad(
        'SecurityGroupRuleParameterConflict',
        `Conflicting value ethertype ${ethertype} for CIDR ${String(body.remote_ip_prefix)}`,
      );
    prefix = formatCidr(c);
  }
  if (prefix !== null && body.remote_group_id)
    throw bad(
      'SecurityGroupRemoteGroupAndRemoteIpPrefix',
      'Only remote_ip_prefix or remote_group_id may be provided.',
    );
  return { protocol, port_range_min: min, port_range_max: max, ethertype, remote_ip_prefix: prefix };
}
