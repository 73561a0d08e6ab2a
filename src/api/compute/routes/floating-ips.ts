// The deprecated floating IP and network proxies to the network service (until 2.35; 404 from
// 2.36): os-floating-ips, os-floating-ip-pools, os-networks, os-tenant-networks (reads), and the
// addFloatingIp / removeFloatingIp server actions.
import * as F from '../../../compute-api/floating-ips.ts';
import * as N from '../../../compute-api/network-proxy.ts';
import { Invalid } from '../../../faults/fault.ts';
import type { ActionDef } from '../routing/actions.ts';
import { type ByVersion, byVersion, type RouteContext, type RouteDef } from '../routing/route.ts';
import type { JsonSchema } from '../validation/validator.ts';
import { proxyRoute } from './proxies.ts';
import { acting } from './server-move-actions.ts';

/** add/removeFloatingIp are gone from 2.44, with the other nova-network actions. */
const ACTION_MAX = '2.43';

const isAdmin = (ctx: RouteContext): boolean => ctx.auth.roles.includes('admin');

export const FLOATING_IP_ROUTES: readonly RouteDef[] = [
  proxyRoute('GET', '/os-floating-ip-pools', async (ctx) => ({
    floating_ip_pools: await F.listPools(ctx.deps.conf, ctx.auth),
  })),
  proxyRoute('GET', '/os-floating-ips', async (ctx) => ({
    floating_ips: await F.listFloatingIps(ctx.deps.conf, ctx.auth),
  })),
  proxyRoute('GET', '/os-floating-ips/:id', async (ctx) => ({
    floating_ip: await F.showFloatingIp(ctx.deps.conf, ctx.auth, ctx.params.id),
  })),
  proxyRoute('POST', '/os-floating-ips', async (ctx) => {
    const body = ctx.body as { pool?: unknown } | null | undefined;
    const pool = body && typeof body === 'object' ? body.pool : undefined;
    if (pool !== undefined && pool !== null && typeof pool !== 'string')
      throw new Invalid('Invalid input for field/attribute pool.');
    return { floating_ip: await F.allocateFloatingIp(ctx.deps.conf, ctx.auth, pool) };
  }),
  proxyRoute(
    'DELETE',
    '/os-floating-ips/:id',
    async (ctx) => {
      await F.deallocateFloatingIp(ctx.deps.conf, ctx.auth, ctx.params.id);
      return undefined;
    },
    202,
  ),
  proxyRoute('GET', '/os-networks', async (ctx) => ({
    networks: (await N.listNetworks(ctx.deps.conf, ctx.auth)).map((n) => N.networkView(n, isAdmin(ctx))),
  })),
  proxyRoute('GET', '/os-networks/:id', async (ctx) => ({
    network: N.networkView(await N.showNetwork(ctx.deps.conf, ctx.auth, ctx.params.id), isAdmin(ctx)),
  })),
  proxyRoute('GET', '/os-tenant-networks', async (ctx) => ({
    networks: (await N.listNetworks(ctx.deps.conf, ctx.auth)).map(N.tenantNetworkView),
  })),
  proxyRoute('GET', '/os-tenant-networks/:id', async (ctx) => ({
    network: N.tenantNetworkView(await N.showNetwork(ctx.deps.conf, ctx.auth, ctx.params.id)),
  })),
];

const IP: JsonSchema = { type: 'string', oneOf: [{ format: 'ipv4' }, { format: 'ipv6' }] };

function actionBody(name: string, props: Record<string, JsonSchema>): ByVersion<JsonSchema> {
  return byVersion([
    '2.1',
    {
      type: 'object',
      properties: {
        [name]: { type: 'object', properties: props, required: ['address'], additionalProperties: false },
      },
      required: [name],
      additionalProperties: false,
    },
  ]);
}

export const FLOATING_IP_ACTION_RULES = {
  add: 'os_compute_api:os-floating-ips:add',
  remove: 'os_compute_api:os-floating-ips:remove',
} as const;

export const FLOATING_IP_ACTIONS: Readonly<Record<string, ActionDef>> = {
  addFloatingIp: {
    maxVersion: ACTION_MAX,
    body: actionBody('addFloatingIp', { address: IP, fixed_address: IP }),
    status: 202,
    handler: async (ctx) => {
      const { inst } = await acting(ctx, FLOATING_IP_ACTION_RULES.add, 'addFloatingIp');
      const b = ctx.body.addFloatingIp as { address: string; fixed_address?: string };
      await F.associateFloatingIp(ctx.deps.conf, ctx.auth, inst, b.address, b.fixed_address);
      return undefined;
    },
  },
  removeFloatingIp: {
    maxVersion: ACTION_MAX,
    body: actionBody('removeFloatingIp', { address: IP }),
    status: 202,
    handler: async (ctx) => {
      const { inst } = await acting(ctx, FLOATING_IP_ACTION_RULES.remove, 'removeFloatingIp');
      await F.disassociateFloatingIp(ctx.deps.conf, ctx.auth, inst, ctx.body.removeFloatingIp.address);
      return undefined;
    },
  },
};
