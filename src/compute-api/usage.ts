// How many instances, cores and MiB of RAM a project (or one of its users) uses: counted from the
// instances table of every cell, as upstream's legacy quota counting does, plus the build requests
// of servers not yet in a cell.
import type { CellPool } from '../cells/cell-pool.ts';
import type { Logger } from '../common/log.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import type { CellDb } from '../db/tables/cell-db.ts';
import { toNumber } from '../db/values.ts';
import * as buildRequests from '../objects/build-request.ts';
import * as cellMappings from '../objects/cell-mapping.ts';

export interface InstanceUsage {
  readonly instances: number;
  readonly cores: number;
  readonly ram: number;
}

export interface UsageCounts {
  readonly project: InstanceUsage;
  /** Present when a user was asked for. */
  readonly user?: InstanceUsage;
}

export interface UsageCounter {
  countInstances(projectId: string, userId?: string): Promise<UsageCounts>;
}

const ZERO: InstanceUsage = Object.freeze({ instances: 0, cores: 0, ram: 0 });

function add(a: InstanceUsage, b: InstanceUsage): InstanceUsage {
  return { instances: a.instances + b.instances, cores: a.cores + b.cores, ram: a.ram + b.ram };
}

async function countIn(db: Database<CellDb>, projectId: string, userId?: string): Promise<InstanceUsage> {
  let q = db.kysely
    .selectFrom('instances')
    .select((eb) => [
      eb.fn.countAll().as('n'),
      eb.fn.coalesce(eb.fn.sum('vcpus'), eb.lit(0)).as('cores'),
      eb.fn.coalesce(eb.fn.sum('memory_mb'), eb.lit(0)).as('ram'),
    ])
    .where('deleted', '=', 0)
    .where('project_id', '=', projectId)
    .where((eb) => eb.or([eb('vm_state', 'is', null), eb('vm_state', '!=', 'soft-delete')]));
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const row = await q.executeTakeFirstOrThrow();
  return { instances: toNumber(row.n), cores: toNumber(row.cores), ram: toNumber(row.ram) };
}

/** Counts over every mapped cell; a cell that cannot be read is left out with a warning. */
export function createCellUsageCounter(apiDb: Database<ApiDb>, cells: CellPool, log?: Logger): UsageCounter {
  async function sum(projectId: string, userId?: string): Promise<InstanceUsage> {
    let total = ZERO;
    for (const cell of await cellMappings.list(apiDb)) {
      try {
        const db = (await cells.open(cell.database_connection)) as Database<CellDb>;
        total = add(total, await countIn(db, projectId, userId));
      } catch (err) {
        log?.warn({ err, cell: cell.uuid }, 'cell skipped while counting instance usage');
      }
    }
    // Servers accepted but not yet in a cell count too (else concurrent creates overshoot).
    for (const br of await buildRequests.list(apiDb, projectId)) {
      if (userId !== undefined && br.user_id !== userId) continue;
      const f = br.instance.flavor;
      total = add(total, { instances: 1, cores: f?.vcpus ?? 0, ram: f?.memory_mb ?? 0 });
    }
    return Object.freeze(total);
  }
  return {
    async countInstances(projectId, userId) {
      const project = await sum(projectId);
      if (userId === undefined) return { project };
      return { project, user: await sum(projectId, userId) };
    },
  };
}
