// /servers/{id}/metadata[/{key}] — upstream server_metadata.py: list, show one item, merge (POST),
// replace all (PUT), set one (PUT …/{key}), delete one. Changes need an unlocked, launched server in
// an allowed state (409 otherwise) and fit the metadata_items quota (403).
import {
  deleteMetadataItem,
  type MetadataDeps,
  updateMetadata,
} from '../../../compute-api/server-metadata.ts';
import { invalidState, type Located } from '../../../compute-api/servers/lookup.ts';
import { Invalid, NotFound } from '../../../faults/fault.ts';
import type { Metadata } from '../../../objects/instance-metadata.ts';
import { SERVER_POLICIES } from '../policies/servers.ts';
import type { RouteContext, RouteDef } from '../routing/route.ts';
import * as S from '../schemas/server-metadata.ts';
import { noQueryFrom2102 } from '../schemas/server-queries.ts';
import { quotaDeps } from './quota-deps.ts';
import { serverFor } from './server-lookup.ts';

const P = SERVER_POLICIES.metadata;

const itemNotFound = () => new NotFound('Metadata item was not found', 'compute.metadata_item_not_found');

function metadataOf(l: Located): Metadata {
  return l.kind === 'instance' ? l.instance.metadata : (l.build.instance.metadata ?? {});
}

const depsOf = (ctx: RouteContext): MetadataDeps => ({
  quota: quotaDeps(ctx),
  now: () => ctx.deps.clock.now(),
});

/** Writes metadata; a server still being built is in vm_state building (409), as upstream. */
async function write(
  ctx: RouteContext,
  rule: string,
  values: Metadata,
  replace: boolean,
  check?: () => void,
) {
  const l = await serverFor(ctx, rule);
  check?.();
  if (l.kind === 'build') throw invalidState(ctx.params.id, 'update metadata', 'vm_state', 'building');
  return updateMetadata(depsOf(ctx), ctx.auth, l.cell, l.instance, values, replace);
}

export const SERVER_METADATA_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/servers/:id/metadata',
    policy: { inHandler: [P.index] },
    query: noQueryFrom2102,
    handler: async (ctx) => ({ metadata: { ...metadataOf(await serverFor(ctx, P.index)) } }),
  },
  {
    method: 'GET',
    url: '/servers/:id/metadata/:key',
    policy: { inHandler: [P.show] },
    query: noQueryFrom2102,
    handler: async (ctx) => {
      const md = metadataOf(await serverFor(ctx, P.show));
      const key = ctx.params.key;
      if (!Object.hasOwn(md, key)) throw itemNotFound();
      return { meta: { [key]: md[key] } };
    },
  },
  {
    method: 'POST',
    url: '/servers/:id/metadata',
    policy: { inHandler: [P.create] },
    body: S.metadataBody,
    handler: async (ctx) => ({ metadata: await write(ctx, P.create, ctx.body.metadata, false) }),
  },
  {
    method: 'PUT',
    url: '/servers/:id/metadata',
    policy: { inHandler: [P.updateAll] },
    body: S.metadataBody,
    handler: async (ctx) => ({ metadata: await write(ctx, P.updateAll, ctx.body.metadata, true) }),
  },
  {
    method: 'PUT',
    url: '/servers/:id/metadata/:key',
    policy: { inHandler: [P.update] },
    body: S.metaItemBody,
    handler: async (ctx) => {
      const item = ctx.body.meta as Record<string, string>;
      await write(ctx, P.update, item, false, () => {
        if (!Object.hasOwn(item, ctx.params.key)) throw new Invalid('Request body and URI mismatch');
      });
      return { meta: item };
    },
  },
  {
    method: 'DELETE',
    url: '/servers/:id/metadata/:key',
    policy: { inHandler: [P.delete] },
    status: 204,
    handler: async (ctx) => {
      const l = await serverFor(ctx, P.delete);
      if (!Object.hasOwn(metadataOf(l), ctx.params.key)) throw itemNotFound();
      if (l.kind === 'build') throw invalidState(ctx.params.id, 'delete metadata', 'vm_state', 'building');
      await deleteMetadataItem(depsOf(ctx), ctx.auth, l.cell, l.instance, ctx.params.key);
      return undefined;
    },
  },
];
