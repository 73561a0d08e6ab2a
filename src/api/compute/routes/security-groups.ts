// /os-security-groups[/{id}] and /os-security-group-rules[/{id}] (deprecated proxies to the network
// service, until 2.35; 404 above), GET /servers/{id}/os-security-groups and the addSecurityGroup /
// removeSecurityGroup server actions — upstream security_groups.py, forwarding to the network
// service with the caller's token. Without a network service the proxies answer as upstream does
// when the catalog has none: a 500 naming keystoneauth's EndpointNotFound.
import * as SG from '../../../compute-api/security-groups.ts';
import { Invalid } from '../../../faults/fault.ts';
import type { NetworkClient } from '../../../network-client/client.ts';
import { callerNetworkClient } from '../../../network-client/endpoint.ts';
import { UnexpectedApiError } from '../faults/faults.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { ActionDef } from '../routing/actions.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import { proxyRoute } from './proxies.ts';
import { acting } from './server-move-actions.ts';

const P = SERVER_POLICIES.securityGroups;

function clientOf(ctx: RouteContext): NetworkClient {
  const client = callerNetworkClient(ctx.deps.conf, ctx.auth);
  if (!client) throw new UnexpectedApiError('keystoneauth1.exceptions.catalog.EndpointNotFound');
  return client;
}

/** The object under `key` of the body (upstream: 400 "Missing parameter dict"). */
function section(ctx: RouteContext, key: string): Record<string, unknown> {
  const body = ctx.body as Record<string, unknown> | null | undefined;
  const v = body && typeof body === 'object' ? body[key] : undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Invalid(`Missing parameter ${key}`);
  return v as Record<string, unknown>;
}

const truthy = (v: string | undefined) =>
  v !== undefined && ['1', 'true', 't', 'yes', 'y', 'on'].includes(v.toLowerCase());

export const SECURITY_GROUP_ROUTES: readonly RouteDef[] = [
  proxyRoute('GET', '/os-security-groups', async (ctx) => {
    const all = truthy(ctx.param('all_tenants')) && ctx.auth.roles.includes('admin');
    return { security_groups: await SG.listGroups(clientOf(ctx), ctx.auth.project_id, all) };
  }),
  proxyRoute('POST', '/os-security-groups', async (ctx) => {
    const g = section(ctx, 'security_group');
    return { security_group: await SG.createGroup(clientOf(ctx), g.name, g.description) };
  }),
  proxyRoute('GET', '/os-security-groups/:id', async (ctx) => ({
    security_group: await SG.showGroup(clientOf(ctx), ctx.params.id),
  })),
  proxyRoute('PUT', '/os-security-groups/:id', async (ctx) => {
    const g = section(ctx, 'security_group');
    return { security_group: await SG.updateGroup(clientOf(ctx), ctx.params.id, g.name, g.description) };
  }),
  proxyRoute(
    'DELETE',
    '/os-security-groups/:id',
    async (ctx) => {
      await SG.deleteGroup(clientOf(ctx), ctx.params.id);
      return undefined;
    },
    202,
  ),
  proxyRoute('POST', '/os-security-group-rules', async (ctx) => ({
    security_group_rule: await SG.createRule(clientOf(ctx), section(ctx, 'security_group_rule')),
  })),
  proxyRoute(
    'DELETE',
    '/os-security-group-rules/:id',
    async (ctx) => {
      await SG.deleteRule(clientOf(ctx), ctx.params.id);
      return undefined;
    },
    202,
  ),
  {
    method: 'GET',
    url: '/servers/:id/os-security-groups',
    policy: { inHandler: [P.list] },
    handler: async (ctx) => {
      const { inst } = await acting(ctx, P.list, 'os-security-groups');
      return { security_groups: await SG.serverGroups(clientOf(ctx), inst.uuid) };
    },
  },
];

/** The group named by {"addSecurityGroup": {"name": N}} (upstream _parse: 400 when missing or empty). */
function groupName(ctx: RouteContext, action: string): string {
  const name = section(ctx, action).name;
  if (typeof name !== 'string') throw new Invalid('Security group not specified');
  if (name.trim() === '') throw new Invalid('Security group name cannot be empty');
  return name.trim();
}

function sgAction(action: string, rule: string, apply: typeof SG.addToServer): ActionDef {
  return {
    status: 202,
    handler: async (ctx) => {
      const name = groupName(ctx, action);
      const { inst } = await acting(ctx, rule, action);
      await apply(clientOf(ctx), ctx.auth.project_id, inst.uuid, name);
      return undefined;
    },
  };
}

/** addSecurityGroup / removeSecurityGroup, merged into POST /servers/{id}/action. */
export const SECURITY_GROUP_ACTIONS: Readonly<Record<string, ActionDef>> = Object.freeze({
  addSecurityGroup: sgAction('addSecurityGroup', P.add, SG.addToServer),
  removeSecurityGroup: sgAction('removeSecurityGroup', P.remove, SG.removeFromServer),
});

export const SECURITY_GROUP_ACTION_RULES: readonly string[] = Object.freeze([P.add, P.remove]);
