// ports with their fixed IPs (ip_allocations) and security groups (port_security_groups). A port
// and its addresses are written in one transaction; a duplicate-key error (an address or MAC a
// concurrent writer took first) rolls it back and the create is tried again with fresh picks.
import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { isDeadlock, isDuplicateEntry } from '../../db/errors.ts';
import type { PortsTable } from '../../db/tables/network-db.ts';
import { toDbTime } from '../../db/time.ts';
import { inTransaction } from '../../db/transaction.ts';
import { toBool, toNumber } from '../../db/values.ts';
import type { Db } from '../context.ts';
import type { AddressPair, FixedIp, Port } from '../model.ts';
import { parseJson, stamp, standardOf } from './rows.ts';

/** Attempts of a create or address change before giving up on a contended pool. */
export const MAX_ATTEMPTS = 25;

export type NewPort = Omit<
  Port,
  'created_at' | 'updated_at' | 'revision_number' | 'fixed_ips' | 'mac_address'
> & {
  /** The caller's MAC, else one is generated (fa:16:3e:xx:xx:xx). */
  readonly mac_address?: string;
};
export type PortChanges = Partial<
  Pick<
    Port,
    | 'name'
    | 'description'
    | 'admin_state_up'
    | 'status'
    | 'device_id'
    | 'device_owner'
    | 'mac_address'
    | 'port_security_enabled'
    | 'binding_host_id'
    | 'binding_vnic_type'
    | 'binding_vif_type'
    | 'binding_vif_details'
    | 'binding_profile'
    | 'allowed_address_pairs'
  >
>;

