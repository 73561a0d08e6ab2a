// GET /servers/{id}/diagnostics — upstream server_diagnostics.py: asks the server's compute
// (RPC get_diagnostics) and answers the legacy dictionary before 2.48, the standard form from 2.48.
// 409 while the server has no host, 501 when its driver has no diagnostics.
import { isInvalidState, isNotSupported } from '../../../compute-api/rpc-errors.ts';
import { rpcContext } from '../../../compute-api/servers/delete.ts';
import { Conflict } from '../../../faults/fault.ts';
import type { Diagnostics } from '../../../virt/driver.ts';
import { NotImplementedFault } from '../faults/faults.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { RouteDef } from '../routing/route.ts';
import { noQueryFrom2102 } from '../schemas/server-queries.ts';
import { diagnosticsLegacy, diagnosticsV248 } from '../views/server-diagnostics.ts';
import { backendOf, requestIdOf } from './server-deps.ts';
import { serverFor } from './server-lookup.ts';

const P = SERVER_POLICIES.diagnostics;

export const SERVER_DIAGNOSTICS_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/servers/:id/diagnostics',
    policy: { inHandler: [P] },
    query: noQueryFrom2102,
    handler: async (ctx) => {
      const uuid = ctx.params.id;
      const l = await serverFor(ctx, P);
      const host = l.kind === 'instance' ? l.instance.host : null;
      if (!host) throw new Conflict(`Instance ${uuid} is not ready`, 'nova.instance_not_ready');
      let d: Diagnostics;
      try {
        d = await backendOf(ctx).compute.call<Diagnostics>(
          rpcContext(ctx.auth, requestIdOf(ctx)),
          host,
          'get_diagnostics',
          { instance_uuid: uuid },
        );
      } catch (err) {
        if (isNotSupported(err)) throw new NotImplementedFault();
        if (isInvalidState(err))
          throw new Conflict(
            `Instance ${uuid} is in an invalid state for 'get_diagnostics'`,
            'nova.instance_invalid_state',
          );
        throw err;
      }
      return ctx.mv.atLeast('2.48') ? diagnosticsV248(d) : diagnosticsLegacy(d);
    },
  },
];
