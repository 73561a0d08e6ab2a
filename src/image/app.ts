// The embedded image service (a Glance v2 subset): createImageApp for in-process use and tests,
// startImageApi to serve it on [image] listen:port. Dependencies are passed in; the database and
// file store are opened from [image] connection / filesystem_store_datadir when not given.
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createHttpApp, listen } from '../api/http.ts';
import { registerAuthHook } from '../auth/hook.ts';
import type { TokenValidator } from '../auth/types.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { connectDatabase, type Database } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { ImageDb } from '../db/tables/image-db.ts';
import { toDbTime } from '../db/time.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import type { Enforcer } from '../policy/types.ts';
import type { ImageCtx } from './context.ts';
import { PATCH_TYPES, registerErrorHandlers } from './errors.ts';
import { badRequest } from './faults.ts';
import { IMAGE_POLICY_DEFAULTS } from './policy.ts';
import { registerActionRoutes } from './routes/actions.ts';
import { registerDiscoveryRoutes } from './routes/discovery.ts';
import { registerImageDataRoutes } from './routes/image-data.ts';
import { registerImagePatchRoute } from './routes/image-patch.ts';
import { registerImageRoutes } from './routes/images.ts';
import { registerMemberRoutes } from './routes/members.ts';
import { registerTagRoutes } from './routes/tags.ts';
import { type FileStore, openFileStore } from './store/file-store.ts';
import { PUBLIC_PATHS, registerVersionRoutes } from './versions.ts';

export interface ImageBackends {
  readonly db: Database<ImageDb>;
  readonly store: FileStore;
}

export interface ImageDeps extends ImageBackends {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly enforcer: Enforcer;
  readonly validator: TokenValidator;
  readonly clock?: Clock;
}

/** The image service's enforcer: Glance's rule defaults, [oslo_policy] overrides and flags. */
export function createImageEnforcer(
  conf: NovaConf,
  log?: Logger,
  configFiles: readonly string[] = [],
): Enforcer {
  return enforcerFromConf(conf, IMAGE_POLICY_DEFAULTS, configFiles, log);
}

function parseJsonBody(_req: unknown, text: string | Buffer): unknown {
  const s = String(text);
  if (s.trim() === '') return undefined;
  try {
    return JSON.parse(s);
  } catch {
    throw badRequest('Malformed JSON in request body.');
  }
}

export function createImageApp(deps: ImageDeps): FastifyInstance {
  const app = createHttpApp({ log: deps.log });
  registerErrorHandlers(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', ...PATCH_TYPES], { parseAs: 'string' }, (req, body, done) => {
    try {
      done(null, parseJsonBody(req, body));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  // Image data is never parsed: the handler gets the request stream.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) =>
    done(null, payload as Readable),
  );
  const conf = deps.conf.image;
  registerAuthHook(app, {
    validator: deps.validator,
    wwwAuthenticateUri: deps.conf.keystone_authtoken.www_authenticate_uri ?? '',
    isPublic: (req) => PUBLIC_PATHS.has(req.url.split('?')[0]),
  });
  const ctx: ImageCtx = {
    db: deps.db,
    store: deps.store,
    enforcer: deps.enforcer,
    clock: deps.clock ?? systemClock,
    log: deps.log,
    sizeCap: conf.image_size_cap,
  };
  registerVersionRoutes(app, conf.public_endpoint);
  registerImageRoutes(app, ctx);
  registerImagePatchRoute(app, ctx);
  registerImageDataRoutes(app, ctx);
  registerTagRoutes(app, ctx);
  registerMemberRoutes(app, ctx);
  registerActionRoutes(app, ctx);
  registerDiscoveryRoutes(app, ctx);
  return app;
}

/**
 * Opens [image] connection (migrated) and the file store. Uploads a crash interrupted (images left
 * in 'saving') go back to 'queued', as Glance's restore after a failed upload.
 */
export async function openImageBackends(conf: NovaConf, log: Logger, clock: Clock = systemClock) {
  const db = await connectDatabase<ImageDb>(conf.image.connection, { log, option: '[image] connection' });
  try {
    await migrateToLatest(db, 'image');
    const store = await openFileStore(conf.image.filesystem_store_datadir);
    const ts = toDbTime(clock.now());
    await db.kysely
      .updateTable('images')
      .set({ status: 'queued', size: null, updated_at: ts })
      .where('status', '=', 'saving')
      .execute();
    return { db, store };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export interface RunningImageApi {
  readonly url: string;
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

export type StartImageDeps = Omit<ImageDeps, 'db' | 'store' | 'enforcer'> &
  Partial<ImageBackends> & {
    readonly enforcer?: Enforcer;
  };

/** Serves the image API on [image] listen:port; opens what deps lack and closes it on stop(). */
export async function startImageApi(deps: StartImageDeps): Promise<RunningImageApi> {
  const own = deps.db && deps.store ? undefined : await openImageBackends(deps.conf, deps.log, deps.clock);
  const backends = { db: deps.db ?? own?.db, store: deps.store ?? own?.store } as ImageBackends;
  const enforcer = deps.enforcer ?? createImageEnforcer(deps.conf, deps.log);
  const app = createImageApp({ ...deps, ...backends, enforcer });
  try {
    const url = await listen(app, deps.conf.image.listen, deps.conf.image.port, 'the image API');
    deps.log.info({ url }, 'image API listening');
    return {
      url,
      app,
      async stop() {
        await app.close();
        if (own) await own.db.close();
      },
    };
  } catch (err) {
    await app.close();
    if (own) await own.db.close();
    throw err;
  }
}
