// nova-manage cell_v2 map_cell0 | create_cell | simple_cell_setup | discover_hosts
import { discoverHosts, HostMappingExists } from '../../cells/discover-hosts.ts';
import { migrateToLatest, withDatabaseName } from '../../db/index.ts';
import { Conflict } from '../../faults/fault.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import * as computeNodes from '../../objects/compute-node.ts';
import * as hostMappings from '../../objects/host-mapping.ts';
import { str } from '../args.ts';
import type { Action } from './action.ts';
import { usedByAnotherCell, validateDatabaseConnection, validateTransportUrl } from './cell-urls.ts';
import type { ManageContext } from './context.ts';

/** Creates the cell0 mapping; returns false when it already existed. */
async function mapCell0(ctx: ManageContext, databaseConnection: string | undefined): Promise<boolean> {
  const api = await ctx.apiDb();
  const main = ctx.conf.database.connection;
  const url = databaseConnection ?? (main ? withDatabaseName(main, (name) => `${name}_cell0`) : undefined);
  if (!url) {
    ctx.out(
      'Must specify --database_connection if [database]/connection is not set in the configuration file.',
    );
    throw new Conflict('no database connection for cell0');
  }
  try {
    await cellMappings.create(
      api,
      {
        uuid: cellMappings.CELL0_UUID,
        name: 'cell0',
        transport_url: 'none:///',
        database_connection: url,
      },
      new Date(),
    );
    return true;
  } catch (err) {
    if (err instanceof Conflict) return false;
    throw err;
  }
}

export const mapCell0Action: Action = {
  spec: {
    usage: 'nova-manage cell_v2 map_cell0',
    description: 'Create a cell mapping for cell0, the cell of instances that were never scheduled.',
    flags: [
      {
        name: '--database_connection',
        aliases: ['--database-connection'],
        metavar: '<database_connection>',
        help: 'The database URL for cell0 (default: [database] connection with the name suffixed _cell0)',
      },
    ],
  },
  async run(ctx, args) {
    try {
      if (!(await mapCell0(ctx, str(args.database_connection)))) ctx.out('Cell0 is already setup');
    } catch (err) {
      if (err instanceof Conflict) return 1;
      throw err;
    }
    return 0;
  },
};

export const createCellAction: Action = {
  spec: {
    usage: 'nova-manage cell_v2 create_cell',
    description:
      'Add a new cell to nova API database. DB and MQ urls can be provided directly or can be taken from config. The result is cell uuid.',
    flags: [
      { name: '--name', metavar: '<cell_name>', help: 'The name of the cell' },
      {
        name: '--database_connection',
        aliases: ['--database-connection'],
        metavar: '<database_connection>',
        help: 'The database url for the cell database',
      },
      {
        name: '--transport-url',
        aliases: ['--transport_url'],
        metavar: '<transport_url>',
        help: 'The transport url for the cell message queue',
      },
      { name: '--verbose', boolean: true, help: 'Output the uuid of the created cell' },
      { name: '--disabled', boolean: true, help: 'To create a pre-disabled cell.' },
    ],
  },
  async run(ctx, args) {
    const transportUrl = validateTransportUrl(ctx, str(args.transport_url));
    if (!transportUrl) return 1;
    const dbUrl = validateDatabaseConnection(ctx, str(args.database_connection));
    if (!dbUrl) return 1;
    const api = await ctx.apiDb();
    if (await usedByAnotherCell(ctx, api, undefined, transportUrl, dbUrl)) return 2;
    const cell = await cellMappings.create(
      api,
      {
        name: str(args.name) ?? null,
        transport_url: transportUrl,
        database_connection: dbUrl,
        disabled: args.disabled === true,
      },
      new Date(),
    );
    if (args.verbose) ctx.out(cell.uuid);
    return 0;
  },
};

