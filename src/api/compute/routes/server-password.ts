// /servers/{id}/os-server-password — upstream server_password.py: show the encrypted password the
// guest posted to the metadata service ("" when none) and clear it (204). The guest's own password
// is not changed.
import { extractPassword, savePassword } from '../../../compute-api/server-password.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { RouteDef } from '../routing/route.ts';
import { noQueryFrom2102 } from '../schemas/server-queries.ts';
import { serverFor } from './server-lookup.ts';

const P = SERVER_POLICIES.password;

export const SERVER_PASSWORD_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/servers/:id/os-server-password',
    policy: { inHandler: [P.show] },
    query: noQueryFrom2102,
    handler: async (ctx) => {
      const l = await serverFor(ctx, P.show);
      const sysmeta = l.kind === 'instance' ? l.instance.system_metadata : {};
      return { password: extractPassword(sysmeta) ?? '' };
    },
  },
  {
    method: 'DELETE',
    url: '/servers/:id/os-server-password',
    policy: { inHandler: [P.clear] },
    status: 204,
    handler: async (ctx) => {
      const l = await serverFor(ctx, P.clear);
      // A server still being built has no password to clear.
      if (l.kind === 'instance') await savePassword(l.cell, l.instance.uuid, null, ctx.deps.clock.now());
      return undefined;
    },
  },
];
