// Maps compute hosts found in cell databases to their cells (host_mappings), as
// `nova-manage cell_v2 discover_hosts` and the scheduler's periodic discovery do.
import type { Database } from '../db/index.ts';
import { Conflict } from '../faults/fault.ts';
import * as cellMappings from '../objects/cell-mapping.ts';
import * as computeNodes from '../objects/compute-node.ts';
import * as hostMappings from '../objects/host-mapping.ts';
import * as services from '../objects/service.ts';

export interface DiscoverOptions {
  readonly cellUuid?: string;
  readonly byService?: boolean;
  readonly status?: (line: string) => void;
  readonly now?: Date;
}

/** Thrown when a host mapping already exists (two discoveries raced). */
export class HostMappingExists extends Conflict {
  constructor(host: string) {
    super(`Host '${host}' mapping already exists`, 'nova.host_mapping_exists');
  }
}

export async function discoverHosts(
  api: Database,
  openCell: (url: string) => Promise<Database>,
  opts: DiscoverOptions = {},
): Promise<string[]> {
  const say = opts.status ?? (() => {});
  const now = opts.now ?? new Date();
  let cells: cellMappings.CellMapping[];
  if (opts.cellUuid) {
    cells = [await cellMappings.getByUuid(api, opts.cellUuid)];
  } else {
    cells = [...(await cellMappings.list(api))];
    say(`Found ${cells.length} cell mappings.`);
  }
  const added: string[] = [];
  for (const cell of cells) {
    if (cell.uuid === cellMappings.CELL0_UUID) {
      say('Skipping cell0 since it does not contain hosts.');
      continue;
    }
    say(
      cell.name
        ? `Getting computes from cell '${cell.name}': ${cell.uuid}`
        : `Getting computes from cell: ${cell.uuid}`,
    );
    const db = await openCell(cell.database_connection);
    const hosts = opts.byService
      ? await mapServices(api, db, cell, say, now)
      : await mapComputeNodes(api, db, cell, say, now);
    say(`Found ${hosts.length} unmapped computes in cell: ${cell.uuid}`);
    added.push(...hosts);
  }
  return added;
}

async function createMapping(
  api: Database,
  host: string,
  cell: cellMappings.CellMapping,
  now: Date,
): Promise<void> {
  try {
    await hostMappings.create(api, { host, cell_id: cell.id }, now);
  } catch (err) {
    if (err instanceof Conflict) throw new HostMappingExists(host);
    throw err;
  }
}

async function mapComputeNodes(
  api: Database,
  db: Database,
  cell: cellMappings.CellMapping,
  say: (line: string) => void,
  now: Date,
): Promise<string[]> {
  const added: string[] = [];
  for (const node of await computeNodes.listUnmapped(db)) {
    say(`Checking host mapping for compute host '${node.host}': ${node.uuid}`);
    if (!(await hostMappings.findByHost(api, node.host))) {
      say(`Creating host mapping for compute host '${node.host}': ${node.uuid}`);
      await createMapping(api, node.host, cell, now);
      added.push(node.host);
    }
    await computeNodes.markMapped(db, node.id, now);
  }
  return added;
}

async function mapServices(
  api: Database,
  db: Database,
  cell: cellMappings.CellMapping,
  say: (line: string) => void,
  now: Date,
): Promise<string[]> {
  const added: string[] = [];
  for (const svc of await services.list(db, { binary: 'nova-compute' })) {
    if (await hostMappings.findByHost(api, svc.host)) continue;
    say(`Creating host mapping for service ${svc.host}`);
    await createMapping(api, svc.host, cell, now);
    added.push(svc.host);
  }
  return added;
}
