// POST /servers (202 with adminPass, or a reservation id) and DELETE /servers/{id} (204). Reading
// servers is routes/servers-read.ts; actions are routes/server-actions.ts.
import { createServers } from '../../../compute-api/servers/create.ts';
import { deleteServer } from '../../../compute-api/servers/delete.ts';
import { locate } from '../../../compute-api/servers/lookup.ts';
import { updateServer } from '../../../compute-api/servers/update.ts';
import type { RouteDef } from '../routing/route.ts';
import * as S from '../schemas/servers-create.ts';
import * as U from '../schemas/servers-update.ts';
import { boolFromString } from '../validation/params.ts';
import { quotaDeps } from './quota-deps.ts';
import { backendOf, imagesOf, requestIdOf } from './server-deps.ts';
import { updatedBody } from './servers-read.ts';

const P = {
  create: 'os_compute_api:servers:create',
  forcedHost: 'os_compute_api:servers:create:forced_host',
  requestedDestination: 'compute:servers:create:requested_destination',
  zeroDisk: 'os_compute_api:servers:create:zero_disk_flavor',
  attachNetwork: 'os_compute_api:servers:create:attach_network',
  trustedCerts: 'os_compute_api:servers:create:trusted_certs',
  delete: 'os_compute_api:servers:delete',
  update: 'os_compute_api:servers:update',
};

export const SERVER_WRITE_ROUTES: readonly RouteDef[] = [
  {
    method: 'POST',
    url: '/servers',
    policy: { inHandler: [P.create, P.forcedHost, P.requestedDestination, P.zeroDisk] },
    body: S.createBody,
    status: 202,
    handler: async (ctx) => {
      const target = { project_id: ctx.auth.project_id ?? '', user_id: ctx.auth.user_id };
      ctx.authorize(P.create, target);
      const s = ctx.body.server;
      if (Array.isArray(s.networks) && s.networks.length > 0) ctx.authorize(P.attachNetwork, target);
      if (s.trusted_image_certificates) ctx.authorize(P.trustedCerts, target);
      const res = await createServers(
        {
          conf: ctx.deps.conf,
          apiDb: ctx.deps.apiDb,
          cells: ctx.deps.cells,
          clock: ctx.deps.clock,
          quota: quotaDeps(ctx),
          backend: backendOf(ctx),
          images: imagesOf(ctx),
        },
        {
          auth: ctx.auth,
          requestId: requestIdOf(ctx),
          server: s,
          hints: ctx.body['os:scheduler_hints'] ?? ctx.body['OS-SCH-HNT:scheduler_hints'],
          may: {
            forceHost: ctx.can(P.forcedHost, target),
            requestDestination: ctx.can(P.requestedDestination, target),
            zeroDisk: ctx.can(P.zeroDisk, target),
          },
        },
      );
      if (s.return_reservation_id !== undefined && boolFromString(s.return_reservation_id))
        return { reservation_id: res.reservationId };
      const id = res.uuids[0];
      return {
        server: {
          id,
          links: ctx.links.item('servers', id),
          'OS-DCF:diskConfig': s['OS-DCF:diskConfig'] ?? 'MANUAL',
          security_groups: (s.security_groups as { name: string }[] | undefined) ?? [{ name: 'default' }],
          ...(res.adminPass !== null ? { adminPass: res.adminPass } : {}),
        },
      };
    },
  },
  {
    method: 'PUT',
    url: '/servers/:id',
    policy: { inHandler: [P.update] },
    body: U.updateBody,
    handler: async (ctx) => {
      await updateServer(
        { apiDb: ctx.deps.apiDb, cells: ctx.deps.cells, clock: ctx.deps.clock },
        ctx.auth,
        ctx.params.id,
        ctx.body.server,
        (target) => ctx.authorize(P.update, target),
      );
      return updatedBody(ctx, ctx.params.id);
    },
  },
  {
    method: 'DELETE',
    url: '/servers/:id',
    policy: { inHandler: [P.delete] },
    status: 204,
    handler: async (ctx) => {
      const id = ctx.params.id;
      const l = await locate(ctx.deps.apiDb, ctx.deps.cells, ctx.auth, id);
      const owner = l.kind === 'build' ? l.build.instance : l.instance;
      ctx.authorize(P.delete, { project_id: owner.project_id, user_id: owner.user_id });
      await deleteServer(
        {
          conf: ctx.deps.conf,
          apiDb: ctx.deps.apiDb,
          cells: ctx.deps.cells,
          clock: ctx.deps.clock,
          backend: backendOf(ctx),
        },
        ctx.auth,
        requestIdOf(ctx),
        id,
      );
      return undefined;
    },
  },
];
