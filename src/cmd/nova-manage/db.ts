// nova-manage db sync|version and api_db sync|version.
import { currentVersion, migrateToLatest } from '../../db/index.ts';
import { NotFound } from '../../faults/fault.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import type { Action } from './action.ts';

export const dbSync: Action = {
  spec: {
    usage: 'nova-manage db sync',
    description: 'Sync the database up to the most recent version (cell0 too, unless --local_cell).',
    flags: [
      {
        name: '--local_cell',
        boolean: true,
        help: 'Only sync db in the local cell: do not fan out to cell0',
      },
    ],
    positionals: [
      { name: 'version', optional: true, help: 'Database version (only the latest is supported)' },
    ],
  },
  async run(ctx, args) {
    if (args.version !== undefined) {
      ctx.out(
        'ERROR: nova-ts migrates to the latest version only; run "nova-manage db sync" without a version.',
      );
      return 1;
    }
    if (!args.local_cell) {
      try {
        const api = await ctx.apiDb();
        const cell0 = await cellMappings.getByUuid(api, cellMappings.CELL0_UUID);
        await migrateToLatest(await ctx.cellDb(cell0.database_connection), 'cell');
      } catch (err) {
        if (err instanceof NotFound) {
          ctx.out('WARNING: cell0 mapping not found - not syncing cell0.');
        } else {
          ctx.out(
            [
              'ERROR: Could not access cell0.',
              'Has the nova_api database been created?',
              'Has the nova_cell0 database been created?',
              'Has "nova-manage api_db sync" been run?',
              'Has "nova-manage cell_v2 map_cell0" been run?',
              'Is [api_database]/connection set in nova.conf?',
              'Is the cell0 database connection URL correct?',
              `Error: ${(err as Error).message}`,
            ].join('\n'),
          );
          return 1;
        }
      }
    }
    await migrateToLatest(await ctx.mainDb(), 'cell');
    return 0;
  },
};

export const dbVersion: Action = {
  spec: { usage: 'nova-manage db version', description: 'Print the current database version.' },
  async run(ctx) {
    ctx.out(String((await currentVersion(await ctx.mainDb(), 'cell')) ?? 'base'));
    return 0;
  },
};

export const apiDbSync: Action = {
  spec: {
    usage: 'nova-manage api_db sync',
    description: 'Sync the API database up to the most recent version.',
    positionals: [
      { name: 'version', optional: true, help: 'Database version (only the latest is supported)' },
    ],
  },
  async run(ctx, args) {
    if (args.version !== undefined) {
      ctx.out(
        'ERROR: nova-ts migrates to the latest version only; run "nova-manage api_db sync" without a version.',
      );
      return 1;
    }
    await migrateToLatest(await ctx.apiDb(), 'api');
    return 0;
  },
};

export const apiDbVersion: Action = {
  spec: { usage: 'nova-manage api_db version', description: 'Print the current API database version.' },
  async run(ctx) {
    ctx.out(String((await currentVersion(await ctx.apiDb(), 'api')) ?? 'base'));
    return 0;
  },
};
