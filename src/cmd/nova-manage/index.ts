// nova-manage [--config-file F] [--config-dir D] <category> <action> [args]: the upstream verbs.
import { formatHelp, parseArgs, UsageError } from '../args.ts';
import { loadCommandConfig } from '../conf.ts';
import type { Action } from './action.ts';
import {
  deleteCellAction,
  deleteHostAction,
  listCellsAction,
  listHostsAction,
  updateCellAction,
} from './cell-v2-admin.ts';
import {
  createCellAction,
  discoverHostsAction,
  mapCell0Action,
  simpleCellSetupAction,
} from './cell-v2-setup.ts';
import { createManageContext } from './context.ts';
import { apiDbSync, apiDbVersion, dbSync, dbVersion } from './db.ts';
import { serviceDisableAction, serviceEnableAction, serviceListAction } from './service.ts';

const CATEGORIES: Readonly<Record<string, Readonly<Record<string, Action>>>> = {
  db: { sync: dbSync, version: dbVersion },
  api_db: { sync: apiDbSync, version: apiDbVersion },
  cell_v2: {
    map_cell0: mapCell0Action,
    create_cell: createCellAction,
    simple_cell_setup: simpleCellSetupAction,
    discover_hosts: discoverHostsAction,
    list_cells: listCellsAction,
    list_hosts: listHostsAction,
    update_cell: updateCellAction,
    delete_cell: deleteCellAction,
    delete_host: deleteHostAction,
  },
  service: { list: serviceListAction, enable: serviceEnableAction, disable: serviceDisableAction },
};

const USAGE =
  'nova-manage [-h] [--config-dir DIR] [--config-file PATH] [--debug] [--version] {version,bash-completion,';

function help(): string {
  const cats = Object.entries(CATEGORIES)
    .map(([c, actions]) => `  ${c.padEnd(16)}${Object.keys(actions).join(', ')}`)
    .join('\n');
  return `usage: ${USAGE}${Object.keys(CATEGORIES).join(',')}} ...\n\nCategories and their actions:\n${cats}\n\nEach action takes --help.\n`;
}

export async function run(argv: readonly string[]): Promise<number> {
  const cfg = loadCommandConfig(argv, { prog: 'nova-manage' });
  const rest = cfg.rest.filter((a) => a !== '--debug' && a !== '--post-mortem');
  const [category, actionName, ...args] = rest;
  if (!category || category === '-h' || category === '--help') {
    process.stdout.write(help());
    return category ? 0 : 2;
  }
  if (category === 'version' || category === '--version') {
    const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (category === 'bash-completion') {
    for (const [c, actions] of Object.entries(CATEGORIES))
      process.stdout.write(`${c} ${Object.keys(actions).join(' ')}\n`);
    return 0;
  }
  const actions = CATEGORIES[category];
  if (!actions) {
    throw new UsageError(
      `nova-manage: error: argument category: invalid choice: '${category}' (choose from ${Object.keys(
        CATEGORIES,
      )
        .map((c) => `'${c}'`)
        .join(', ')})`,
    );
  }
  if (!actionName || actionName === '-h' || actionName === '--help') {
    const lines = Object.entries(actions).map(
      ([n, a]) => `  ${n.padEnd(20)}${a.spec.description.split('. ')[0]}`,
    );
    process.stdout.write(`usage: nova-manage ${category} <action> [args]\n\nactions:\n${lines.join('\n')}\n`);
    return actionName ? 0 : 2;
  }
  const action = actions[actionName];
  if (!action) {
    throw new UsageError(
      `nova-manage ${category}: error: argument action: invalid choice: '${actionName}' (choose from ${Object.keys(
        actions,
      )
        .map((a) => `'${a}'`)
        .join(', ')})`,
    );
  }
  const parsed = parseArgs(action.spec, args);
  if (parsed === null) return 0;
  for (const w of cfg.loaded.warnings) process.stderr.write(`WARNING: ${w}\n`);
  const ctx = createManageContext(cfg.conf, (line) => process.stdout.write(`${line}\n`));
  try {
    return await action.run(ctx, parsed);
  } finally {
    await ctx.close();
  }
}

export { formatHelp };
