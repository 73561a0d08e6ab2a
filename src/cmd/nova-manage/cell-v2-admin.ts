// nova-manage cell_v2 list_cells | list_hosts | update_cell | delete_cell | delete_host
import { NotFound } from '../../faults/fault.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import * as computeNodes from '../../objects/compute-node.ts';
import * as hostMappings from '../../objects/host-mapping.ts';
import * as instanceMappings from '../../objects/instance-mapping.ts';
import { str } from '../args.ts';
import { prettyTable } from '../table.ts';
import type { Action } from './action.ts';
import {
  maskPassword,
  usedByAnotherCell,
  validateDatabaseConnection,
  validateTransportUrl,
} from './cell-urls.ts';
import type { ManageContext } from './context.ts';

const cellUuidFlag = (required: boolean, help: string) =>
  ({ name: '--cell_uuid', aliases: ['--cell-uuid'], metavar: '<cell_uuid>', required, help }) as const;

async function findCell(ctx: ManageContext, uuid: string): Promise<cellMappings.CellMapping | undefined> {
  try {
    return await cellMappings.getByUuid(await ctx.apiDb(), uuid);
  } catch (err) {
    if (err instanceof NotFound) {
      ctx.out(`Cell with uuid ${uuid} was not found.`);
      return undefined;
    }
    throw err;
  }
}

export const listCellsAction: Action = {
  spec: {
    usage: 'nova-manage cell_v2 list_cells',
    description: 'Lists the v2 cells in the deployment (transport URL and database connection masked).',
    flags: [{ name: '--verbose', boolean: true, help: 'Show sensitive details, such as passwords' }],
  },
  async run(ctx, args) {
    const cells = [...(await cellMappings.list(await ctx.apiDb()))].sort((a, b) =>
      (a.name ?? '').localeCompare(b.name ?? ''),
    );
    const show = (u: string) => (args.verbose ? u : maskPassword(u));
    ctx.out(
      prettyTable(
        ['Name', 'UUID', 'Transport URL', 'Database Connection', 'Disabled'],
        cells.map((c) => [
          c.name ?? '',
          c.uuid,
          show(c.transport_url),
          show(c.database_connection),
          c.disabled,
        ]),
      ),
    );
    return 0;
  },
};

export const listHostsAction: Action = {
  spec: {
    usage: 'nova-manage cell_v2 list_hosts',
    description: 'Lists the hosts in one or all v2 cells.',
    flags: [cellUuidFlag(false, 'The uuid of the cell.')],
  },
  async run(ctx, args) {
    const api = await ctx.apiDb();
    const uuid = str(args.cell_uuid);
    let rows: hostMappings.HostMappingWithCell[];
    if (uuid) {
      const cell = await findCell(ctx, uuid);
      if (!cell) return 1;
      rows = [...(await hostMappings.listByCell(api, cell.id))];
    } else {
      rows = [...(await hostMappings.list(api))];
    }
    rows.sort((a, b) => a.host.localeCompare(b.host));
    ctx.out(
      prettyTable(
        ['Cell Name', 'Cell UUID', 'Hostname'],
        rows.map((h) => [h.cell_mapping.name, h.cell_mapping.uuid, h.host]),
      ),
    );
    return 0;
  },
};

