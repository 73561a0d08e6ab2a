// What every image route needs, built once per app from the injected dependencies.
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { Enforcer } from '../policy/types.ts';
import { type Caller, callerOf, canSee, type ImageAccess } from './access.ts';
import { imageNotFound } from './faults.ts';
import type { Db } from './repo/images.ts';
import { findImage } from './repo/images.ts';
import { findMember } from './repo/members.ts';
import type { FileStore } from './store/file-store.ts';

export interface ImageCtx {
  readonly db: Db;
  readonly store: FileStore;
  readonly enforcer: Enforcer;
  readonly clock: Clock;
  readonly log: Logger;
  /** [image] image_size_cap. */
  readonly sizeCap: number;
}

export const callerOfRequest = (ctx: ImageCtx, req: FastifyRequest): Caller =>
  callerOf(req.auth, ctx.enforcer);

/** The image the caller may see, with the caller's membership of it; 404 otherwise. */
export async function loadAccess(ctx: ImageCtx, req: FastifyRequest, id: string): Promise<ImageAccess> {
  const caller = callerOfRequest(ctx, req);
  const image = await findImage(ctx.db, id);
  if (!image) throw imageNotFound(id);
  const membership = caller.project ? await findMember(ctx.db, id, caller.project) : undefined;
  if (!canSee(image, caller, membership)) throw imageNotFound(id);
  return { image, caller, membership };
}
