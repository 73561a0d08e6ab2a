// /servers/{id}/tags[/{tag}] (2.26+) — upstream server_tags.py: list, check one (204/404), replace
// all, add one (201 with Location, 204 when already there), delete one, delete all.
import * as T from '../../../compute-api/server-tags.ts';
import { locate } from '../../../compute-api/servers/lookup.ts';
import { NotFound } from '../../../faults/fault.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/server-tags.ts';

const P = SERVER_POLICIES.tags;
const MIN = '2.26';

/** The server's mapping, with `rule` checked against the mapping's project (403, not 404). */
async function mapped(ctx: RouteContext, rule: string) {
  const mapping = await T.mappingOf(ctx.deps.apiDb, ctx.params.id);
  ctx.authorize(rule, { project_id: mapping.project_id });
  return mapping;
}

/** Mapping and policy, then the server's cell if its tags may change now. */
async function changeable(ctx: RouteContext, rule: string, action: string) {
  await mapped(ctx, rule);
  const l = await locate(ctx.deps.apiDb, ctx.deps.cells, ctx.auth, ctx.params.id);
  return T.changeableCell(l, ctx.params.id, action);
}

const current = async (ctx: RouteContext, rule: string) =>
  T.currentTags(ctx.deps.apiDb, ctx.deps.cells, await mapped(ctx, rule));

/** Header-safe Location (upstream sends the tag as is; non-ASCII is percent-encoded here). */
function location(ctx: RouteContext, tag: string): string {
  const server = ctx.links.item('servers', ctx.params.id)[0].href;
  const safe = /^[\x21-\x7e ]*$/.test(tag) ? tag : encodeURIComponent(tag);
  return `${server}/tags/${safe}`;
}

export const SERVER_TAG_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/servers/:id/tags',
    minVersion: MIN,
    policy: { inHandler: [P.index] },
    query: S.anyQuery,
    handler: async (ctx) => ({ tags: await current(ctx, P.index) }),
  },
  {
    method: 'GET',
    url: '/servers/:id/tags/:tag',
    minVersion: MIN,
    policy: { inHandler: [P.show] },
    query: S.anyQuery,
    status: 204,
    handler: async (ctx) => {
      if (!(await current(ctx, P.show)).includes(ctx.params.tag))
        throw new NotFound(
          `Server ${ctx.params.id} has no tag '${ctx.params.tag}'`,
          'nova.instance_tag_not_found',
        );
      return undefined;
    },
  },
  {
    method: 'PUT',
    url: '/servers/:id/tags',
    minVersion: MIN,
    policy: { inHandler: [P.updateAll] },
    body: S.replaceAllBody,
    handler: async (ctx) => {
      const cell = await changeable(ctx, P.updateAll, 'update tags');
      return { tags: await T.replaceTags(cell, ctx.params.id, ctx.body.tags) };
    },
  },
  {
    method: 'PUT',
    url: '/servers/:id/tags/:tag',
    minVersion: MIN,
    policy: { inHandler: [P.update] },
    body: S.addOneBody,
    handler: async (ctx) => {
      const cell = await changeable(ctx, P.update, 'update tag');
      const tag = ctx.params.tag;
      T.checkTag(tag);
      if ((await T.addTag(cell, ctx.params.id, tag)) === 'exists') {
        ctx.reply.status(204);
        return undefined;
      }
      ctx.reply.status(201).header('location', location(ctx, tag));
      return undefined;
    },
  },
  {
    method: 'DELETE',
    url: '/servers/:id/tags',
    minVersion: MIN,
    policy: { inHandler: [P.deleteAll] },
    status: 204,
    handler: async (ctx) => {
      await T.removeAllTags(await changeable(ctx, P.deleteAll, 'delete tags'), ctx.params.id);
      return undefined;
    },
  },
  {
    method: 'DELETE',
    url: '/servers/:id/tags/:tag',
    minVersion: MIN,
    policy: { inHandler: [P.delete] },
    status: 204,
    handler: async (ctx) => {
      const cell = await changeable(ctx, P.delete, 'delete tag');
      await T.removeTag(cell, ctx.params.id, ctx.params.tag);
      return undefined;
    },
  },
];