export const discoverHostsAction: Action = {
  spec: {
    usage: 'nova-manage cell_v2 discover_hosts',
    description: 'Searches cells, or a single cell, and maps found hosts.',
    flags: [
      {
        name: '--cell_uuid',
        aliases: ['--cell-uuid'],
        metavar: '<cell_uuid>',
        help: 'If provided only this cell will be searched for new hosts to map.',
      },
      { name: '--verbose', boolean: true, help: 'Provide detailed output when discovering hosts.' },
      {
        name: '--strict',
        boolean: true,
        help: 'Considered successful (exit code 0) only when an unmapped host is discovered.',
      },
      {
        name: '--by-service',
        aliases: ['--by_service'],
        dest: 'by_service',
        boolean: true,
        help: 'Discover hosts by service instead of compute node',
      },
    ],
  },
  async run(ctx, args) {
    try {
      const hosts = await discoverHosts(await ctx.apiDb(), (url) => ctx.cellDb(url), {
        cellUuid: str(args.cell_uuid),
        byService: args.by_service === true,
        status: args.verbose ? ctx.out : undefined,
      });
      return args.strict ? Number(hosts.length === 0) : 0;
    } catch (err) {
      if (err instanceof HostMappingExists) {
        ctx.out(
          `ERROR: Duplicate host mapping was encountered. This command should be run once after all compute hosts have been deployed and should not be run in parallel. Error: ${err.message}`,
        );
        return 2;
      }
      throw err;
    }
  },
};

export const simpleCellSetupAction: Action = {
  spec: {
    usage: 'nova-manage cell_v2 simple_cell_setup',
    description:
      'Simple cellsv2 setup: maps cell0, creates a cell for the configured database and maps its hosts. Returns 1 when no hosts are reporting.',
    flags: [
      {
        name: '--transport-url',
        aliases: ['--transport_url'],
        metavar: '<transport_url>',
        help: 'The transport url for the cell message queue',
      },
    ],
  },
  async run(ctx, args) {
    const transportUrl = validateTransportUrl(ctx, str(args.transport_url));
    if (!transportUrl) return 1;
    try {
      if (!(await mapCell0(ctx, undefined))) ctx.out('Cell0 is already setup');
    } catch (err) {
      if (err instanceof Conflict) return 1;
      throw err;
    }
    const api = await ctx.apiDb();
    const cell0 = await cellMappings.getByUuid(api, cellMappings.CELL0_UUID);
    try {
      await migrateToLatest(await ctx.cellDb(cell0.database_connection), 'cell');
    } catch (err) {
      ctx.out(`Unable to sync cell0 schema: ${(err as Error).message}`);
    }
    const cellUuid = await mapCellAndHosts(ctx, transportUrl);
    return cellUuid ? 0 : 1;
  },
};

/** Creates (or reuses) the cell of [database] connection and maps its compute hosts. */
async function mapCellAndHosts(ctx: ManageContext, transportUrl: string): Promise<string | undefined> {
  const api = await ctx.apiDb();
  const main = await ctx.mainDb();
  const nodes = await computeNodes.list(main);
  if (nodes.length === 0) {
    ctx.out('No hosts found to map to cell, exiting.');
    return undefined;
  }
  let cellUuid: string | undefined;
  const missing = new Set<string>();
  for (const node of nodes) {
    const hm = await hostMappings.findByHost(api, node.host);
    if (hm) cellUuid = hm.cell_mapping.uuid;
    else missing.add(node.host);
  }
  if (missing.size === 0) {
    ctx.out('All hosts are already mapped to cell(s).');
    return cellUuid;
  }
  const url = ctx.conf.database.connection!;
  const cell = cellUuid
    ? await cellMappings.getByUuid(api, cellUuid)
    : ((await cellMappings.list(api)).find((c) => c.database_connection === url) ??
      (await cellMappings.create(
        api,
        { name: null, transport_url: transportUrl, database_connection: url },
        new Date(),
      )));
  for (const host of missing) await hostMappings.create(api, { host, cell_id: cell.id }, new Date());
  for (const node of nodes)
    if (missing.has(node.host)) await computeNodes.markMapped(main, node.id, new Date());
  return cell.uuid;
}
