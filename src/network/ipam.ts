// IPAM: turns a port's fixed_ips request into concrete (subnet, address) pairs. The database's
// unique (network_id, ip_address) index is the guarantee against duplicates; this module picks
// candidates (the lowest free address on a first attempt, a random one of the lowest free ones
// on a retry, so racing writers spread out) and reports Neutron's errors for bad requests.
import { randomInt } from 'node:crypto';
import type { Db } from './context.ts';
import { badRequest, invalidInput, ipAlreadyAllocated, ipGenerationFailure } from './faults.ts';
import { contains, formatIp, lastOf, parseCidr, parseIp } from './ip.ts';
import type { FixedIp, Subnet } from './model.ts';

export interface IpRequest {
  readonly subnet_id?: string;
  readonly ip_address?: string;
}

/** How many of the lowest free addresses a retry picks from. */
const RETRY_WINDOW = 32;

async function allocatedIn(db: Db, subnetId: string): Promise<Set<string>> {
  const rows = await db.kysely
    .selectFrom('ip_allocations')
    .select('ip_address')
    .where('subnet_id', '=', subnetId)
    .execute();
  return new Set(rows.map((r) => r.ip_address));
}

/** A free address of the subnet's pools, or undefined when they are exhausted. */
async function pickFree(db: Db, s: Subnet, taken: ReadonlySet<string>, attempt: number) {
  const used = await allocatedIn(db, s.id);
  const want = attempt === 0 ? 1 : RETRY_WINDOW;
  const found: string[] = [];
  for (const pool of s.allocation_pools) {
    const start = parseIp(pool.start);
    const end = parseIp(pool.end);
    if (!start || !end) continue;
    for (let v = start.value; v <= end.value && found.length < want; v++) {
      const text = formatIp(start.version, v);
      if (text !== s.gateway_ip && !used.has(text) && !taken.has(text)) found.push(text);
    }
    if (found.length >= want) break;
  }
  if (found.length === 0) return undefined;
  return found[attempt === 0 ? 0 : randomInt(found.length)];
}

/** The address is a host address of the subnet (not its network or IPv4 broadcast address). */
function usableIn(s: Subnet, ip: string): boolean {
  const c = parseCidr(s.cidr);
  const p = parseIp(ip);
  if (!c || !p || !contains(c, p.version, p.value)) return false;
  if (c.version === 4 && c.prefix < 31) return p.value !== c.network && p.value !== lastOf(c);
  return c.version === 4 || p.value !== c.network || c.prefix === 128;
}

/** Explicit addresses must be free now; the unique index still decides under a race. */
export async function checkRequestedFree(db: Db, networkId: string, fixed: readonly FixedIp[]) {
  for (const f of fixed) {
    const row = await db.kysely
      .selectFrom('ip_allocations')
      .select('port_id')
      .where('network_id', '=', networkId)
      .where('ip_address', '=', f.ip_address)
      .executeTakeFirst();
    if (row) throw ipAlreadyAllocated(f.ip_address, f.subnet_id);
  }
}

function resolveExplicit(
  networkId: string,
  subnets: readonly Subnet[],
  r: IpRequest,
): { subnet: Subnet; ip?: string } {
  if (r.subnet_id !== undefined) {
    const subnet = subnets.find((s) => s.id === r.subnet_id);
    if (!subnet)
      throw invalidInput(
        `Failed to create port on network ${networkId}, because fixed_ips included invalid subnet ${r.subnet_id}`,
      );
    if (r.ip_address !== undefined && !usableIn(subnet, r.ip_address))
      throw invalidInput(`IP address ${r.ip_address} is not a valid IP for the specified subnet`);
    return { subnet, ip: r.ip_address };
  }
  if (r.ip_address === undefined)
    throw badRequest(
      'Invalid input for fixed_ips. Reason: Exactly one of subnet_id or ip_address is required.',
    );
  const subnet = subnets.find((s) => usableIn(s, r.ip_address as string));
  if (!subnet)
    throw invalidInput(
      `IP address ${r.ip_address} is not a valid IP for any of the subnets on the specified network`,
    );
  return { subnet, ip: r.ip_address };
}

/** The addresses requested by name (they are checked for being free by the caller). */
export function explicitAddresses(
  networkId: string,
  subnets: readonly Subnet[],
  requests: readonly IpRequest[] | undefined,
): FixedIp[] {
  const out: FixedIp[] = [];
  for (const r of requests ?? []) {
    const { subnet, ip } = resolveExplicit(networkId, subnets, r);
    if (ip === undefined) continue;
    if (out.some((f) => f.ip_address === ip)) throw ipAlreadyAllocated(ip, subnet.id);
    out.push({ subnet_id: subnet.id, ip_address: ip });
  }
  return out;
}

/**
 * The port's fixed IPs for this attempt. Without a request: one address from the first IPv4 subnet
 * with room, and one from every IPv6 subnet. With one: each entry as asked.
 */
export async function planAddresses(
  db: Db,
  networkId: string,
  subnets: readonly Subnet[],
  requests: readonly IpRequest[] | undefined,
  attempt: number,
): Promise<FixedIp[]> {
  const out: FixedIp[] = [];
  const taken = new Set<string>();
  const add = (subnet_id: string, ip_address: string) => {
    out.push({ subnet_id, ip_address });
    taken.add(ip_address);
  };
  if (requests === undefined) {
    let v4Tried = false;
    let v4Done = false;
    for (const s of subnets) {
      if (s.ip_version === 4 && v4Done) continue;
      if (s.ip_version === 4) v4Tried = true;
      const ip = await pickFree(db, s, taken, attempt);
      if (ip === undefined) {
        if (s.ip_version === 6) throw ipGenerationFailure(networkId);
        continue;
      }
      add(s.id, ip);
      if (s.ip_version === 4) v4Done = true;
    }
    if (v4Tried && !v4Done) throw ipGenerationFailure(networkId);
    return out;
  }
  for (const r of requests) {
    const { subnet, ip } = resolveExplicit(networkId, subnets, r);
    if (ip !== undefined) {
      add(subnet.id, ip);
      continue;
    }
    const free = await pickFree(db, subnet, taken, attempt);
    if (free === undefined) throw ipGenerationFailure(networkId);
    add(subnet.id, free);
  }
  return out;
}
