// The scheduler's view of candidate hosts: for the compute node providers placement offered,
// reads each node's cell (compute node, service, instances on the host) and the API database's
// aggregates, and builds HostStates. Free resources come from placement's provider summaries, the
// single source of truth for what is claimed.
import type { CellPool } from '../cells/cell-pool.ts';
import type { NovaConf } from '../config/index.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { toNumber } from '../db/values.ts';
import * as aggregates from '../objects/aggregate.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import * as computeNodes from '../objects/compute-node.ts';
import * as services from '../objects/service.ts';
import type { AggregateInfo, HostState } from './types.ts';

/** Task states that count as I/O-heavy work on a host (IoOpsFilter / IoOpsWeigher). */
const IO_TASK_STATES = [
  'spawning',
  'resize_migrating',
  'rebuilding',
  'resize_prep',
  'image_snapshot',
  'image_backup',
  'rescuing',
  'unshelving',
];

/** A provider summary's resource as placement returns it (1.29+). */
export interface SummaryResource {
  readonly capacity: number;
  readonly used: number;
}
export type ProviderSummaries = Readonly<
  Record<
    string,
    { readonly resources: Readonly<Record<string, SummaryResource>>; readonly traits?: readonly string[] }
  >
>;

export interface HostManagerDeps {
  readonly conf: NovaConf;
  readonly apiDb: Database<ApiDb>;
  readonly cells: CellPool;
  readonly now: () => Date;
  /** Recent build failures per host (BuildFailureWeigher); default none. */
  readonly failedBuilds?: (host: string) => number;
}

function hostAz(aggs: readonly AggregateInfo[], conf: NovaConf): string {
  const zones = aggs.map((a) => a.metadata.availability_zone).filter((z): z is string => !!z);
  return zones.length > 0 ? [...new Set(zones)].sort().join(',') : conf.DEFAULT.default_availability_zone;
}

