// Transport URL and database connection checks shared by the cell_v2 actions.
import type { Database } from '../../db/index.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import type { ManageContext } from './context.ts';

const TRANSPORT_SCHEMES = new Set(['rabbit', 'amqp', 'memory', 'none', 'kombu']);

/** Returns the transport URL to use, or undefined after printing why there is none. */
export function validateTransportUrl(
  ctx: ManageContext,
  given: string | undefined,
  warnAboutNone = true,
): string | undefined {
  let url = given;
  if (!url) {
    if (!ctx.conf.DEFAULT.transport_url) {
      if (warnAboutNone) {
        ctx.out(
          'Must specify --transport-url if [DEFAULT]/transport_url is not set in the configuration file.',
        );
      }
      return undefined;
    }
    ctx.out(
      '--transport-url not provided in the command line, using the value [DEFAULT]/transport_url from the configuration file',
    );
    url = ctx.conf.DEFAULT.transport_url;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i
    .exec(url ?? '')?.[1]
    ?.split('+')[0]
    ?.toLowerCase();
  if (!scheme || !TRANSPORT_SCHEMES.has(scheme)) {
    ctx.out(`Invalid transport URL: ${url}`);
    return undefined;
  }
  return url;
}

export function validateDatabaseConnection(
  ctx: ManageContext,
  given: string | undefined,
  warnAboutNone = true,
): string | undefined {
  if (given) return given;
  if (!ctx.conf.database.connection) {
    if (warnAboutNone) {
      ctx.out(
        'Must specify --database_connection if [database]/connection is not set in the configuration file.',
      );
    }
    return undefined;
  }
  ctx.out(
    '--database_connection not provided in the command line, using the value [database]/connection from the configuration file',
  );
  return ctx.conf.database.connection;
}

/** True (after printing which) when another cell already uses this transport URL or database. */
export async function usedByAnotherCell(
  ctx: ManageContext,
  api: Database,
  self: string | undefined,
  transportUrl: string | undefined,
  databaseConnection: string | undefined,
): Promise<boolean> {
  for (const cell of await cellMappings.list(api)) {
    if (cell.uuid === self) continue;
    if (cell.database_connection === databaseConnection || cell.transport_url === transportUrl) {
      ctx.out(
        `The specified transport_url and/or database_connection combination already exists for another cell with uuid ${cell.uuid}.`,
      );
      return true;
    }
  }
  return false;
}

/** user:password@ → user:****@ for every host of the URL (what list_cells shows without --verbose). */
export function maskPassword(url: string): string {
  return url.replace(/([/,])([^:@/,]*):([^@/,]*)@/g, '$1$2:****@');
}
