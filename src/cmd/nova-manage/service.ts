// nova-manage service list | enable | disable (the format upstream printed before the subcommand
// moved to the os-services API; seeds 002 and 004 still run it).
import type { Database } from '../../db/index.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import * as services from '../../objects/service.ts';
import { str } from '../args.ts';
import type { Action } from './action.ts';
import type { ManageContext } from './context.ts';

/** The cell databases holding services rows: every mapped cell but cell0, or [database] alone. */
async function serviceDatabases(ctx: ManageContext): Promise<Database[]> {
  if (!ctx.conf.api_database.connection) return [await ctx.mainDb()];
  const cells = (await cellMappings.list(await ctx.apiDb())).filter(
    (c) => c.uuid !== cellMappings.CELL0_UUID,
  );
  if (cells.length === 0) return ctx.conf.database.connection ? [await ctx.mainDb()] : [];
  return Promise.all(cells.map((c) => ctx.cellDb(c.database_connection)));
}

const pythonTime = (d: Date | null): string =>
  d
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/(\.\d+)?Z$/, '')
    : 'None';
const row = (cols: readonly string[]) =>
  [
    cols[0].padEnd(16),
    cols[1].padEnd(36),
    cols[2].padEnd(16),
    cols[3].padEnd(10),
    cols[4].padEnd(5),
    cols[5].padEnd(10),
  ].join(' ');

const hostServiceFlags = [
  { name: '--host', metavar: '<host>', help: 'Host' },
  { name: '--service', metavar: '<service>', help: 'Nova service' },
] as const;

export const serviceListAction: Action = {
  spec: {
    usage: 'nova-manage service list',
    description: 'Show a list of all services. Filter by host & service name.',
    flags: hostServiceFlags,
  },
  async run(ctx, args) {
    const now = new Date();
    const downTime = ctx.conf.DEFAULT.service_down_time;
    ctx.out(row(['Binary', 'Host', 'Zone', 'Status', 'State', 'Updated_At']));
    for (const db of await serviceDatabases(ctx)) {
      for (const svc of await services.list(db, { host: str(args.host), binary: str(args.service) })) {
        const zone =
          svc.binary === 'nova-compute'
            ? ctx.conf.DEFAULT.default_availability_zone
            : ctx.conf.DEFAULT.internal_service_availability_zone;
        const state = services.isServiceUp(svc, now, downTime) ? ':-)' : 'XXX';
        ctx.out(
          row([
            svc.binary,
            svc.host,
            zone,
            svc.disabled ? 'disabled' : 'enabled',
            state,
            pythonTime(svc.updated_at),
          ]),
        );
      }
    }
    return 0;
  },
};

function setDisabledAction(disable: boolean): Action {
  const verb = disable ? 'disable' : 'enable';
  return {
    spec: {
      usage: `nova-manage service ${verb}`,
      description: `${disable ? 'Disable' : 'Enable'} scheduling for a service.`,
      flags: hostServiceFlags.map((f) => ({ ...f, required: true })),
    },
    async run(ctx, args) {
      const host = str(args.host)!;
      const binary = str(args.service)!;
      for (const db of await serviceDatabases(ctx)) {
        const svc = await services.findByHostAndBinary(db, host, binary);
        if (svc) {
          await services.setDisabled(db, svc.id, disable, null, new Date());
          ctx.out(`Service ${binary} on host ${host} ${verb}d.`);
          return 0;
        }
      }
      ctx.out(`error: Service ${binary} on host ${host} could not be found.`);
      return 2;
    },
  };
}

export const serviceEnableAction = setDisabledAction(false);
export const serviceDisableAction = setDisabledAction(true);