function parseSupported(stats: Readonly<Record<string, string>>): (readonly [string, string, string])[] {
  try {
    const v = JSON.parse(stats.supported_instances ?? '[]') as [string, string, string][];
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** HostStates for these compute node uuids (unknown uuids are left out). */
export async function hostStatesFor(
  deps: HostManagerDeps,
  nodeUuids: readonly string[],
  summaries: ProviderSummaries,
  /** Read each host's instance uuids (same/different host hints, server groups); else counts only. */
  opts: { readonly withInstances: boolean } = { withInstances: true },
): Promise<HostState[]> {
  const wanted = new Set(nodeUuids);
  if (wanted.size === 0) return [];
  const aggs = (await aggregates.list(deps.apiDb)).map(
    (a): AggregateInfo => ({ id: a.id, uuid: a.uuid, name: a.name, hosts: a.hosts, metadata: a.metadata }),
  );
  const out: HostState[] = [];
  const now = deps.now();
  for (const cell of await cellMappings.list(deps.apiDb)) {
    if (cell.uuid === cellMappings.CELL0_UUID || cell.disabled) continue;
    const db = (await deps.cells.open(cell.database_connection)) as Database<CellDb>;
    const nodes = (await computeNodes.list(db)).filter((n) => wanted.has(n.uuid));
    if (nodes.length === 0) continue;
    const hosts = [...new Set(nodes.map((n) => n.host))];
    const svcs = new Map(
      (await services.list(db, { binary: 'nova-compute' }))
        .filter((s) => hosts.includes(s.host))
        .map((s) => [s.host, s]),
    );
    const byHost = new Map<string, { uuids: string[]; n: number; io: number }>();
    if (opts.withInstances) {
      const rows = await db.kysely
        .selectFrom('instances')
        .select(['uuid', 'host', 'task_state'])
        .where('deleted', '=', 0)
        .where('host', 'in', hosts)
        .execute();
      for (const r of rows) {
        const h = byHost.get(r.host ?? '') ?? { uuids: [], n: 0, io: 0 };
        h.uuids.push(r.uuid);
        h.n++;
        if (r.task_state && IO_TASK_STATES.includes(r.task_state)) h.io++;
        byHost.set(r.host ?? '', h);
      }
    } else {
      // Counts only (no filter or weigher of this request reads the instance list).
      const rows = await db.kysely
        .selectFrom('instances')
        .select((eb) => [
          'host',
          eb.fn.countAll().as('n'),
          eb.fn.sum(eb.case().when('task_state', 'in', IO_TASK_STATES).then(1).else(0).end()).as('io'),
        ])
        .where('deleted', '=', 0)
        .where('host', 'in', hosts)
        .groupBy('host')
        .execute();
      for (const r of rows)
        byHost.set(r.host ?? '', { uuids: [], n: toNumber(r.n), io: toNumber(r.io ?? 0) });
    }
    for (const n of nodes) {
      const svc = svcs.get(n.host);
      const hostAggs = aggs.filter((a) => a.hosts.includes(n.host));
      const res = summaries[n.uuid]?.resources ?? {};
      const free = (rc: string, fallback: number) =>
        res[rc] ? toNumber(res[rc].capacity) - toNumber(res[rc].used) : fallback;
      const ramRatio = n.ram_allocation_ratio ?? 1;
      const diskRatio = n.disk_allocation_ratio ?? 1;
      const insts = byHost.get(n.host) ?? { uuids: [], n: 0, io: 0 };
      out.push(
        Object.freeze({
          host: n.host,
          nodename: n.hypervisor_hostname,
          uuid: n.uuid,
          cell_uuid: cell.uuid,
          hypervisor_type: n.hypervisor_type,
          hypervisor_version: n.hypervisor_version,
          hypervisor_hostname: n.hypervisor_hostname,
          cpu_info: n.cpu_info,
          total_usable_ram_mb: n.memory_mb,
          free_ram_mb: free('MEMORY_MB', n.memory_mb * ramRatio - n.memory_mb_used),
          total_usable_disk_gb: n.local_gb,
          free_disk_mb: free('DISK_GB', n.local_gb * diskRatio - n.local_gb_used) * 1024,
          vcpus_total: n.vcpus,
          vcpus_used: res.VCPU ? toNumber(res.VCPU.used) : n.vcpus_used,
          cpu_allocation_ratio: n.cpu_allocation_ratio ?? 1,
          ram_allocation_ratio: ramRatio,
          disk_allocation_ratio: diskRatio,
          num_instances: insts.n,
          num_io_ops: insts.io,
          instances: insts.uuids,
          aggregates: hostAggs,
          stats: n.stats,
          supported_instances: parseSupported(n.stats),
          failed_builds: deps.failedBuilds?.(n.host) ?? (Number(n.stats.failed_builds ?? 0) || 0),
          service_disabled: svc?.disabled ?? true,
          service_up: svc ? services.isServiceUp(svc, now, deps.conf.DEFAULT.service_down_time) : false,
          availability_zone: hostAz(hostAggs, deps.conf),
          traits: summaries[n.uuid]?.traits ?? [],
        }),
      );
    }
  }
  return out;
}

/** Compute node uuids of a host (forced hosts: placement in_tree), across cells. */
export async function nodeUuidsOfHost(
  deps: HostManagerDeps,
  host: string,
  node?: string | null,
): Promise<{ readonly uuid: string; readonly cell_uuid: string }[]> {
  const out: { uuid: string; cell_uuid: string }[] = [];
  for (const cell of await cellMappings.list(deps.apiDb)) {
    if (cell.uuid === cellMappings.CELL0_UUID) continue;
    const db = (await deps.cells.open(cell.database_connection)) as Database<CellDb>;
    for (const n of await computeNodes.listByHost(db, host))
      if (!node || n.hypervisor_hostname === node) out.push({ uuid: n.uuid, cell_uuid: cell.uuid });
  }
  return out;
}

/** Accounts a chosen instance on its host so the next instance of a multi-create sees it. */
export function consume(
  h: HostState,
  flavor: { memory_mb: number; vcpus: number; root_gb: number; ephemeral_gb: number; swap: number },
  instanceUuid: string,
): HostState {
  return Object.freeze({
    ...h,
    free_ram_mb: h.free_ram_mb - flavor.memory_mb,
    free_disk_mb: h.free_disk_mb - (flavor.root_gb + flavor.ephemeral_gb) * 1024 - flavor.swap,
    vcpus_used: h.vcpus_used + flavor.vcpus,
    num_instances: h.num_instances + 1,
    num_io_ops: h.num_io_ops + 1,
    instances: [...h.instances, instanceUuid],
  });
}
