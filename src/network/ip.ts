// IPv4/IPv6 address and CIDR arithmetic on bigints: parse, format (canonical, RFC 5952 for v6),
// network/broadcast, containment and overlap. No other module parses addresses by hand.

export type IpVersion = 4 | 6;

export interface Cidr {
  readonly version: IpVersion;
  /** The network address (host bits zero). */
  readonly network: bigint;
  readonly prefix: number;
}

const bitsOf = (v: IpVersion) => (v === 4 ? 32 : 128);

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.includes(':::')) return undefined;
  let text = s;
  if (text.includes('.')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex words.
    const at = text.lastIndexOf(':');
    const v4 = parseV4(text.slice(at + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, at + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const words = [...head, ...Array<string>(fill).fill('0'), ...rest].map((g) => BigInt(`0x${g}`));
  return words.reduce((acc, w) => (acc << 16n) | w, 0n);
}

/** An address as [version, value], or undefined when it is not one. */
export function parseIp(s: string): { version: IpVersion; value: bigint } | undefined {
  if (typeof s !== 'string') return undefined;
  const v4 = parseV4(s);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = s.includes(':') ? parseV6(s) : undefined;
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

export function formatIp(version: IpVersion, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((sh) => String((value >> sh) & 0xffn)).join('.');
  const words = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn));
  // The longest run (≥ 2) of zero words becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The canonical text of an address (v6 compressed, lower case), or undefined. */
export function canonicalIp(s: string): string | undefined {
  const p = parseIp(s);
  return p ? formatIp(p.version, p.value) : undefined;
}

const hostMask = (c: { version: IpVersion; prefix: number }) =>
  (1n << BigInt(bitsOf(c.version) - c.prefix)) - 1n;

/** "a.b.c.d/n": strict (host bits must be zero) unless `loose`. */
export function parseCidr(s: string, loose = false): Cidr | undefined {
  if (typeof s !== 'string') return undefined;
  const [addr, len, extra] = s.split('/');
  if (extra !== undefined || len === undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const prefix = Number(len);
  if (prefix > bitsOf(ip.version)) return undefined;
  const mask = hostMask({ version: ip.version, prefix });
  if (!loose && (ip.value & mask) !== 0n) return undefined;
  return { version: ip.version, network: ip.value & ~mask, prefix };
}

export const formatCidr = (c: Cidr) => `${formatIp(c.version, c.network)}/${c.prefix}`;
export const lastOf = (c: Cidr) => c.network | hostMask(c);
export const sizeOf = (c: Cidr) => hostMask(c) + 1n;

export function contains(c: Cidr, version: IpVersion, value: bigint): boolean {
  return version === c.version && value >= c.network && value <= lastOf(c);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.network <= lastOf(b) && b.network <= lastOf(a);
}

export interface Pool {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * Neutron's default allocation pool of a subnet: every host address but the network address, the
 * IPv4 broadcast and the gateway (which splits the range in two when inside it).
 */
export function defaultPools(c: Cidr, gateway: bigint | undefined): Pool[] {
  const size = sizeOf(c);
  let first = c.network;
  let last = lastOf(c);
  if (c.version === 4 && size > 2n) {
    first += 1n;
    last -= 1n;
  } else if (c.version === 6 && size > 1n) first += 1n;
  if (gateway === undefined || gateway < first || gateway > last) return [{ start: first, end: last }];
  const out: Pool[] = [];
  if (gateway > first) out.push({ start: first, end: gateway - 1n });
  if (gateway < last) out.push({ start: gateway + 1n, end: last });
  return out;
}
