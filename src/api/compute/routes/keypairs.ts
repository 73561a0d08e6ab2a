// /os-keypairs — upstream keypairs.py: import or (until 2.91) generate, list (paged from 2.35),
// show, delete; admins act for other users with user_id from 2.10.
import { createKeypair } from '../../../compute-api/keypairs.ts';
import { Invalid, NotFound } from '../../../faults/fault.ts';
import * as keypairs from '../../../objects/keypair.ts';
import { KEYPAIR_POLICIES as P } from '../policies/keypairs.ts';
import { pageOf } from '../routing/pagination.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/keypairs.ts';
import { keypairCreated, keypairIndexItem, keypairShow } from '../views/keypairs.ts';
import { quotaDeps } from './quota-deps.ts';

/** The user acted for: ?user_id= (2.10+, first value), else the caller. */
function targetUser(ctx: RouteContext): string {
  const asked = ctx.mv.atLeast('2.10') ? ctx.query.user_id?.[0] : undefined;
  return asked ?? ctx.auth.user_id;
}

export const KEYPAIR_ROUTES: readonly RouteDef[] = [
  {
    method: 'POST',
    url: '/os-keypairs',
    policy: { inHandler: [P.create] },
    body: S.createBody,
    status: (mv) => (mv.atLeast('2.2') ? 201 : 200),
    handler: async (ctx) => {
      const p = ctx.body.keypair;
      const userId: string = (ctx.mv.atLeast('2.10') && p.user_id) || ctx.auth.user_id;
      ctx.authorize(P.create, { user_id: userId });
      const { keypair, privateKey } = await createKeypair(
        { ...quotaDeps(ctx), clock: ctx.deps.clock },
        {
          userId,
          projectId: ctx.auth.project_id ?? '',
          name: String(p.name).trim(),
          type: p.type ?? 'ssh',
          ...(p.public_key !== undefined && { publicKey: p.public_key }),
        },
      );
      return keypairCreated(keypair, ctx.mv, privateKey);
    },
  },
  {
    method: 'GET',
    url: '/os-keypairs',
    policy: { inHandler: [P.index] },
    query: S.indexQuery,
    handler: async (ctx) => {
      const userId = targetUser(ctx);
      ctx.authorize(P.index, { user_id: userId });
      const paged = ctx.mv.atLeast('2.35');
      const page = paged ? pageOf(ctx) : undefined;
      let list: readonly keypairs.Keypair[];
      try {
        list = await keypairs.listByUser(ctx.deps.apiDb, userId, page ?? {});
      } catch (err) {
        if (err instanceof NotFound && page?.marker !== undefined) throw new Invalid(err.message);
        throw err;
      }
      const next = page
        ? ctx.links.collection('os-keypairs', list, () => list[list.length - 1].name, page.limit)
        : [];
      return {
        keypairs: list.map((k) => keypairIndexItem(k, ctx.mv)),
        ...(next.length > 0 && { keypairs_links: next }),
      };
    },
  },
  {
    method: 'GET',
    url: '/os-keypairs/:id',
    policy: { inHandler: [P.show] },
    query: S.itemQuery,
    handler: async (ctx) => {
      const userId = targetUser(ctx);
      ctx.authorize(P.show, { user_id: userId });
      return keypairShow(await keypairs.get(ctx.deps.apiDb, userId, ctx.params.id), ctx.mv);
    },
  },
  {
    method: 'DELETE',
    url: '/os-keypairs/:id',
    policy: { inHandler: [P.delete] },
    query: S.itemQuery,
    status: (mv) => (mv.atLeast('2.2') ? 204 : 202),
    handler: async (ctx) => {
      const userId = targetUser(ctx);
      ctx.authorize(P.delete, { user_id: userId });
      await keypairs.destroy(ctx.deps.apiDb, userId, ctx.params.id);
      return undefined;
    },
  },
];
