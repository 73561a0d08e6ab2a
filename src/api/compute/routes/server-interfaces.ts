// /servers/{id}/os-interface: list, show, attach (200 with the interfaceAttachment), detach (202).
import {
  attachInterface,
  attachmentView,
  detachInterface,
  listInterfaces,
  showInterface,
} from '../../../compute-api/servers/interfaces.ts';
import { locateInstance } from '../../../compute-api/servers/lookup.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/server-interfaces.ts';
import { backendOf, requestIdOf } from './server-deps.ts';

const P = SERVER_POLICIES.interfaces;

async function load(ctx: RouteContext, rule: string, action: string) {
  const found = await locateInstance(ctx.deps.apiDb, ctx.deps.cells, ctx.auth, ctx.params.id, action);
  ctx.authorize(rule, { project_id: found.instance.project_id, user_id: found.instance.user_id });
  return found;
}

const deps = (ctx: RouteContext) => ({
  conf: ctx.deps.conf,
  backend: backendOf(ctx),
  now: ctx.deps.clock.now(),
});

export const SERVER_INTERFACE_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/servers/:id/os-interface',
    policy: { inHandler: [P.list] },
    handler: async (ctx) => {
      const { instance } = await load(ctx, P.list, 'os-interface');
      const ports = await listInterfaces(ctx.deps.conf, ctx.auth, instance);
      return { interfaceAttachments: ports.map((p) => attachmentView(p, instance, ctx.mv.atLeast('2.70'))) };
    },
  },
  {
    method: 'GET',
    url: '/servers/:id/os-interface/:port_id',
    policy: { inHandler: [P.show] },
    handler: async (ctx) => {
      const { instance } = await load(ctx, P.show, 'os-interface');
      const port = await showInterface(ctx.deps.conf, ctx.auth, instance, ctx.params.port_id);
      return { interfaceAttachment: attachmentView(port, instance, ctx.mv.atLeast('2.70')) };
    },
  },
  {
    method: 'POST',
    url: '/servers/:id/os-interface',
    policy: { inHandler: [P.create] },
    body: S.createBody,
    handler: async (ctx) => {
      const { cell, instance } = await load(ctx, P.create, 'attach_interface');
      const port = await attachInterface(
        deps(ctx),
        ctx.auth,
        requestIdOf(ctx),
        cell,
        instance,
        ctx.body?.interfaceAttachment ?? {},
      );
      return { interfaceAttachment: attachmentView(port, instance, ctx.mv.atLeast('2.70')) };
    },
  },
  {
    method: 'DELETE',
    url: '/servers/:id/os-interface/:port_id',
    policy: { inHandler: [P.delete] },
    status: 202,
    handler: async (ctx) => {
      const { cell, instance } = await load(ctx, P.delete, 'detach_interface');
      await detachInterface(deps(ctx), ctx.auth, requestIdOf(ctx), cell, instance, ctx.params.port_id);
      return undefined;
    },
  },
];
