// The metadata service (nova-api's `metadata` API, [DEFAULT] metadata_listen:metadata_listen_port,
// 8775): guests reach it at 169.254.169.254 through a proxy. `/` lists the EC2 versions to anyone;
// every other path first finds the instance that asks (requester.ts), then serves its OpenStack or
// EC2 tree (paths.ts). Instances are cached [api] metadata_cache_expiration seconds, as upstream.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHttpApp, listen } from '../api/http.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { extractPassword, PASSWORD_CHUNK_LENGTH, PASSWORD_CHUNKS } from '../compute-api/server-password.ts';
import type { NovaConf } from '../config/index.ts';
import type { ConfigDriveData } from './content.ts';
import { instanceData, staticVendorData } from './instance-data.ts';
import type { Found, InstanceSource } from './lookup.ts';
import { isRoot, resolvePath, rootListing, TEXT } from './paths.ts';
import { type Headers, identify, MetadataRequestError, type Requester } from './requester.ts';

export interface MetadataDeps {
  readonly conf: NovaConf;
  readonly log: Logger;
  readonly source: InstanceSource;
  readonly clock?: Clock;
}

const STATUS_TEXT: Readonly<Record<number, [string, string]>> = {
  400: [
    'Bad Request',
    'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  ],
  403: ['Forbidden', 'Access was denied to this resource.'],
  404: ['Not Found', 'The resource could not be found.'],
  409: ['Conflict', 'There was a conflict when trying to complete your request.'],
  500: [
    'Internal Server Error',
    'The server has either erred or is incapable of performing the requested operation.',
  ],
};

/** An error page in webob's plain-text form: status line, explanation. */
function sendError(reply: FastifyReply, status: number, explanation?: string) {
  const [title, standard] = STATUS_TEXT[status] ?? STATUS_TEXT[500] ?? ['', ''];
  return reply
    .code(status)
    .type(`${TEXT}; charset=UTF-8`)
    .send(`${status} ${title}\n\n${explanation ?? standard}\n\n   `);
}

interface Entry {
  readonly found: Found;
  readonly data: ConfigDriveData;
  readonly expires: number;
}

/** Instances recently served, by `metadata-<address>` or `metadata-<uuid>` (upstream's keys). */
function instanceCache(clock: Clock, ttlSeconds: number) {
  const entries = new Map<string, Entry>();
  return {
    get(key: string): Entry | undefined {
      const e = entries.get(key);
      if (e && e.expires > clock.now().getTime()) return e;
      entries.delete(key);
      return undefined;
    },
    set(key: string, found: Found, data: ConfigDriveData) {
      if (ttlSeconds <= 0) return;
      const now = clock.now().getTime();
      for (const [k, e] of entries) if (e.expires <= now) entries.delete(k);
      entries.set(key, { found, data, expires: now + ttlSeconds * 1000 });
    },
    forget(uuid: string) {
      for (const [k, e] of entries) if (e.found.instance.uuid === uuid) entries.delete(k);
    },
  };
}

/** Request headers with repeats kept apart (Node joins repeated custom headers with commas). */
function distinctHeaders(req: FastifyRequest): Headers {
  if (req.raw.headersDistinct) return req.raw.headersDistinct;
  const out: Record<string, string[]> = {};
  const raw = req.raw.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    out[name] = [...(out[name] ?? []), String(raw[i + 1])];
  }
  return out;
}

export function createMetadataApp(deps: MetadataDeps): FastifyInstance {
  const { conf, log, source } = deps;
  const clock = deps.clock ?? systemClock;
  const cache = instanceCache(clock, conf.api.metadata_cache_expiration);
  const app = createHttpApp({ log });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  if (conf.neutron.service_metadata_proxy && !conf.neutron.metadata_proxy_shared_secret)
    log.warn('metadata_proxy_shared_secret is not configured: the proxied requests cannot be trusted');

  async function load(who: Requester): Promise<Entry | undefined> {
    const key = `metadata-${who.kind === 'instance' ? who.uuid : who.address}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const found =
      who.kind === 'instance' ? await source.byUuid(who.uuid) : await source.byAddress(who.address);
    if (!found) return undefined;
    const data = instanceData({
      instance: found.instance,
      conf,
      securityGroups: await source.securityGroups(found),
      availabilityZone: await source.availabilityZone(found),
      address: who.address,
      vendorData: await staticVendorData(conf, log),
    });
    cache.set(key, found, data);
    return { found, data, expires: 0 };
  }

  async function password(req: FastifyRequest, reply: FastifyReply, e: Entry) {
    const current = extractPassword(e.found.instance.system_metadata);
    if (req.method === 'GET' || req.method === 'HEAD') return reply.type(TEXT).send(current ?? '');
    if (req.method !== 'POST') return sendError(reply, 400, 'GET and POST only are supported.');
    if (current) return sendError(reply, 409);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (body.length > PASSWORD_CHUNKS * PASSWORD_CHUNK_LENGTH)
      return sendError(reply, 400, 'Request is too large.');
    await source.savePassword(e.found, body.toString('utf8'));
    cache.forget(e.found.instance.uuid);
    return reply.type(TEXT).send('');
  }

  app.all('/*', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (isRoot(path)) return reply.type(`${TEXT}; charset=UTF-8`).send(rootListing());
    let who: Requester;
    try {
      who = identify(
        {
          serviceMetadataProxy: conf.neutron.service_metadata_proxy,
          sharedSecret: conf.neutron.metadata_proxy_shared_secret ?? '',
          useForwardedFor: conf.api.use_forwarded_for,
        },
        distinctHeaders(req),
        req.socket.remoteAddress ?? '',
      );
    } catch (err) {
      if (!(err instanceof MetadataRequestError)) throw err;
      log.warn({ path, status: err.status }, `metadata request refused: ${err.message}`);
      return sendError(reply, err.status, err.message);
    }
    if (who.kind === 'address' && req.headers['x-instance-id'])
      log.warn(
        'X-Instance-ID present in request headers: [neutron] service_metadata_proxy must be true to use it',
      );
    let e: Entry | undefined;
    try {
      e = await load(who);
    } catch (err) {
      log.error({ err, who }, 'failed to get metadata');
      return sendError(reply, 500, 'An unknown error has occurred. Please try your request again.');
    }
    if (e && who.kind === 'instance' && e.found.instance.project_id !== who.tenant) {
      log.warn({ tenant: who.tenant, instance: who.uuid }, 'X-Tenant-ID does not match the instance project');
      e = undefined;
    }
    if (!e) {
      log.error({ who }, 'failed to get metadata: no such instance');
      return sendError(reply, 404);
    }
    const r = resolvePath(e.data, path, {
      staticVendorData: conf.api.vendordata_providers.includes('StaticJSON'),
      today: clock.now(),
    });
    if (r.kind === 'not-found') return sendError(reply, 404);
    if (r.kind === 'password') return password(req, reply, e);
    return reply.type(r.type === TEXT ? `${TEXT}; charset=UTF-8` : r.type).send(r.body);
  });
  return app;
}

export interface RunningMetadataApi {
  readonly url: string;
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

/** Serves the metadata API on [DEFAULT] metadata_listen:metadata_listen_port. */
export async function startMetadataApi(deps: MetadataDeps): Promise<RunningMetadataApi> {
  const app = createMetadataApp(deps);
  const d = deps.conf.DEFAULT;
  try {
    const url = await listen(app, d.metadata_listen, d.metadata_listen_port, 'the metadata API');
    deps.log.info({ url }, 'metadata API listening');
    return { url, app, stop: () => app.close() };
  } catch (err) {
    await app.close();
    throw err;
  }
}
