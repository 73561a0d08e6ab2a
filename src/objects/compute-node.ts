// compute_nodes (cell database): each hypervisor node a nova-compute reports, keyed by
// (host, hypervisor_hostname). `mapped` marks nodes cell_v2 discover_hosts has mapped.
import type { Selectable } from 'kysely';
import { newUuid } from '../common/ids.ts';
import type { DbHandle } from '../db/connect.ts';
import { isDuplicateEntry } from '../db/errors.ts';
import { insertReturningId } from '../db/insert.ts';
import type { CellDb, ComputeNodesTable } from '../db/tables/cell-db.ts';
import { fromDbTime, toDbTime } from '../db/time.ts';
import { toNumber, toNumberOrNull } from '../db/values.ts';
import { NotFound } from '../faults/fault.ts';

/** What a compute reports about one of its nodes (the resource tracker's view). */
export interface ComputeNodeReport {
  /** Used only when the node is first created; default a fresh uuid. */
  readonly uuid?: string;
  readonly service_id?: number | null;
  readonly host: string;
  readonly hypervisor_hostname: string;
  readonly hypervisor_type: string;
  readonly hypervisor_version: number;
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly local_gb: number;
  readonly vcpus_used: number;
  readonly memory_mb_used: number;
  readonly local_gb_used: number;
  readonly free_ram_mb?: number | null;
  readonly free_disk_gb?: number | null;
  readonly current_workload?: number | null;
  readonly running_vms?: number | null;
  readonly disk_available_least?: number | null;
  readonly cpu_info: string;
  readonly host_ip?: string | null;
  readonly cpu_allocation_ratio?: number | null;
  readonly ram_allocation_ratio?: number | null;
  readonly disk_allocation_ratio?: number | null;
  readonly stats?: Readonly<Record<string, string>>;
}

export interface ComputeNode {
  readonly id: number;
  readonly uuid: string;
  readonly service_id: number | null;
  readonly host: string;
  readonly hypervisor_hostname: string;
  readonly hypervisor_type: string;
  readonly hypervisor_version: number;
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly local_gb: number;
  readonly vcpus_used: number;
  readonly memory_mb_used: number;
  readonly local_gb_used: number;
  readonly free_ram_mb: number | null;
  readonly free_disk_gb: number | null;
  readonly current_workload: number | null;
  readonly running_vms: number | null;
  readonly disk_available_least: number | null;
  readonly cpu_info: string;
  readonly host_ip: string | null;
  readonly cpu_allocation_ratio: number | null;
  readonly ram_allocation_ratio: number | null;
  readonly disk_allocation_ratio: number | null;
  readonly mapped: number;
  readonly stats: Readonly<Record<string, string>>;
  readonly created_at: Date | null;
  readonly updated_at: Date | null;
  readonly deleted_at: Date | null;
  readonly deleted: boolean;
}

type Db = DbHandle<CellDb>;

const notFound = (what: string | number) =>
  new NotFound(`Compute host ${what} could not be found.`, 'nova.compute_host_not_found');

function parseStats(text: string | null): Readonly<Record<string, string>> {
  if (!text) return Object.freeze({});
  try {
    return Object.freeze(JSON.parse(text) as Record<string, string>);
  } catch {
    return Object.freeze({});
  }
}

function toComputeNode(r: Selectable<ComputeNodesTable>): ComputeNode {
  return Object.freeze({
    id: toNumber(r.id),
    uuid: r.uuid,
    service_id: toNumberOrNull(r.service_id),
    host: r.host ?? '',
    hypervisor_hostname: r.hypervisor_hostname ?? '',
    hypervisor_type: r.hypervisor_type,
    hypervisor_version: toNumber(r.hypervisor_version),
    vcpus: toNumber(r.vcpus),
    memory_mb: toNumber(r.memory_mb),
    local_gb: toNumber(r.local_gb),
    vcpus_used: toNumber(r.vcpus_used),
    memory_mb_used: toNumber(r.memory_mb_used),
    local_gb_used: toNumber(r.local_gb_used),
    free_ram_mb: toNumberOrNull(r.free_ram_mb),
    free_disk_gb: toNumberOrNull(r.free_disk_gb),
    current_workload: toNumberOrNull(r.current_workload),
    running_vms: toNumberOrNull(r.running_vms),
    disk_available_least: toNumberOrNull(r.disk_available_least),
    cpu_info: r.cpu_info,
    host_ip: r.host_ip,
    cpu_allocation_ratio: toNumberOrNull(r.cpu_allocation_ratio),
    ram_allocation_ratio: toNumberOrNull(r.ram_allocation_ratio),
    disk_allocation_ratio: toNumberOrNull(r.disk_allocation_ratio),
    mapped: toNumber(r.mapped),
    stats: parseStats(r.stats),
    created_at: fromDbTime(r.created_at),
    updated_at: fromDbTime(r.updated_at),
    deleted_at: fromDbTime(r.deleted_at),
    deleted: toNumber(r.deleted) !== 0,
  });
}

