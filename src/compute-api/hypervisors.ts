// What upstream's HostAPI does for os-hypervisors: compute nodes of every cell (cell0 excepted)
// paged by id or uuid marker, searched by hostname pattern, each with its compute service (found
// through the host's mapping), the instances on its host, and statistics over enabled services.
import type { Database } from '../db/connect.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { Invalid, NotFound } from '../faults/fault.ts';
import type { CellMapping } from '../objects/cell-mapping.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import type { ComputeNode } from '../objects/compute-node.ts';
import * as computeNodes from '../objects/compute-node.ts';
import * as hostMappings from '../objects/host-mapping.ts';
import type { HostedInstance } from '../objects/instance-reports.ts';
import * as instanceReports from '../objects/instance-reports.ts';
import type { ServiceRecord } from '../objects/service.ts';
import * as services from '../objects/service.ts';
import { type CellServiceDeps, openCell } from './cell-services.ts';
import { isUuidLike } from './uuids.ts';

/** A host's uptime as its compute reports it (compute RPC get_host_uptime). */
export interface HostUptimeSource {
  /** The `uptime` text, or undefined when the host's driver cannot tell. */
  uptime(host: string): Promise<string | undefined>;
}

export interface Hypervisor {
  readonly node: ComputeNode;
  /** The nova-compute service of the node's host, in the host's mapped cell. */
  readonly service: ServiceRecord;
  readonly cell: CellMapping;
}

export class MarkerNotFound extends Invalid {
  constructor(marker: string) {
    super(`marker [${marker}] not found`, 'nova.marker_not_found');
  }
}

async function computeCells(d: CellServiceDeps): Promise<CellMapping[]> {
  return (await cellMappings.list(d.apiDb)).filter((c) => c.uuid !== cellMappings.CELL0_UUID);
}

/** host → its nova-compute service, for the hosts mapped to this cell. */
async function computeServicesOf(
  db: Database<CellDb>,
  cell: CellMapping,
  mapped: ReadonlyMap<string, number>,
): Promise<Map<string, ServiceRecord>> {
  const out = new Map<string, ServiceRecord>();
  for (const s of await services.list(db, { binary: 'nova-compute' }))
    if (mapped.get(s.host) === cell.id) out.set(s.host, s);
  return out;
}

/** Pairs nodes with their services; nodes whose service (or host mapping) is gone are left out. */
async function withServices(
  d: CellServiceDeps,
  found: readonly (readonly [CellMapping, Database<CellDb>, readonly ComputeNode[]])[],
): Promise<Hypervisor[]> {
  const mapped = new Map((await hostMappings.list(d.apiDb)).map((m) => [m.host, m.cell_id] as const));
  const out: Hypervisor[] = [];
  const byCell = new Map<number, Map<string, ServiceRecord>>();
  for (const [cell, db, nodes] of found) {
    for (const node of nodes) {
      const cellId = mapped.get(node.host);
      if (cellId === undefined) continue;
      let svc = byCell.get(cellId);
      if (!svc) {
        const owner = cellId === cell.id ? { cell, db } : await ownerCell(d, cellId);
        svc = owner ? await computeServicesOf(owner.db, owner.cell, mapped) : new Map();
        byCell.set(cellId, svc);
      }
      const service = svc.get(node.host);
      if (service) out.push({ node, service, cell });
    }
  }
  return out;
}

async function ownerCell(d: CellServiceDeps, cellId: number) {
  const cell = await cellMappings.findById(d.apiDb, cellId);
  return cell ? { cell, db: await openCell(d, cell) } : undefined;
}

export interface NodePage {
  readonly limit?: number;
  /** A node uuid, or (before 2.53) a node id. */
  readonly marker?: string;
}