export const randomMac = (): string =>
  `fa:16:3e:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;

function toPort(r: Selectable<PortsTable>, fixed: readonly FixedIp[], groups: readonly string[]): Port {
  return Object.freeze({
    ...standardOf(r),
    network_id: r.network_id,
    name: r.name,
    description: r.description,
    mac_address: r.mac_address,
    admin_state_up: toBool(r.admin_state_up),
    status: r.status,
    device_id: r.device_id,
    device_owner: r.device_owner,
    port_security_enabled: toBool(r.port_security_enabled),
    binding_host_id: r.binding_host_id,
    binding_vnic_type: r.binding_vnic_type,
    binding_vif_type: r.binding_vif_type,
    binding_vif_details: parseJson<Record<string, unknown>>(r.binding_vif_details, {}),
    binding_profile: parseJson<Record<string, unknown>>(r.binding_profile, {}),
    allowed_address_pairs: parseJson<AddressPair[]>(r.allowed_address_pairs, []),
    fixed_ips: Object.freeze([...fixed]),
    security_groups: Object.freeze([...groups]),
  });
}

async function assemble(db: Db, rows: readonly Selectable<PortsTable>[]): Promise<Port[]> {
  if (rows.length === 0) return [];
  const fixed = new Map<string, FixedIp[]>();
  const groups = new Map<string, string[]>();
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.id);
    const [a, g] = await Promise.all([
      db.kysely.selectFrom('ip_allocations').selectAll().where('port_id', 'in', ids).orderBy('seq').execute(),
      db.kysely.selectFrom('port_security_groups').selectAll().where('port_id', 'in', ids).execute(),
    ]);
    for (const r of a)
      fixed.set(r.port_id, [
        ...(fixed.get(r.port_id) ?? []),
        { subnet_id: r.subnet_id, ip_address: r.ip_address },
      ]);
    for (const r of g) groups.set(r.port_id, [...(groups.get(r.port_id) ?? []), r.security_group_id].sort());
  }
  return rows.map((r) => toPort(r, fixed.get(r.id) ?? [], groups.get(r.id) ?? []));
}

export async function findPort(db: Db, id: string): Promise<Port | undefined> {
  const row = await db.kysely.selectFrom('ports').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await assemble(db, [row]))[0] : undefined;
}

/** Ports of `project` and on networks `project` owns; every port when undefined. */
export async function listPorts(db: Db, project: string | undefined): Promise<Port[]> {
  let q = db.kysely.selectFrom('ports').selectAll('ports');
  if (project !== undefined)
    q = q
      .innerJoin('networks', 'networks.id', 'ports.network_id')
      .where((eb) => eb.or([eb('ports.project_id', '=', project), eb('networks.project_id', '=', project)]));
  return assemble(db, await q.execute());
}

/** Ports matching simple column equalities (device_id, network_id, device_owner…). */
export async function portsWhere(
  db: Db,
  where: Partial<Record<'network_id' | 'device_id' | 'device_owner', string>>,
): Promise<Port[]> {
  let q = db.kysely.selectFrom('ports').selectAll();
  for (const [k, v] of Object.entries(where)) q = q.where(k as 'network_id', '=', v as string);
  return assemble(db, await q.execute());
}

export async function countPortsOn(db: Db, networkId: string): Promise<number> {
  const r = await db.kysely
    .selectFrom('ports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('network_id', '=', networkId)
    .executeTakeFirst();
  return toNumber(r?.n ?? 0);
}

async function writeAllocations(db: Db, portId: string, networkId: string, fixed: readonly FixedIp[]) {
  let seq = 0;
  for (const f of fixed)
    await db.kysely
      .insertInto('ip_allocations')
      .values({
        port_id: portId,
        network_id: networkId,
        subnet_id: f.subnet_id,
        ip_address: f.ip_address,
        seq: seq++,
      })
      .execute();
}

export async function setPortGroups(db: Db, portId: string, groups: readonly string[]) {
  await db.kysely.deleteFrom('port_security_groups').where('port_id', '=', portId).execute();
  for (const g of new Set(groups))
    await db.kysely
      .insertInto('port_security_groups')
      .values({ port_id: portId, security_group_id: g })
      .execute();
}

/** Why a write lost a race, when the cause is the caller's (an address or MAC they named). */
export type DuplicateCheck = () => Promise<void>;

/**
 * Runs `write` in a transaction, again (with attempt + 1) after a duplicate-key error; `explain`
 * throws the caller's 409 when the conflict is with something they named.
 */
export async function withAllocationRetry<R>(
  db: Db,
  write: (trx: Db, attempt: number) => Promise<R>,
  explain: DuplicateCheck,
  exhausted: () => Error,
): Promise<R> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return await inTransaction(db, (trx) => write(trx, attempt));
    } catch (err) {
      if (!isDuplicateEntry(err) && !isDeadlock(err)) throw err;
      await explain();
    }
  }
  throw exhausted();
}

/** Inserts the port with its addresses (from `plan`) and groups; retried by the caller's loop. */
export async function insertPort(db: Db, p: NewPort, fixed: readonly FixedIp[], now: Date): Promise<void> {
  await db.kysely
    .insertInto('ports')
    .values({
      id: p.id,
      project_id: p.project_id,
      network_id: p.network_id,
      name: p.name,
      description: p.description,
      mac_address: p.mac_address ?? randomMac(),
      admin_state_up: p.admin_state_up,
      status: p.status,
      device_id: p.device_id,
      device_owner: p.device_owner,
      port_security_enabled: p.port_security_enabled,
      binding_host_id: p.binding_host_id,
      binding_vnic_type: p.binding_vnic_type,
      binding_vif_type: p.binding_vif_type,
      binding_vif_details: JSON.stringify(p.binding_vif_details),
      binding_profile: JSON.stringify(p.binding_profile),
      allowed_address_pairs: JSON.stringify(p.allowed_address_pairs),
      ...stamp(now),
    })
    .execute();
  await writeAllocations(db, p.id, p.network_id, fixed);
  await setPortGroups(db, p.id, p.security_groups);
}

export async function macTaken(db: Db, networkId: string, mac: string): Promise<boolean> {
  const r = await db.kysely
    .selectFrom('ports')
    .select('id')
    .where('network_id', '=', networkId)
    .where('mac_address', '=', mac)
    .executeTakeFirst();
  return r !== undefined;
}

export async function updatePort(db: Db, current: Port, c: PortChanges, now: Date): Promise<void> {
  const { binding_vif_details, binding_profile, allowed_address_pairs, ...plain } = c;
  await db.kysely
    .updateTable('ports')
    .set({
      ...plain,
      ...(binding_vif_details ? { binding_vif_details: JSON.stringify(binding_vif_details) } : {}),
      ...(binding_profile ? { binding_profile: JSON.stringify(binding_profile) } : {}),
      ...(allowed_address_pairs ? { allowed_address_pairs: JSON.stringify(allowed_address_pairs) } : {}),
      updated_at: toDbTime(now),
      revision_number: current.revision_number + 1,
    })
    .where('id', '=', current.id)
    .execute();
}

/** Replaces the port's addresses (those kept keep their rows). */
export async function replaceAllocations(db: Db, port: Port, fixed: readonly FixedIp[]): Promise<void> {
  await db.kysely.deleteFrom('ip_allocations').where('port_id', '=', port.id).execute();
  await writeAllocations(db, port.id, port.network_id, fixed);
}

export async function deletePortRow(db: Db, id: string): Promise<void> {
  await db.kysely
    .updateTable('floatingips')
    .set({ fixed_port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' })
    .where('fixed_port_id', '=', id)
    .execute();
  await db.kysely.deleteFrom('ip_allocations').where('port_id', '=', id).execute();
  await db.kysely.deleteFrom('port_security_groups').where('port_id', '=', id).execute();
  await db.kysely.deleteFrom('ports').where('id', '=', id).execute();
}