/** The report's resource columns (everything but identity and bookkeeping). */
function resourceColumns(r: ComputeNodeReport) {
  return {
    hypervisor_type: r.hypervisor_type,
    hypervisor_version: r.hypervisor_version,
    vcpus: r.vcpus,
    memory_mb: r.memory_mb,
    local_gb: r.local_gb,
    vcpus_used: r.vcpus_used,
    memory_mb_used: r.memory_mb_used,
    local_gb_used: r.local_gb_used,
    free_ram_mb: r.free_ram_mb ?? null,
    free_disk_gb: r.free_disk_gb ?? null,
    current_workload: r.current_workload ?? null,
    running_vms: r.running_vms ?? null,
    disk_available_least: r.disk_available_least ?? null,
    cpu_info: r.cpu_info,
    host_ip: r.host_ip ?? null,
    cpu_allocation_ratio: r.cpu_allocation_ratio ?? null,
    ram_allocation_ratio: r.ram_allocation_ratio ?? null,
    disk_allocation_ratio: r.disk_allocation_ratio ?? null,
    stats: JSON.stringify(r.stats ?? {}),
    ...(r.service_id !== undefined && { service_id: r.service_id }),
  };
}

function live(db: Db) {
  return db.kysely.selectFrom('compute_nodes').selectAll().where('deleted', '=', 0);
}

async function findByHostAndNode(db: Db, host: string, node: string): Promise<ComputeNode | undefined> {
  const row = await live(db)
    .where('host', '=', host)
    .where('hypervisor_hostname', '=', node)
    .executeTakeFirst();
  return row ? toComputeNode(row) : undefined;
}

async function updateResources(
  db: Db,
  id: number,
  report: ComputeNodeReport,
  now: Date,
): Promise<ComputeNode> {
  await db.kysely
    .updateTable('compute_nodes')
    .set({ ...resourceColumns(report), updated_at: toDbTime(now) })
    .where('id', '=', id)
    .execute();
  return getById(db, id);
}

/** Records a compute's report: updates the live node for (host, hypervisor_hostname), or creates it. */
export async function upsert(db: Db, report: ComputeNodeReport, now: Date): Promise<ComputeNode> {
  const existing = await findByHostAndNode(db, report.host, report.hypervisor_hostname);
  if (existing) return updateResources(db, existing.id, report, now);
  try {
    const id = await insertReturningId(db, 'compute_nodes', {
      ...resourceColumns(report),
      uuid: report.uuid ?? newUuid(),
      host: report.host,
      hypervisor_hostname: report.hypervisor_hostname,
      created_at: toDbTime(now),
    });
    return getById(db, id);
  } catch (err) {
    if (!isDuplicateEntry(err)) throw err;
    // A concurrent report created it first: update that row instead.
    const raced = await findByHostAndNode(db, report.host, report.hypervisor_hostname);
    if (!raced) throw err;
    return updateResources(db, raced.id, report, now);
  }
}

export async function getById(db: Db, id: number): Promise<ComputeNode> {
  const row = await live(db).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(id);
  return toComputeNode(row);
}

export async function getByUuid(db: Db, uuid: string): Promise<ComputeNode> {
  const row = await live(db).where('uuid', '=', uuid).executeTakeFirst();
  if (!row) throw notFound(uuid);
  return toComputeNode(row);
}

/** Every live node, by id. */
export async function list(db: Db): Promise<readonly ComputeNode[]> {
  const rows = await live(db).orderBy('id').execute();
  return Object.freeze(rows.map(toComputeNode));
}

export async function listByHost(db: Db, host: string): Promise<readonly ComputeNode[]> {
  const rows = await live(db).where('host', '=', host).orderBy('id').execute();
  return Object.freeze(rows.map(toComputeNode));
}

/** Live nodes discover_hosts has not mapped yet (optionally on one host). */
export async function listUnmapped(
  db: Db,
  filter: { readonly host?: string } = {},
): Promise<readonly ComputeNode[]> {
  let q = live(db).where('mapped', '<', 1);
  if (filter.host !== undefined) q = q.where('host', '=', filter.host);
  const rows = await q.orderBy('id').execute();
  return Object.freeze(rows.map(toComputeNode));
}

/** Marks a node mapped (or, with mapped=false, unmapped again as delete_host does). */
export async function markMapped(db: Db, id: number, now: Date, mapped = true): Promise<void> {
  const res = await db.kysely
    .updateTable('compute_nodes')
    .set({ mapped: mapped ? 1 : 0, updated_at: toDbTime(now) })
    .where('id', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw notFound(id);
}

/** Soft delete: `deleted` = id, `deleted_at` = now. */
export async function destroy(db: Db, id: number, now: Date): Promise<void> {
  const res = await db.kysely
    .updateTable('compute_nodes')
    .set((eb) => ({ deleted: eb.ref('id'), deleted_at: toDbTime(now) }))
    .where('id', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) throw notFound(id);
}
