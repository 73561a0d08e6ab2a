// What upstream's HostAPI does for os-services: find a service by id or uuid in whichever cell holds
// it, enable/disable/force down compute services, and delete a service with its guards (no
// instances, no in-progress migrations) and clean-up (aggregates, resource providers, host
// mapping, compute nodes).
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { Conflict, Invalid, NotFound } from '../faults/fault.ts';
import * as aggregates from '../objects/aggregate.ts';
import type { CellMapping } from '../objects/cell-mapping.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import * as computeNodes from '../objects/compute-node.ts';
import * as hostMappings from '../objects/host-mapping.ts';
import * as instanceReports from '../objects/instance-reports.ts';
import * as migrations from '../objects/migration.ts';
import type { ServiceRecord } from '../objects/service.ts';
import * as services from '../objects/service.ts';
import { type CellServiceDeps, openCell } from './cell-services.ts';
import { isUuidLike } from './uuids.ts';

/** Removes a compute node's resource provider (and its allocations) from placement. */
export interface ResourceProviderCleaner {
  deleteResourceProvider(uuid: string): Promise<void>;
}

export interface ServiceDeps extends CellServiceDeps {
  readonly now: () => Date;
  /** When absent, resource providers of deleted compute services are left in placement (logged). */
  readonly placement?: ResourceProviderCleaner;
}

export interface LocatedService {
  readonly service: ServiceRecord;
  readonly cell: CellMapping;
  readonly db: Database<CellDb>;
}

export const serviceNotFound = (id: string) =>
  new NotFound(`Service ${id} could not be found.`, 'nova.service_not_found');

/** The service with this id (integer, possibly in several cells: 400) or uuid, in any cell. */
export async function findService(d: CellServiceDeps, id: string): Promise<LocatedService> {
  const byUuid = isUuidLike(id);
  let found: LocatedService | undefined;
  for (const cell of await cellMappings.list(d.apiDb)) {
    const db = await openCell(d, cell);
    let service: ServiceRecord;
    try {
      service = byUuid ? await services.getByUuid(db, id) : await services.getById(db, Number(id));
    } catch (err) {
      if (err instanceof NotFound) continue;
      throw err;
    }
    if (found) throw new Invalid(`Service id ${id} refers to multiple services.`, 'nova.service_not_unique');
    found = { service, cell, db };
    if (byUuid) break;
  }
  if (!found) throw serviceNotFound(id);
  return found;
}

export interface ServiceChange {
  readonly disabled?: boolean;
  readonly disabled_reason?: string | null;
  readonly forced_down?: boolean;
}

/** Applies a change to one service row; returns the row as saved. */
export async function applyChange(
  d: ServiceDeps,
  db: Database<CellDb>,
  s: ServiceRecord,
  change: ServiceChange,
): Promise<ServiceRecord> {
  let out = s;
  if (change.disabled !== undefined)
    out = await services.setDisabled(db, s.id, change.disabled, change.disabled_reason ?? null, d.now());
  if (change.forced_down !== undefined)
    out = await services.setForcedDown(db, s.id, change.forced_down, d.now());
  return out;
}

/** The pre-2.53 update: the service named by host and binary, in the host's cell. */
export async function updateByHostAndBinary(
  d: ServiceDeps,
  host: string,
  binary: string,
  change: ServiceChange,
): Promise<ServiceRecord> {
  const mapping = await hostMappings.getByHost(d.apiDb, host);
  const db = await openCell(d, mapping.cell_mapping);
  const s = await services.getByHostAndBinary(db, host, binary);
  return applyChange(d, db, s, change);
}

/** 400 unless no `done` evacuation from the host remains (forcing a compute back up). */
export async function checkNoPendingEvacuations(d: CellServiceDeps, host: string): Promise<void> {
  for (const cell of await cellMappings.list(d.apiDb)) {
    const db = await openCell(d, cell);
    const done = await migrations.list(db, {
      source_compute: host,
      status: ['done'],
      migration_type: 'evacuation',
    });
    if (done.length > 0)
      throw new Invalid(
        `Unable to force up host ${host} as \`done\` evacuation migration records remain associated ` +
          'with the host. Ensure the compute service has been restarted, allowing these records to ' +
          'move to `completed` before retrying this request.',
      );
  }
}

async function checkComputeDeletable(
  db: Database<CellDb>,
  host: string,
): Promise<readonly computeNodes.ComputeNode[]> {
  if ((await instanceReports.countByHosts(db, [host])) > 0)
    throw new Conflict(
      'Unable to delete compute service that is hosting instances. Migrate or delete the instances first.',
      'nova.service_has_instances',
    );
  const nodes = await computeNodes.listByHost(db, host);
  for (const node of nodes) {
    const moving = await migrations.listInProgressByHostAndNode(db, host, node.hypervisor_hostname);
    if (moving.length > 0)
      throw new Conflict(
        'Unable to delete compute service that has in-progress migrations. Complete the migrations ' +
          'or delete the instances first.',
        'nova.service_has_migrations',
      );
  }
  return nodes;
}

async function cleanUpComputeHost(
  d: ServiceDeps,
  host: string,
  nodes: readonly computeNodes.ComputeNode[],
): Promise<void> {
  for (const agg of await aggregates.list(d.apiDb))
    if (agg.hosts.includes(host)) await aggregates.removeHost(d.apiDb, agg.id, host);
  for (const node of nodes) {
    if (!d.placement) {
      d.log?.warn({ node: node.uuid }, 'no placement client: resource provider of deleted compute left');
      continue;
    }
    try {
      await d.placement.deleteResourceProvider(node.uuid);
    } catch (err) {
      d.log?.error({ err, node: node.uuid }, 'Failed to delete compute node resource provider');
    }
  }
  if (await hostMappings.findByHost(d.apiDb, host)) await hostMappings.deleteByHost(d.apiDb, host);
}

/** DELETE /os-services/{id}: guards, clean-up, then the service and (compute) its nodes. */
export async function deleteService(d: ServiceDeps, found: LocatedService): Promise<void> {
  const { service, db } = found;
  if (service.binary === 'nova-compute') {
    const nodes = await checkComputeDeletable(db, service.host);
    await cleanUpComputeHost(d, service.host, nodes);
    const now = d.now();
    for (const node of await computeNodes.list(db))
      if (node.host === service.host || node.service_id === service.id)
        await computeNodes.destroy(db, node.id, now);
  }
  await services.destroy(db, service.id, d.now());
}
