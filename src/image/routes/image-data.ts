// PUT/GET /v2/images/{image_id}/file: image data, streamed both ways (never held whole in memory).
// Upload: queued → saving → active (size, checksum, os_hash_*); a failed or cut-off upload goes
// back to queued, as Glance's _restore. Download: Content-MD5, Content-Length, single Range → 206.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden } from '../../faults/fault.ts';
import { authorizeImage, type ImageAccess } from '../access.ts';
import { type ImageCtx, loadAccess } from '../context.ts';
import { badRequest, badTransition, gone, noImageData, rangeNotSatisfiable, tooLarge } from '../faults.ts';
import { HASH_ALGO } from '../model.ts';
import { findImage, transition } from '../repo/images.ts';
import type { ByteRange, StoredData } from '../store/file-store.ts';

type IdParams = { Params: { image_id: string } };

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function checkUploadable(a: ImageAccess, ctx: ImageCtx, req: FastifyRequest): number | undefined {
  const img = a.image;
  if (img.status !== 'queued') throw badTransition(img.status, 'saving');
  const missing = (['disk_format', 'container_format'] as const).filter((k) => !img[k]);
  if (missing.length === 1) throw badRequest(`Property ${missing[0]} must be set prior to saving data.`);
  if (missing.length > 1)
    throw badRequest(`Properties ${missing.join(', ')} must be set prior to saving data.`);
  const length = header(req, 'content-length');
  if (length !== undefined && Number(length) > ctx.sizeCap)
    throw tooLarge(`The incoming image is too large: exceeds the limit of ${ctx.sizeCap} bytes`);
  const announced = header(req, 'x-openstack-image-size');
  if (announced === undefined) return undefined;
  if (!/^\d+$/.test(announced)) throw badRequest(`Invalid value for x-openstack-image-size: ${announced}`);
  return Number(announced);
}

async function upload(ctx: ImageCtx, req: FastifyRequest<IdParams>, reply: FastifyReply) {
  const a = await loadAccess(ctx, req, req.params.image_id);
  authorizeImage(ctx.enforcer, 'upload_image', a);
  const expectedSize = checkUploadable(a, ctx, req);
  const id = a.image.id;
  if (!(await transition(ctx.db, id, ['queued'], 'saving', {}, ctx.clock.now()))) {
    const now = await findImage(ctx.db, id);
    throw now ? badTransition(now.status, 'saving') : gone(`Image ${id} could not be found after upload.`);
  }
  const body = req.body instanceof Readable ? req.body : Readable.from([]);
  let stored: StoredData | undefined;
  try {
    stored = await ctx.store.put(id, body, { sizeCap: ctx.sizeCap, expectedSize });
    const data = {
      size: stored.size,
      checksum: stored.checksum,
      os_hash_algo: HASH_ALGO,
      os_hash_value: stored.hash,
    };
    if (!(await transition(ctx.db, id, ['saving'], 'active', data, ctx.clock.now())))
      throw gone(
        `Image ${id} could not be found after upload. The image may have been deleted during the upload, ` +
          'cleaning up the chunks uploaded.',
      );
  } catch (err) {
    if (stored) await ctx.store.remove(id);
    await transition(ctx.db, id, ['saving'], 'queued', { size: null, virtual_size: null }, ctx.clock.now());
    req.log.warn({ image: id, err: (err as Error).message }, 'image upload failed; image back to queued');
    throw err;
  }
  return reply.code(204).send();
}

/** A single `bytes=` range of a `size`-byte image; undefined for a full download. */
export function parseRange(value: string | undefined, size: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) throw rangeNotSatisfiable('Requested range not satisfiable');
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) throw rangeNotSatisfiable('Requested range not satisfiable');
  return { start, end };
}

async function download(ctx: ImageCtx, req: FastifyRequest<IdParams>, reply: FastifyReply) {
  const a = await loadAccess(ctx, req, req.params.image_id);
  if (a.image.status === 'deactivated' && !a.caller.admin)
    throw new Forbidden('The requested image has been deactivated. Image data download is forbidden.');
  authorizeImage(ctx.enforcer, 'download_image', a);
  const size = ['active', 'deactivated'].includes(a.image.status)
    ? await ctx.store.sizeOf(a.image.id)
    : undefined;
  if (size === undefined) throw noImageData();
  let range: ByteRange | undefined;
  try {
    range = parseRange(header(req, 'range'), size);
  } catch (err) {
    reply.header('content-range', `bytes */${size}`);
    throw err;
  }
  reply.header('content-type', 'application/octet-stream');
  if (a.image.checksum) reply.header('content-md5', a.image.checksum);
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
    reply.header('content-length', String(range.end - range.start + 1));
  } else reply.header('content-length', String(size));
  return reply.send(ctx.store.open(a.image.id, range));
}

export function registerImageDataRoutes(app: FastifyInstance, ctx: ImageCtx): void {
  app.put<IdParams>('/v2/images/:image_id/file', (req, reply) => upload(ctx, req, reply));
  app.get<IdParams>('/v2/images/:image_id/file', (req, reply) => download(ctx, req, reply));
}
