// What a subnet's CIDR, gateway and allocation pools must satisfy (Neutron's messages), and the
// defaults it gets: gateway = first host address, pools = the rest of the host addresses.
import { badRequest, conflict, invalidAttr, invalidInput } from './faults.ts';
import { type Cidr, contains, defaultPools, formatCidr, formatIp, lastOf, parseCidr, parseIp } from './ip.ts';
import type { HostRoute, PoolRange, Subnet } from './model.ts';

export function checkCidr(text: string, ipVersion: number): Cidr {
  const loose = parseCidr(text, true);
  if (!loose) throw invalidAttr('cidr', `'${text}' is not a valid IP subnet`);
  const strict = parseCidr(text);
  if (!strict)
    throw invalidAttr(
      'cidr',
      `'${text}' isn't a recognized IP subnet cidr, '${formatCidr(loose)}' is recommended`,
    );
  if (strict.version !== ipVersion) throw invalidInput(`Cidr ${text} does not match IP version ${ipVersion}`);
  if (strict.prefix === 0) throw invalidInput('0 is not allowed as CIDR prefix length');
  return strict;
}

function hostAddressIn(c: Cidr, ip: string): boolean {
  const p = parseIp(ip);
  if (!p || !contains(c, p.version, p.value)) return false;
  if (c.version === 4 && c.prefix < 31) return p.value !== c.network && p.value !== lastOf(c);
  return true;
}

/** The gateway: the first host address when absent, none when null, else a host address of the CIDR. */
export function gatewayOf(c: Cidr, given: string | null | undefined): string | null {
  if (given === null) return null;
  if (given === undefined)
    return c.prefix >= (c.version === 4 ? 31 : 127) ? null : formatIp(c.version, c.network + 1n);
  if (!hostAddressIn(c, given)) throw invalidInput('Gateway is not valid on subnet');
  return given;
}

const poolText = (p: PoolRange) => `${p.start}-${p.end}`;

/** Validated pools (given or default) with no overlap among them and none holding the gateway. */
export function poolsOf(
  c: Cidr,
  gateway: string | null,
  given: readonly PoolRange[] | undefined,
): PoolRange[] {
  if (given === undefined) {
    const gw = gateway === null ? undefined : parseIp(gateway)?.value;
    return defaultPools(c, gw).map((p) => ({
      start: formatIp(c.version, p.start),
      end: formatIp(c.version, p.end),
    }));
  }
  const ranges = given.map((p) => {
    const s = parseIp(p.start);
    const e = parseIp(p.end);
    if (!s || !e || !contains(c, s.version, s.value) || !contains(c, e.version, e.value) || s.value > e.value)
      throw badRequest(`The allocation pool ${poolText(p)} spans beyond the subnet cidr ${formatCidr(c)}.`);
    return {
      text: poolText(p),
      start: s.value,
      end: e.value,
      pool: { start: formatIp(c.version, s.value), end: formatIp(c.version, e.value) },
    };
  });
  for (let i = 0; i < ranges.length; i++)
    for (let j = i + 1; j < ranges.length; j++)
      if (ranges[i].start <= ranges[j].end && ranges[j].start <= ranges[i].end)
        throw conflict(
          'OverlappingAllocationPools',
          `Found overlapping allocation pools: ${ranges[i].text} and ${ranges[j].text} for subnet ${formatCidr(c)}.`,
        );
  const gw = gateway === null ? undefined : parseIp(gateway)?.value;
  const clash = gw === undefined ? undefined : ranges.find((r) => gw >= r.start && gw <= r.end);
  if (clash)
    throw conflict(
      'GatewayConflictWithAllocationPools',
      `Gateway ip ${gateway} conflicts with allocation pool ${clash.text}`,
    );
  return ranges.map((r) => r.pool);
}

export function checkPoolShapes(v: unknown): PoolRange[] {
  if (!Array.isArray(v)) throw invalidAttr('allocation_pools', `${JSON.stringify(v)} is not a list`);
  return v.map((p) => {
    const o = p as Record<string, unknown>;
    if (!o || typeof o !== 'object' || typeof o.start !== 'string' || typeof o.end !== 'string')
      throw invalidAttr(
        'allocation_pools',
        `${JSON.stringify(p)} is not a valid allocation pool (start and end are required)`,
      );
    if (!parseIp(o.start) || !parseIp(o.end))
      throw invalidAttr('allocation_pools', `${JSON.stringify(p)} does not have valid IP addresses`);
    return { start: o.start, end: o.end };
  });
}

export function checkNameservers(v: unknown): string[] {
  if (!Array.isArray(v)) throw invalidAttr('dns_nameservers', `${JSON.stringify(v)} is not a list`);
  const seen = new Set<string>();
  return v.map((x) => {
    const p = typeof x === 'string' ? parseIp(x) : undefined;
    if (!p) throw invalidAttr('dns_nameservers', `'${String(x)}' is not a valid nameserver`);
    const text = formatIp(p.version, p.value);
    if (seen.has(text)) throw invalidAttr('dns_nameservers', `Duplicate nameserver '${x}'`);
    seen.add(text);
    return text;
  });
}

export function checkHostRoutes(v: unknown, version: number): HostRoute[] {
  if (!Array.isArray(v)) throw invalidAttr('host_routes', `${JSON.stringify(v)} is not a list`);
  return v.map((r) => {
    const o = r as Record<string, unknown>;
    const dest = typeof o?.destination === 'string' ? parseCidr(o.destination, true) : undefined;
    const hop = typeof o?.nexthop === 'string' ? parseIp(o.nexthop) : undefined;
    if (!dest || !hop)
      throw invalidAttr('host_routes', `Invalid data format for hostroute: '${JSON.stringify(r)}'`);
    if (dest.version !== version || hop.version !== version)
      throw invalidInput(`Invalid route ${JSON.stringify(r)}: IP version mismatch`);
    return { destination: formatCidr(dest), nexthop: formatIp(hop.version, hop.value) };
  });
}

/** Neutron refuses a CIDR that overlaps another subnet of the same network. */
export function checkOverlap(c: Cidr, text: string, networkId: string, others: readonly Subnet[]) {
  for (const s of others) {
    const o = parseCidr(s.cidr);
    if (o && o.version === c.version && o.network <= lastOf(c) && c.network <= lastOf(o))
      throw invalidInput(
        `Requested subnet with cidr: ${text} for network: ${networkId} overlaps with another subnet`,
      );
  }
}
