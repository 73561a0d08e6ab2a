// subnets: the records (pools, DNS servers and host routes as JSON) and what IPAM needs of them.
import type { Selectable } from 'kysely';
import type { SubnetsTable } from '../../db/tables/network-db.ts';
import { toDbTime } from '../../db/time.ts';
import { toBool, toNumber } from '../../db/values.ts';
import type { Db } from '../context.ts';
import type { HostRoute, PoolRange, Subnet } from '../model.ts';
import { parseJson, stamp, standardOf } from './rows.ts';

export type NewSubnet = Omit<Subnet, 'created_at' | 'updated_at' | 'revision_number'>;
export type SubnetChanges = Partial<
  Pick<
    Subnet,
    | 'name'
    | 'description'
    | 'gateway_ip'
    | 'enable_dhcp'
    | 'allocation_pools'
    | 'dns_nameservers'
    | 'host_routes'
  >
>;

function toSubnet(r: Selectable<SubnetsTable>): Subnet {
  return Object.freeze({
    ...standardOf(r),
    network_id: r.network_id,
    name: r.name,
    description: r.description,
    ip_version: toNumber(r.ip_version) === 6 ? 6 : 4,
    cidr: r.cidr,
    gateway_ip: r.gateway_ip,
    enable_dhcp: toBool(r.enable_dhcp),
    ipv6_ra_mode: r.ipv6_ra_mode,
    ipv6_address_mode: r.ipv6_address_mode,
    allocation_pools: parseJson<PoolRange[]>(r.allocation_pools, []),
    dns_nameservers: parseJson<string[]>(r.dns_nameservers, []),
    host_routes: parseJson<HostRoute[]>(r.host_routes, []),
  });
}

export async function findSubnet(db: Db, id: string): Promise<Subnet | undefined> {
  const row = await db.kysely.selectFrom('subnets').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSubnet(row) : undefined;
}

/** The network's subnets in creation order. */
export async function subnetsOf(db: Db, networkId: string): Promise<Subnet[]> {
  const rows = await db.kysely
    .selectFrom('subnets')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toSubnet);
}

/** Subnets of `project` and of the networks it may use (shared, external); all when undefined. */
export async function listSubnets(db: Db, project: string | undefined): Promise<Subnet[]> {
  let q = db.kysely.selectFrom('subnets').selectAll('subnets');
  if (project !== undefined)
    q = q
      .innerJoin('networks', 'networks.id', 'subnets.network_id')
      .where((eb) =>
        eb.or([
          eb('subnets.project_id', '=', project),
          eb('networks.project_id', '=', project),
          eb('networks.shared', '=', true),
          eb('networks.external', '=', true),
        ]),
      );
  return (await q.execute()).map(toSubnet);
}

export async function createSubnet(db: Db, s: NewSubnet, now: Date): Promise<Subnet> {
  await db.kysely
    .insertInto('subnets')
    .values({
      id: s.id,
      project_id: s.project_id,
      network_id: s.network_id,
      name: s.name,
      description: s.description,
      ip_version: s.ip_version,
      cidr: s.cidr,
      gateway_ip: s.gateway_ip,
      enable_dhcp: s.enable_dhcp,
      ipv6_ra_mode: s.ipv6_ra_mode,
      ipv6_address_mode: s.ipv6_address_mode,
      allocation_pools: JSON.stringify(s.allocation_pools),
      dns_nameservers: JSON.stringify(s.dns_nameservers),
      host_routes: JSON.stringify(s.host_routes),
      ...stamp(now),
    })
    .execute();
  return (await findSubnet(db, s.id)) as Subnet;
}

export async function updateSubnet(db: Db, current: Subnet, c: SubnetChanges, now: Date): Promise<Subnet> {
  const { allocation_pools, dns_nameservers, host_routes, ...plain } = c;
  await db.kysely
    .updateTable('subnets')
    .set({
      ...plain,
      ...(allocation_pools ? { allocation_pools: JSON.stringify(allocation_pools) } : {}),
      ...(dns_nameservers ? { dns_nameservers: JSON.stringify(dns_nameservers) } : {}),
      ...(host_routes ? { host_routes: JSON.stringify(host_routes) } : {}),
      updated_at: toDbTime(now),
      revision_number: current.revision_number + 1,
    })
    .where('id', '=', current.id)
    .execute();
  return (await findSubnet(db, current.id)) as Subnet;
}

export async function deleteSubnet(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('subnets').where('id', '=', id).execute();
}

/** How many addresses of the subnet ports hold. */
export async function allocationsIn(db: Db, subnetId: string): Promise<number> {
  const r = await db.kysely
    .selectFrom('ip_allocations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subnet_id', '=', subnetId)
    .executeTakeFirst();
  return toNumber(r?.n ?? 0);
}
