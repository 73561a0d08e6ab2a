// networks: the records, with the ids of their subnets. Visibility (own, shared, external) is the
// caller's concern (routes/networks.ts); these functions read and write what they are told.
import type { Selectable } from 'kysely';
import type { NetworksTable } from '../../db/tables/network-db.ts';
import { toDbTime } from '../../db/time.ts';
import { toBool, toNumber, toNumberOrNull } from '../../db/values.ts';
import type { Db } from '../context.ts';
import type { Network } from '../model.ts';
import { stamp, standardOf } from './rows.ts';

export type NewNetwork = Omit<
  Network,
  'subnets' | 'created_at' | 'updated_at' | 'revision_number' | 'status'
>;
export type NetworkChanges = Partial<
  Pick<
    Network,
    | 'name'
    | 'description'
    | 'admin_state_up'
    | 'shared'
    | 'external'
    | 'is_default'
    | 'mtu'
    | 'port_security_enabled'
  >
>;

function toNetwork(r: Selectable<NetworksTable>, subnets: readonly string[]): Network {
  return Object.freeze({
    ...standardOf(r),
    name: r.name,
    description: r.description,
    status: r.status,
    admin_state_up: toBool(r.admin_state_up),
    shared: toBool(r.shared),
    external: toBool(r.external),
    is_default: toBool(r.is_default),
    mtu: toNumber(r.mtu),
    port_security_enabled: toBool(r.port_security_enabled),
    network_type: r.network_type,
    physical_network: r.physical_network,
    segmentation_id: toNumberOrNull(r.segmentation_id),
    subnets: Object.freeze([...subnets]),
  });
}

async function assemble(db: Db, rows: readonly Selectable<NetworksTable>[]): Promise<Network[]> {
  if (rows.length === 0) return [];
  const subnets = await db.kysely
    .selectFrom('subnets')
    .select(['id', 'network_id'])
    .where(
      'network_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const by = new Map<string, string[]>();
  for (const s of subnets) by.set(s.network_id, [...(by.get(s.network_id) ?? []), s.id]);
  return rows.map((r) => toNetwork(r, by.get(r.id) ?? []));
}

export async function findNetwork(db: Db, id: string): Promise<Network | undefined> {
  const row = await db.kysely.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await assemble(db, [row]))[0] : undefined;
}

/** Every network of `project` plus shared and external ones; every network when project is undefined. */
export async function listNetworks(db: Db, project: string | undefined): Promise<Network[]> {
  let q = db.kysely.selectFrom('networks').selectAll();
  if (project !== undefined)
    q = q.where((eb) =>
      eb.or([eb('project_id', '=', project), eb('shared', '=', true), eb('external', '=', true)]),
    );
  return assemble(db, await q.execute());
}

export async function createNetwork(db: Db, n: NewNetwork, now: Date): Promise<Network> {
  await db.kysely
    .insertInto('networks')
    .values({
      id: n.id,
      project_id: n.project_id,
      name: n.name,
      description: n.description,
      status: 'ACTIVE',
      admin_state_up: n.admin_state_up,
      shared: n.shared,
      external: n.external,
      is_default: n.is_default,
      mtu: n.mtu,
      port_security_enabled: n.port_security_enabled,
      network_type: n.network_type,
      physical_network: n.physical_network,
      segmentation_id: n.segmentation_id,
      ...stamp(now),
    })
    .execute();
  return (await findNetwork(db, n.id)) as Network;
}

export async function updateNetwork(db: Db, id: string, c: NetworkChanges, now: Date): Promise<Network> {
  const current = await db.kysely
    .selectFrom('networks')
    .select('revision_number')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  await db.kysely
    .updateTable('networks')
    .set({ ...c, updated_at: toDbTime(now), revision_number: toNumber(current.revision_number) + 1 })
    .where('id', '=', id)
    .execute();
  return (await findNetwork(db, id)) as Network;
}

export async function deleteNetwork(db: Db, id: string): Promise<void> {
  await db.kysely.deleteFrom('subnets').where('network_id', '=', id).execute();
  await db.kysely.deleteFrom('networks').where('id', '=', id).execute();
}

/** Another network already uses the physical network and segment (flat: any segment). */
export async function segmentTaken(
  db: Db,
  type: string,
  physnet: string | null,
  segment: number | null,
): Promise<boolean> {
  let q = db.kysely.selectFrom('networks').select('id').where('network_type', '=', type);
  q = physnet === null ? q.where('physical_network', 'is', null) : q.where('physical_network', '=', physnet);
  if (segment !== null) q = q.where('segmentation_id', '=', segment);
  return (await q.executeTakeFirst()) !== undefined;
}
