// Services of every cell, each with its availability zone as upstream's set_availability_zones
// computes it: compute services take the zone(s) of their aggregates (else
// default_availability_zone); every other service is in internal_service_availability_zone.
import type { CellPool } from '../cells/cell-pool.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import * as aggregates from '../objects/aggregate.ts';
import type { CellMapping } from '../objects/cell-mapping.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import type { ServiceRecord } from '../objects/service.ts';
import * as services from '../objects/service.ts';

export interface ZonedService {
  readonly service: ServiceRecord;
  readonly cell: CellMapping;
  readonly availability_zone: string;
}

export interface CellServiceDeps {
  readonly conf: NovaConf;
  readonly apiDb: Database<ApiDb>;
  readonly cells: CellPool;
  readonly log?: Logger;
}

/** host → availability zones from aggregates' availability_zone metadata. */
export async function zonesByHost(apiDb: Database<ApiDb>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const agg of await aggregates.listByMetadataKey(apiDb, 'availability_zone')) {
    for (const host of agg.hosts) {
      const zones = out.get(host) ?? [];
      if (agg.availability_zone && !zones.includes(agg.availability_zone)) zones.push(agg.availability_zone);
      out.set(host, zones);
    }
  }
  return out;
}

/** The zone of one compute host (first aggregate zone, else the default zone). */
export async function hostZone(d: CellServiceDeps, host: string): Promise<string> {
  return (await zonesByHost(d.apiDb)).get(host)?.[0] ?? d.conf.DEFAULT.default_availability_zone;
}

export async function openCell(d: CellServiceDeps, cell: CellMapping): Promise<Database<CellDb>> {
  return (await d.cells.open(cell.database_connection)) as Database<CellDb>;
}

/**
 * Every live service of every reachable cell. Cells that cannot be read are skipped with a warning
 * (and reported to `onCellDown`).
 */
export async function listZonedServices(
  d: CellServiceDeps,
  onCellDown?: (cell: CellMapping) => void,
): Promise<readonly ZonedService[]> {
  const zones = await zonesByHost(d.apiDb);
  const out: ZonedService[] = [];
  for (const cell of await cellMappings.list(d.apiDb)) {
    let list: readonly ServiceRecord[];
    try {
      list = await services.list(await openCell(d, cell));
    } catch (err) {
      d.log?.warn({ err, cell: cell.uuid }, 'cell skipped while listing services');
      onCellDown?.(cell);
      continue;
    }
    for (const service of list) {
      const compute = service.topic === 'compute';
      const az = compute
        ? (zones.get(service.host) ?? []).join(',') || d.conf.DEFAULT.default_availability_zone
        : d.conf.DEFAULT.internal_service_availability_zone;
      out.push({ service, cell, availability_zone: az });
    }
  }
  return Object.freeze(out);
}