export const updateCellAction: Action = {
  spec: {
    usage: 'nova-manage cell_v2 update_cell',
    description: 'Updates the properties of a cell by the given uuid.',
    flags: [
      cellUuidFlag(true, 'The uuid of the cell to update.'),
      { name: '--name', metavar: '<cell_name>', help: 'Set the cell name.' },
      {
        name: '--transport-url',
        aliases: ['--transport_url'],
        metavar: '<transport_url>',
        help: 'Set the cell transport_url (running nodes see it after restart).',
      },
      {
        name: '--database_connection',
        aliases: ['--database-connection'],
        metavar: '<database_connection>',
        help: 'Set the cell database_connection (running nodes see it after restart).',
      },
      {
        name: '--disable',
        boolean: true,
        help: 'Disables the cell (scheduling skips it after a SIGHUP of nova-scheduler).',
      },
      { name: '--enable', boolean: true, help: 'Enables the cell (after a SIGHUP of nova-scheduler).' },
    ],
  },
  async run(ctx, args) {
    const uuid = str(args.cell_uuid)!;
    const cell = await findCell(ctx, uuid);
    if (!cell) return 1;
    const api = await ctx.apiDb();
    const transportUrl = str(args.transport_url)
      ? validateTransportUrl(ctx, str(args.transport_url), false)
      : undefined;
    const dbUrl = str(args.database_connection)
      ? validateDatabaseConnection(ctx, str(args.database_connection), false)
      : undefined;
    if ((transportUrl || dbUrl) && (await usedByAnotherCell(ctx, api, uuid, transportUrl, dbUrl))) return 3;
    if (args.disable && args.enable) {
      ctx.out('Cell cannot be disabled and enabled at the same time.');
      return 4;
    }
    let disabled = cell.disabled;
    if (args.disable || args.enable) {
      if (uuid === cellMappings.CELL0_UUID) {
        ctx.out('Cell0 cannot be disabled.');
        return 5;
      }
      if (args.disable && cell.disabled) ctx.out(`Cell ${uuid} is already disabled`);
      if (args.enable && !cell.disabled) ctx.out(`Cell ${uuid} is already enabled`);
      disabled = args.disable === true;
    }
    try {
      await cellMappings.update(
        api,
        uuid,
        {
          name: str(args.name) ?? cell.name,
          transport_url: transportUrl ?? cell.transport_url,
          database_connection: dbUrl ?? cell.database_connection,
          disabled,
        },
        new Date(),
      );
    } catch (err) {
      ctx.out(`Unable to update CellMapping: ${(err as Error).message}`);
      return 2;
    }
    return 0;
  },
};

export const deleteCellAction: Action = {
  spec: {
    usage: 'nova-manage cell_v2 delete_cell',
    description: 'Delete an empty cell by the given uuid.',
    flags: [
      cellUuidFlag(true, 'The uuid of the cell to delete.'),
      {
        name: '--force',
        boolean: true,
        help: 'Delete hosts and instance_mappings that belong to the cell as well.',
      },
    ],
  },
  async run(ctx, args) {
    const uuid = str(args.cell_uuid)!;
    const cell = await findCell(ctx, uuid);
    if (!cell) return 1;
    const api = await ctx.apiDb();
    const hosts = await hostMappings.listByCell(api, cell.id);
    if (hosts.length > 0 && !args.force) {
      ctx.out(`There are existing hosts mapped to cell with uuid ${uuid}.`);
      return 2;
    }
    const mapped = await instanceMappings.countByCell(api, cell.id);
    if (mapped > 0 && !args.force) {
      ctx.out(`There are existing instances mapped to cell with uuid ${uuid}.`);
      return 3;
    }
    if (hosts.length > 0) {
      const db = await ctx.cellDb(cell.database_connection);
      for (const node of await computeNodes.list(db))
        await computeNodes.markMapped(db, node.id, new Date(), false);
    }
    await instanceMappings.deleteByCell(api, cell.id);
    for (const h of hosts) await hostMappings.deleteByHost(api, h.host);
    await cellMappings.destroy(api, uuid);
    return 0;
  },
};

export const deleteHostAction: Action = {
  spec: {
    usage: 'nova-manage cell_v2 delete_host',
    description: 'Delete a host in a cell (host mappings) by the given host name.',
    flags: [
      cellUuidFlag(true, 'The uuid of the cell.'),
      { name: '--host', metavar: '<host>', required: true, help: 'The host to delete.' },
    ],
  },
  async run(ctx, args) {
    const uuid = str(args.cell_uuid)!;
    const host = str(args.host)!;
    const cell = await findCell(ctx, uuid);
    if (!cell) return 1;
    const api = await ctx.apiDb();
    const hm = await hostMappings.findByHost(api, host);
    if (!hm) {
      ctx.out(`The host ${host} was not found.`);
      return 2;
    }
    if (hm.cell_mapping.uuid !== uuid) {
      ctx.out(`The host ${host} was not found in the cell ${uuid}.`);
      return 3;
    }
    const db = await ctx.cellDb(cell.database_connection);
    for (const node of await computeNodes.listByHost(db, host))
      await computeNodes.markMapped(db, node.id, new Date(), false);
    await hostMappings.deleteByHost(api, host);
    return 0;
  },
};
