// What upstream's os-simple-tenant-usage computes: for each instance active in [start, stop), the
// hours it ran inside the window, and per project the totals weighted by its flavor's sizes.
// Instances come from every cell in (project_id, uuid) order, paged by instance uuid.

import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { Invalid } from '../faults/fault.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import * as flavors from '../objects/flavor.ts';
import * as instanceExtra from '../objects/instance-extra.ts';
import type { UsageInstance } from '../objects/instance-reports.ts';
import * as instanceReports from '../objects/instance-reports.ts';
import { type CellServiceDeps, openCell } from './cell-services.ts';

export interface ServerUsage {
  readonly instance_id: string;
  readonly name: string | null;
  readonly tenant_id: string;
  readonly flavor: string;
  readonly hours: number;
  readonly memory_mb: number;
  readonly local_gb: number;
  readonly vcpus: number;
  readonly started_at: Date | null;
  readonly ended_at: Date | null;
  readonly state: string | null;
  readonly uptime: number;
}

export interface TenantUsage {
  readonly tenant_id: string;
  readonly start: Date;
  readonly stop: Date;
  readonly total_hours: number;
  readonly total_local_gb_usage: number;
  readonly total_vcpus_usage: number;
  readonly total_memory_mb_usage: number;
  readonly server_usages: readonly ServerUsage[];
}

export interface UsageQuery {
  readonly start: Date;
  readonly stop: Date;
  readonly now: Date;
  readonly projectId?: string;
  readonly limit: number;
  /** The last instance uuid of the previous page. */
  readonly marker?: string;
}

/** Hours of [launched_at, terminated_at] inside [start, stop]. */
export function hoursIn(i: UsageInstance, start: Date, stop: Date): number {
  if (i.terminated_at && i.terminated_at < start) return 0;
  if (!i.launched_at || i.launched_at > stop) return 0;
  const from = Math.max(i.launched_at.getTime(), start.getTime());
  const to = i.terminated_at ? Math.min(stop.getTime(), i.terminated_at.getTime()) : stop.getTime();
  return (to - from) / 3_600_000;
}

/** Instances of every cell in the window, after the marker, at most limit. */
async function instancesInWindow(d: CellServiceDeps, q: UsageQuery) {
  const out: { inst: UsageInstance; db: Database<CellDb> }[] = [];
  let marker = q.marker;
  let limit = q.limit;
  for (const cell of await cellMappings.list(d.apiDb)) {
    const db = await openCell(d, cell);
    let after: { project_id: string; uuid: string } | undefined;
    if (marker !== undefined) {
      const project = await instanceReports.findProjectOf(db, marker);
      if (project === undefined) continue;
      after = { project_id: project, uuid: marker };
    }
    const list = await instanceReports.listActiveInWindow(db, {
      begin: q.start,
      end: q.stop,
      projectId: q.projectId,
      after,
      limit,
    });
    for (const inst of list) out.push({ inst, db });
    marker = undefined;
    limit -= list.length;
    if (limit <= 0) break;
  }
  if (marker !== undefined && out.length === 0) throw new Invalid(`Marker ${marker} could not be found.`);
  return out;
}

async function flavorNames(
  apiDb: Database<ApiDb>,
  found: readonly { inst: UsageInstance; db: Database<CellDb> }[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const byDb = new Map<Database<CellDb>, string[]>();
  for (const { inst, db } of found) byDb.set(db, [...(byDb.get(db) ?? []), inst.uuid]);
  for (const [db, uuids] of byDb)
    for (const [uuid, f] of await instanceExtra.flavorsOf(db, uuids)) names.set(uuid, f.cur.name);
  const byId = new Map<number, string>();
  for (const { inst } of found) {
    if (names.has(inst.uuid) || inst.instance_type_id === null) continue;
    if (!byId.has(inst.instance_type_id))
      byId.set(inst.instance_type_id, (await flavors.findById(apiDb, inst.instance_type_id))?.name ?? '');
    names.set(inst.uuid, byId.get(inst.instance_type_id) ?? '');
  }
  return names;
}

export interface UsageReport {
  readonly tenants: readonly TenantUsage[];
  /** Every server usage in order (the page's items, for links). */
  readonly servers: readonly ServerUsage[];
}

export async function tenantUsages(d: CellServiceDeps, q: UsageQuery): Promise<UsageReport> {
  const found = await instancesInWindow(d, q);
  const names = await flavorNames(d.apiDb, found);
  const tenants = new Map<string, TenantUsage & { server_usages: ServerUsage[] }>();
  const servers: ServerUsage[] = [];
  for (const { inst } of found) {
    const hours = hoursIn(inst, q.start, q.stop);
    const ended = inst.terminated_at;
    const started = inst.launched_at;
    const usage: ServerUsage = {
      instance_id: inst.uuid,
      name: inst.display_name,
      tenant_id: inst.project_id,
      flavor: names.get(inst.uuid) ?? '',
      hours,
      memory_mb: inst.memory_mb,
      local_gb: inst.root_gb + inst.ephemeral_gb,
      vcpus: inst.vcpus,
      started_at: started,
      ended_at: ended,
      state: ended ? 'terminated' : inst.vm_state,
      uptime: Math.trunc(((ended ?? q.now).getTime() - (started?.getTime() ?? 0)) / 1000),
    };
    let t = tenants.get(inst.project_id);
    if (!t) {
      t = {
        tenant_id: inst.project_id,
        start: q.start,
        stop: q.stop,
        total_hours: 0,
        total_local_gb_usage: 0,
        total_vcpus_usage: 0,
        total_memory_mb_usage: 0,
        server_usages: [],
      };
      tenants.set(inst.project_id, t);
    }
    tenants.set(inst.project_id, {
      ...t,
      total_hours: t.total_hours + hours,
      total_local_gb_usage: t.total_local_gb_usage + usage.local_gb * hours,
      total_vcpus_usage: t.total_vcpus_usage + usage.vcpus * hours,
      total_memory_mb_usage: t.total_memory_mb_usage + usage.memory_mb * hours,
      server_usages: [...t.server_usages, usage],
    });
    servers.push(usage);
  }
  return { tenants: [...tenants.values()], servers };
}
