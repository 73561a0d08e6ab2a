// /os-security-groups[/{id}] and /os-security-group-rules[/{id}] (deprecated proxies to the network
// service, until 2.35; 404 above), GET /servers/{id}/os-security-groups and the addSecurityGroup /
// removeSecurityGroup server actions — upstream security_groups.py, forwarding to the network
// service with the caller's token. Without a network service the proxies answer as upstream does
// when the catalog has none: a 500 naming keystoneauth's EndpointNotFound.
import * as SG from '../../../compute-api/security-groups.ts';
import { locateInstance } from '../../../compute-api/servers/lookup.ts';
import { Invalid } from '../../../faults/fault.ts';
import type { NetworkClient } from '../../../network-client/client.ts';
import { callerNetworkClient } from '../../../network-client/endpoint.ts';
import { UnexpectedApiError } from '../faults/faults.ts';
import { PROXY_RULE_OF } from '../policies/proxies.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { ActionDef } from '../routing/actions.ts';
import type { HttpMethod, RouteContext, RouteDef } from '../routing/route.ts';

const PROXY_MAX = '2.35';
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

function proxy(method: HttpMethod, url: string, status: number, handler: RouteDef['handler']): RouteDef {
  const rule = PROXY_RULE_OF.get(`${method} ${url}`);
  if (!rule) throw new Error(`no policy rule for ${method} ${url}`);
  return {
    method,
    url,
    maxVersion: PROXY_MAX,
    policy: { rule, target: (ctx) => ({ project_id: ctx.auth.project_id }) },
    status,
    handler,
  };
}

const truthy = (v: string | undefined) =>
  v !== undefined && ['1', 'true', 't', 'yes', 'y', 'on'].includes(v.toLowerCase());

export const SECURITY_GROUP_ROUTES: readonly RouteDef[] = [
  proxy('GET', '/os-security-groups', 200, async (ctx) => {
    const all = truthy(ctx.param('all_tenants')) && ctx.auth.roles.includes('admin');
    return { security_groups: await SG.listGroups(clientOf(ctx), ctx.auth.project_id, all) };
  }),
  proxy('POST', '/os-security-groups', 200, async (ctx) => {
    const g = section(ctx, 'security_group');
    return { security_group: await SG.createGroup(clientOf(ctx), g.name, g.description) };
  }),
  proxy('GET', '/os-security-groups/:id', 200, async (ctx) => ({
    security_group: await SG.showGroup(clientOf(ctx), ctx.params.id),
  })),
  proxy('PUT', '/os-security-groups/:id', 200, async (ctx) => {
    const g = section(ctx, 'security_group');
    return { security_group: await SG.updateGroup(clientOf(ctx), ctx.params.id, g.name, g.description) };
  }),
  proxy('DELETE', '/os-security-groups/:id', 202, async (ctx) => {
    await SG.deleteGroup(clientOf(ctx), ctx.params.id);
    return undefined;
  }),
  proxy('POST', '/os-security-group-rules', 200, async (ctx) => ({
    security_group_rule: await SG.createRule(clientOf(ctx), section(ctx, 'security_group_rule')),
  })),
  proxy('DELETE', '/os-security-group-rules/:id', 202, async (ctx) => {
    await SG.deleteRule(clientOf(ctx), ctx.params.id);
    return undefined;
  }),
  {
    method: 'GET',
    url: '/servers/:id/os-security-groups',
    policy: { inHandler: [P.list] },
    handler: async (ctx) => {
      const { instance } = await locateInstance(
        ctx.deps.apiDb,
        ctx.deps.cells,
        ctx.auth,
        ctx.params.id,
        'os-security-groups',
      );
      ctx.authorize(P.list, { project_id: instance.project_id, user_id: instance.user_id });
      return { security_groups: await SG.serverGroups(clientOf(ctx), instance.uuid) };
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
      const { instance } = await locateInstance(
        ctx.deps.apiDb,
        ctx.deps.cells,
        ctx.auth,
        ctx.params.id,
        action,
      );
      ctx.authorize(rule, { project_id: instance.project_id, user_id: instance.user_id });
      await apply(clientOf(ctx), ctx.auth.project_id, instance.uuid, name);
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
