// POST /servers/{id}/remote-consoles (2.6+) and, until 2.5, the console actions os-getVNCConsole,
// os-getSPICEConsole, os-getSerialConsole and the removed os-getRDPConsole — upstream
// remote_consoles.py. The actions are exported as CONSOLE_ACTIONS for the server action route;
// this module registers only the remote-consoles route.
import { getConsoleUrl, instanceNotReady } from '../../../compute-api/remote-consoles.ts';
import { type Located, locate } from '../../../compute-api/servers/lookup.ts';
import { Invalid } from '../../../faults/fault.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { ActionDef } from '../routing/actions.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/remote-consoles.ts';
import { backendOf, requestIdOf } from './server-deps.ts';
import { serverFor } from './server-lookup.ts';

const P = SERVER_POLICIES.remoteConsoles;

/** The rules the console actions check (for the action route's documentation). */
export const CONSOLE_ACTION_RULES: readonly string[] = Object.freeze([P]);

/** The URL of a new console of the located server (a build request has no host yet: 409). */
async function consoleUrl(
  ctx: RouteContext,
  l: Located,
  protocol: string,
  consoleType: string,
): Promise<string> {
  if (l.kind === 'build') throw instanceNotReady(ctx.params.id);
  const d = { conf: ctx.deps.conf, clock: ctx.deps.clock, compute: backendOf(ctx).compute };
  return getConsoleUrl(d, ctx.auth, requestIdOf(ctx), l.cell, l.instance, protocol, consoleType);
}

function legacyAction(action: string, protocol: string, body: ActionDef['body']): ActionDef {
  return {
    maxVersion: '2.5',
    body,
    // Upstream checks the rule with the caller's own project, before looking the server up.
    policy: P,
    handler: async (ctx) => {
      const type = String(ctx.body[action].type);
      const l = await locate(ctx.deps.apiDb, ctx.deps.cells, ctx.auth, ctx.params.id);
      return { console: { type, url: await consoleUrl(ctx, l, protocol, type) } };
    },
  };
}

/** webob's HTTPBadRequest text, what the removed RDP action answers. */
const BAD_REQUEST =
  'The server could not comply with the request since it is either malformed or otherwise incorrect.';

export const CONSOLE_ACTIONS: Readonly<Record<string, ActionDef>> = Object.freeze({
  'os-getVNCConsole': legacyAction('os-getVNCConsole', 'vnc', S.getVncConsole),
  'os-getSPICEConsole': legacyAction('os-getSPICEConsole', 'spice', S.getSpiceConsole),
  'os-getSerialConsole': legacyAction('os-getSerialConsole', 'serial', S.getSerialConsole),
  // RDP consoles went with the Hyper-V driver (removed upstream in 29.0.0).
  'os-getRDPConsole': {
    maxVersion: '2.5',
    handler: async () => {
      throw new Invalid(BAD_REQUEST);
    },
  },
});

export const REMOTE_CONSOLE_ROUTES: readonly RouteDef[] = [
  {
    method: 'POST',
    url: '/servers/:id/remote-consoles',
    minVersion: '2.6',
    policy: { inHandler: [P] },
    body: S.create,
    handler: async (ctx) => {
      const l = await serverFor(ctx, P);
      const { protocol, type } = ctx.body.remote_console as { protocol: string; type: string };
      if (protocol === 'rdp') throw new Invalid(`Unavailable console type ${protocol}.`);
      return { remote_console: { protocol, type, url: await consoleUrl(ctx, l, protocol, type) } };
    },
  },
];
