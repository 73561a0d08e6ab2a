// Deprecated proxies to the image service: /images, /images/detail, /images/{id} (until 2.35) and
// /images/{id}/metadata[/{key}] (until 2.38) — upstream images.py, image_metadata.py.
import {
  checkMetadataQuota,
  defaultImageClient,
  deleteImage,
  getImage,
  glanceFilters,
  glanceRoot,
  replaceProperties,
} from '../../../compute-api/image-proxy.ts';
import { Invalid, NotFound } from '../../../faults/fault.ts';
import type { ImageClient, ImageInfo } from '../../../image-client/client.ts';
import { pageOf, slicePage } from '../routing/pagination.ts';
import { byVersion, type RouteContext, type RouteDef } from '../routing/route.ts';
import { wrapped } from '../validation/params.ts';
import type { JsonSchema } from '../validation/validator.ts';
import { imageBrief, imageDetail } from '../views/images.ts';

const PROXY_MAX = '2.35';
const META_MAX = '2.38';

const clientOf = (ctx: RouteContext): ImageClient =>
  ctx.deps.imageClient ? ctx.deps.imageClient(ctx.auth) : defaultImageClient(ctx.deps.conf, ctx.auth);
const rootOf = (ctx: RouteContext) => glanceRoot(ctx.deps.conf, ctx.auth);

const metadata: JsonSchema = {
  type: 'object',
  patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } },
  additionalProperties: false,
};
const metadataBody = byVersion(['2.1', wrapped('metadata', metadata)]);
const metaBody = byVersion(['2.1', wrapped('meta', { ...metadata, minProperties: 1, maxProperties: 1 })]);

async function listImages(ctx: RouteContext): Promise<ImageInfo[]> {
  const params = Object.fromEntries(Object.keys(ctx.query).map((k) => [k, ctx.param(k) ?? '']));
  const all = await clientOf(ctx).list(glanceFilters(params));
  const page = pageOf(ctx);
  const items = slicePage(all, page, (i) => i.id);
  if (!items) throw new Invalid(`marker [${page.marker}] not found`);
  return items;
}

async function listBody(ctx: RouteContext, detail: boolean) {
  const items = await listImages(ctx);
  const root = rootOf(ctx);
  const next = ctx.links.collection(
    detail ? 'images/detail' : 'images',
    items,
    () => items[items.length - 1].id,
    pageOf(ctx).limit,
  );
  return {
    images: items.map((i) => (detail ? imageDetail(i, ctx.links, root) : imageBrief(i, ctx.links, root))),
    ...(next.length > 0 && { images_links: next }),
  };
}

const quotaDeps = (ctx: RouteContext) => ({
  conf: ctx.deps.conf,
  apiDb: ctx.deps.apiDb,
  usage: ctx.deps.usage as NonNullable<typeof ctx.deps.usage>,
});
const project = (ctx: RouteContext) => ctx.auth.project_id ?? '';

/** Writes the image's new properties (quota-checked); returns them as saved. */
async function writeProps(ctx: RouteContext, image: ImageInfo, props: Record<string, string>) {
  await checkMetadataQuota(quotaDeps(ctx), project(ctx), Object.keys(props).length);
  return (await replaceProperties(clientOf(ctx), image, props)).properties;
}

const any = { none: 'image service policy applies' } as const;

export const IMAGE_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET',
    url: '/images',
    maxVersion: PROXY_MAX,
    policy: any,
    handler: (ctx) => listBody(ctx, false),
  },
  {
    method: 'GET',
    url: '/images/detail',
    maxVersion: PROXY_MAX,
    policy: any,
    handler: (ctx) => listBody(ctx, true),
  },
  {
    method: 'GET',
    url: '/images/:id',
    maxVersion: PROXY_MAX,
    policy: any,
    handler: async (ctx) => ({
      image: imageDetail(await getImage(clientOf(ctx), ctx.params.id), ctx.links, rootOf(ctx)),
    }),
  },
  {
    method: 'DELETE',
    url: '/images/:id',
    maxVersion: PROXY_MAX,
    policy: any,
    status: 204,
    handler: async (ctx) => deleteImage(clientOf(ctx), ctx.params.id),
  },
  {
    method: 'GET',
    url: '/images/:image_id/metadata',
    maxVersion: META_MAX,
    policy: any,
    handler: async (ctx) => ({
      metadata: { ...(await getImage(clientOf(ctx), ctx.params.image_id)).properties },
    }),
  },
  {
    method: 'GET',
    url: '/images/:image_id/metadata/:id',
    maxVersion: META_MAX,
    policy: any,
    handler: async (ctx) => {
      const props = (await getImage(clientOf(ctx), ctx.params.image_id)).properties;
      if (!Object.hasOwn(props, ctx.params.id)) throw new NotFound('The resource could not be found.');
      return { meta: { [ctx.params.id]: props[ctx.params.id] } };
    },
  },
  {
    method: 'POST',
    url: '/images/:image_id/metadata',
    maxVersion: META_MAX,
    policy: any,
    body: metadataBody,
    handler: async (ctx) => {
      const image = await getImage(clientOf(ctx), ctx.params.image_id);
      return { metadata: await writeProps(ctx, image, { ...image.properties, ...ctx.body.metadata }) };
    },
  },
  {
    method: 'PUT',
    url: '/images/:image_id/metadata',
    maxVersion: META_MAX,
    policy: any,
    body: metadataBody,
    handler: async (ctx) => {
      const image = await getImage(clientOf(ctx), ctx.params.image_id);
      await writeProps(ctx, image, { ...ctx.body.metadata });
      return { metadata: ctx.body.metadata };
    },
  },
  {
    method: 'PUT',
    url: '/images/:image_id/metadata/:id',
    maxVersion: META_MAX,
    policy: any,
    body: metaBody,
    handler: async (ctx) => {
      const meta = ctx.body.meta as Record<string, string>;
      if (!Object.hasOwn(meta, ctx.params.id)) throw new Invalid('Request body and URI mismatch');
      const image = await getImage(clientOf(ctx), ctx.params.image_id);
      await writeProps(ctx, image, { ...image.properties, ...meta });
      return { meta };
    },
  },
  {
    method: 'DELETE',
    url: '/images/:image_id/metadata/:id',
    maxVersion: META_MAX,
    policy: any,
    status: 204,
    handler: async (ctx) => {
      const image = await getImage(clientOf(ctx), ctx.params.image_id);
      if (!Object.hasOwn(image.properties, ctx.params.id)) throw new NotFound('Invalid metadata key');
      const { [ctx.params.id]: _gone, ...rest } = image.properties;
      await replaceProperties(clientOf(ctx), image, rest);
    },
  },
];