/** Every node after the marker, at most limit (upstream compute_node_get_all across cells). */
export async function listHypervisors(d: CellServiceDeps, page: NodePage = {}): Promise<Hypervisor[]> {
  let marker = page.marker;
  let limit = page.limit;
  const found: [CellMapping, Database<CellDb>, ComputeNode[]][] = [];
  for (const cell of await computeCells(d)) {
    const db = await openCell(d, cell);
    let nodes = [...(await computeNodes.list(db))];
    if (marker !== undefined) {
      const m = marker;
      const i = nodes.findIndex((n) => (isUuidLike(m) ? n.uuid === m : String(n.id) === m.trim()));
      if (i < 0) continue;
      nodes = nodes.slice(i + 1);
      marker = undefined;
    }
    if (limit !== undefined) nodes = nodes.slice(0, limit);
    found.push([cell, db, nodes]);
    if (limit !== undefined) {
      limit -= nodes.length;
      if (limit <= 0) break;
    }
  }
  if (marker !== undefined) throw new MarkerNotFound(marker);
  return withServices(d, found);
}

/** Nodes whose hypervisor_hostname contains the pattern (SQL LIKE '%p%', '_' any one char). */
export async function searchHypervisors(d: CellServiceDeps, pattern: string): Promise<Hypervisor[]> {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&').replace(/_/g, '.');
  const re = new RegExp(escaped, 'i');
  const found: [CellMapping, Database<CellDb>, ComputeNode[]][] = [];
  for (const cell of await computeCells(d)) {
    const db = await openCell(d, cell);
    found.push([cell, db, (await computeNodes.list(db)).filter((n) => re.test(n.hypervisor_hostname))]);
  }
  if (found.every(([, , n]) => n.length === 0))
    throw new NotFound(`No hypervisor matching '${pattern}' could be found.`, 'nova.hypervisor_not_found');
  return withServices(d, found);
}

const hypervisorNotFound = (id: string) =>
  new NotFound(`Hypervisor with ID '${id}' could not be found.`, 'nova.hypervisor_not_found');

/** One node by uuid or id with its service; 404 when either is missing. */
export async function getHypervisor(d: CellServiceDeps, id: string): Promise<Hypervisor> {
  for (const cell of await computeCells(d)) {
    const db = await openCell(d, cell);
    let node: ComputeNode;
    try {
      node = isUuidLike(id)
        ? await computeNodes.getByUuid(db, id)
        : await computeNodes.getById(db, Number(id));
    } catch (err) {
      if (err instanceof NotFound) continue;
      throw err;
    }
    const [hv] = await withServices(d, [[cell, db, [node]]]);
    if (!hv) throw hypervisorNotFound(id);
    return hv;
  }
  throw hypervisorNotFound(id);
}

/** Live instances on the node's host, from the host's cell. */
export async function instancesOn(d: CellServiceDeps, hv: Hypervisor): Promise<readonly HostedInstance[]> {
  const mapping = await hostMappings.getByHost(d.apiDb, hv.node.host);
  return instanceReports.listByHost(await openCell(d, mapping.cell_mapping), hv.node.host);
}

const STAT_FIELDS = [
  'count',
  'current_workload',
  'disk_available_least',
  'free_disk_gb',
  'free_ram_mb',
  'local_gb',
  'local_gb_used',
  'memory_mb',
  'memory_mb_used',
  'running_vms',
  'vcpus',
  'vcpus_used',
] as const;

export type HypervisorStatistics = Record<(typeof STAT_FIELDS)[number], number>;

/** Sums over nodes whose host (or service_id) has an enabled nova-compute service, every cell. */
export async function hypervisorStatistics(d: CellServiceDeps): Promise<HypervisorStatistics> {
  const total = Object.fromEntries(STAT_FIELDS.map((f) => [f, 0])) as HypervisorStatistics;
  for (const cell of await computeCells(d)) {
    const db = await openCell(d, cell);
    const enabled = (await services.list(db, { binary: 'nova-compute' })).filter((s) => !s.disabled);
    for (const n of await computeNodes.list(db)) {
      const matches = enabled.filter((s) => s.host === n.host || s.id === n.service_id).length;
      if (matches === 0) continue;
      total.count += matches;
      for (const f of STAT_FIELDS) if (f !== 'count') total[f] += ((n[f] as number | null) ?? 0) * matches;
    }
  }
  return total;
}
