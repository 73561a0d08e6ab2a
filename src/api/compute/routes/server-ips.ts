// GET /servers/{id}/ips and /servers/{id}/ips/{network_label}: a server's addresses by network
// (the ips resource of upstream; the 'OS-EXT-IPS' keys appear in the servers view, not here).
import { locateInstance } from '../../../compute-api/servers/lookup.ts';
import { NotFound } from '../../../faults/fault.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import { addressesView } from '../views/servers.ts';

const P = SERVER_POLICIES.ips;

async function addresses(ctx: RouteContext, rule: string): Promise<Record<string, unknown[]>> {
  const { instance } = await locateInstance(ctx.deps.apiDb, ctx.deps.cells, ctx.auth, ctx.params.id, 'ips');
  ctx.authorize(rule, { project_id: instance.project_id, user_id: instance.user_id });
  const byNet = addressesView(instance);
  const plain: Record<string, unknown[]> = {};
  for (const [label, list] of Object.entries(byNet))
    plain[label] = (list as { version: number; addr: string }[]).map((a) => ({
      version: a.version,
      addr: a.addr,
    }));
  return plain;
}

export const SERVER_IPS_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/servers/:id/ips',
    policy: { inHandler: [P.index] },
    handler: async (ctx) => ({ addresses: await addresses(ctx, P.index) }),
  },
  {
    method: 'GET',
    url: '/servers/:id/ips/:network',
    policy: { inHandler: [P.show] },
    handler: async (ctx) => {
      const all = await addresses(ctx, P.show);
      const net = ctx.params.network;
      if (!Object.hasOwn(all, net))
        throw new NotFound('Instance is not a member of specified network', 'compute.network_not_member');
      return { [net]: all[net] };
    },
  },
];
