// Where the metadata service finds the instance that asks: by uuid through its instance mapping
// (the Neutron proxy's X-Instance-ID), or by a fixed IP held in a network info cache of any cell
// (the caller's address). With [api] local_metadata_per_cell only the local cell database is read.
// Also stores the password a guest posts, and asks the network service for the instance's
// security group names (the EC2 security-groups key).
import { isIP } from 'node:net';
import type { CellPool } from '../cells/cell-pool.ts';
import { allCells, cellOfInstance } from '../cells/lookup.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { zonesByHost } from '../compute-api/cell-services.ts';
import { passwordItems } from '../compute-api/server-password.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import type { NetworkClient } from '../network-client/client.ts';
import * as instances from '../objects/instance.ts';
import * as meta from '../objects/instance-metadata.ts';
import { fixedIps } from './network-data.ts';

export interface Found {
  readonly instance: instances.Instance;
  readonly db: Database<CellDb>;
}

/** What the service needs from the deployment (a fake in unit tests). */
export interface InstanceSource {
  byUuid(uuid: string): Promise<Found | undefined>;
  byAddress(address: string): Promise<Found | undefined>;
  /** Stores the guest's (encrypted) password in the instance's system metadata. */
  savePassword(found: Found, password: string): Promise<void>;
  securityGroups(found: Found): Promise<readonly string[]>;
  /** The instance's zone: the one it was given, else its host's (aggregates, the default zone). */
  availabilityZone(found: Found): Promise<string | null>;
}

export interface CellSourceDeps {
  /** The API database (cell and instance mappings); not read with `localCell`. */
  readonly apiDb?: Database<ApiDb>;
  readonly cells: CellPool;
  readonly clock: Clock;
  readonly log: Logger;
  /** [api] local_metadata_per_cell: only this cell database is read. */
  readonly localCell?: Database<CellDb>;
  /** [DEFAULT] default_availability_zone: hosts in no zoned aggregate are in it. */
  readonly defaultZone: string;
  /** The network service (security groups); without one the list is empty. */
  readonly network?: () => Promise<NetworkClient>;
}

/** The live instance of this cell whose info cache holds `address` as a fixed IP. */
export async function findByFixedIp(db: Database<CellDb>, address: string): Promise<Found | undefined> {
  // Narrowed in SQL by the quoted address (the cache is JSON), then checked on the parsed cache.
  const rows = await db.kysely
    .selectFrom('instance_info_caches')
    .select('instance_uuid')
    .where('deleted', '=', 0)
    .where('network_info', 'like', `%"${address}"%`)
    .execute();
  for (const r of rows) {
    const inst = await instances.find(db, r.instance_uuid);
    if (inst && fixedIps(inst.network_info).some((f) => f.address === address)) return { instance: inst, db };
  }
  return undefined;
}

async function groupNames(network: NetworkClient, uuid: string): Promise<string[]> {
  const ports = await network.listPorts({ device_id: uuid });
  const ids = [...new Set(ports.flatMap((p) => (p.security_groups as string[] | undefined) ?? []))];
  if (ids.length === 0) return [];
  const groups = await network.listSecurityGroups({ id: ids });
  return groups.map((g) => String(g.name ?? g.id));
}

export function cellInstanceSource(d: CellSourceDeps): InstanceSource {
  const cellDbs = async () =>
    d.localCell ? [d.localCell] : d.apiDb ? (await allCells(d.apiDb, d.cells)).map((c) => c.db) : [];
  return {
    async byUuid(uuid) {
      const db = d.localCell ?? (d.apiDb ? (await cellOfInstance(d.apiDb, d.cells, uuid))?.db : undefined);
      const inst = db ? await instances.find(db, uuid) : undefined;
      return db && inst ? { instance: inst, db } : undefined;
    },
    async byAddress(address) {
      if (isIP(address) === 0) return undefined;
      for (const db of await cellDbs()) {
        const found = await findByFixedIp(db, address);
        if (found) return found;
      }
      return undefined;
    },
    async savePassword(found, password) {
      const items = passwordItems(password);
      await meta.set(found.db, 'instance_system_metadata', found.instance.uuid, items, false, d.clock.now());
    },
    async availabilityZone({ instance }) {
      if (instance.availability_zone || !instance.host) return instance.availability_zone;
      const zones = d.apiDb ? await zonesByHost(d.apiDb) : undefined;
      return zones?.get(instance.host)?.[0] ?? d.defaultZone;
    },
    async securityGroups(found) {
      if (!d.network) return [];
      try {
        return await groupNames(await d.network(), found.instance.uuid);
      } catch (err) {
        d.log.warn({ err, instance: found.instance.uuid }, 'metadata: cannot list security groups');
        return [];
      }
    },
  };
}
