// Nova's image client (what nova/image/glance.py does): show, list, create, update, upload,
// download (verified against the image's hash) and delete over the Glance v2 API, against the
// embedded image service or any Glance. Data streams both ways; nothing is held whole in memory.
import { Readable } from 'node:stream';
import { ImageNotAuthorized, ImageNotFound, ImageServiceError } from './errors.ts';
import { expectedHash, VerifyingStream } from './verify.ts';

/** Core attributes Glance returns for every image; everything else is a free-form property. */
const CORE = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'size',
  'virtual_size',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'min_disk',
  'min_ram',
  'owner',
  'protected',
  'os_hidden',
  'disk_format',
  'container_format',
  'created_at',
  'updated_at',
  'tags',
  'self',
  'file',
  'schema',
  'direct_url',
  'locations',
  'stores',
]);

export interface ImageInfo {
  readonly id: string;
  readonly name: string | null;
  readonly status: string;
  readonly visibility: string;
  readonly size: number | null;
  readonly virtual_size: number | null;
  readonly checksum: string | null;
  readonly os_hash_algo: string | null;
  readonly os_hash_value: string | null;
  readonly min_disk: number;
  readonly min_ram: number;
  readonly owner: string | null;
  readonly protected: boolean;
  readonly disk_format: string | null;
  readonly container_format: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly tags: readonly string[];
  /** Free-form properties (hw_*, kernel_id, ramdisk_id, os_distro, …). */
  readonly properties: Readonly<Record<string, string>>;
}

export interface ImageClientOptions {
  /** Image API base URLs (with or without /v2), tried in turn when one does not answer. */
  readonly endpoints: readonly string[];
  /** The caller's or a service token (X-Auth-Token). */
  readonly token: string | (() => string | Promise<string>);
  /** Extra attempts of idempotent requests on connection errors ([glance] num_retries). */
  readonly retries?: number;
  readonly fetch?: typeof fetch;
}

export interface Download {
  /** The image's bytes; errors with ImageHashMismatch at the end when they do not match. */
  readonly stream: Readable;
  readonly size: number | undefined;
  readonly image: ImageInfo;
}

export function toImageInfo(body: Record<string, unknown>): ImageInfo {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (!CORE.has(k) && typeof v === 'string') properties[k] = v;
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : null);
  const num = (k: string) => (typeof body[k] === 'number' ? (body[k] as number) : null);
  return Object.freeze({
    id: String(body.id),
    name: str('name'),
    status: String(body.status),
    visibility: String(body.visibility),
    size: num('size'),
    virtual_size: num('virtual_size'),
    checksum: str('checksum'),
    os_hash_algo: str('os_hash_algo'),
    os_hash_value: str('os_hash_value'),
    min_disk: num('min_disk') ?? 0,
    min_ram: num('min_ram') ?? 0,
    owner: str('owner'),
    protected: body.protected === true,
    disk_format: str('disk_format'),
    container_format: str('container_format'),
    created_at: String(body.created_at),
    updated_at: String(body.updated_at),
    tags: Object.freeze(Array.isArray(body.tags) ? body.tags.map(String) : []),
    properties: Object.freeze(properties),
  });
}

const base = (endpoint: string) => endpoint.replace(/\/+$/, '').replace(/\/v2$/, '');

interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | ReadableStream;
  readonly idempotent?: boolean;
  /** The image the request is about, for ImageNotFound/ImageNotAuthorized. */
  readonly imageId?: string;
}

export class ImageClient {
  readonly #opts: ImageClientOptions;
  #next = 0;

  constructor(opts: ImageClientOptions) {
    if (opts.endpoints.length === 0) throw new ImageServiceError('No image service endpoint configured.');
    this.#opts = opts;
  }

  async #token(): Promise<string> {
    const t = this.#opts.token;
    return typeof t === 'string' ? t : await t();
  }

  /** One request, rotating endpoints on connection errors for idempotent ones. */
  async #request(path: string, o: RequestOptions = {}): Promise<Response> {
    const eps = this.#opts.endpoints;
    const attempts = o.idempotent === false ? 1 : 1 + (this.#opts.retries ?? 0);
    const doFetch = this.#opts.fetch ?? fetch;
    let lastErr: unknown;
    for (let i = 0; i < attempts; i++) {
      const ep = eps[this.#next++ % eps.length];
      try {
        const res = await doFetch(`${base(ep)}${path}`, {
          method: o.method ?? 'GET',
          headers: { 'x-auth-token': await this.#token(), accept: 'application/json', ...o.headers },
          body: o.body,
          ...(o.body instanceof ReadableStream ? { duplex: 'half' } : {}),
        } as RequestInit);
        if (res.ok) return res;
        throw await this.#fault(res, o.imageId);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err; // an HTTP answer: no retry
        lastErr = err;
      }
    }
    throw new ImageServiceError(`The image service at ${eps.join(', ')} did not answer: ${String(lastErr)}`);
  }

  async #fault(res: Response, imageId: string | undefined): Promise<Error> {
    const text = await res.text().catch(() => '');
    if (imageId && res.status === 404) return new ImageNotFound(imageId);
    if (imageId && res.status === 403) return new ImageNotAuthorized(imageId);
    let detail = text;
    try {
      detail = String(JSON.parse(text).message ?? text)
        .replace(/<br \/>/g, ' ')
        .trim();
    } catch {}
    return new ImageServiceError(`Image service answered ${res.status}: ${detail}`, res.status);
  }

  async show(id: string): Promise<ImageInfo> {
    const res = await this.#request(`/v2/images/${encodeURIComponent(id)}`, { imageId: id });
    return toImageInfo((await res.json()) as Record<string, unknown>);
  }

  /** Every image matching the filters (Glance query parameters), following `next` links. */
  async list(filters: Readonly<Record<string, string | readonly string[]>> = {}): Promise<ImageInfo[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters))
      for (const one of typeof v === 'string' ? [v] : v) q.append(k, one);
    let path: string | undefined = `/v2/images${q.size > 0 ? `?${q}` : ''}`;
    const out: ImageInfo[] = [];
    while (path) {
      const body = (await (await this.#request(path)).json()) as {
        images: Record<string, unknown>[];
        next?: string;
      };
      out.push(...body.images.map(toImageInfo));
      path = body.next;
    }
    return out;
  }

  /** POST /v2/images: core attributes and string properties in one object. */
  async create(meta: Readonly<Record<string, unknown>>): Promise<ImageInfo> {
    const res = await this.#request('/v2/images', {
      method: 'POST',
      idempotent: false,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(meta),
    });
    return toImageInfo((await res.json()) as Record<string, unknown>);
  }

  /** PATCH: sets (adds or replaces) and removes attributes/properties. */
  async update(
    id: string,
    changes: { readonly set?: Readonly<Record<string, unknown>>; readonly remove?: readonly string[] },
  ): Promise<ImageInfo> {
    const ops = [
      ...Object.entries(changes.set ?? {}).map(([k, value]) => ({ op: 'add', path: `/${k}`, value })),
      ...(changes.remove ?? []).map((k) => ({ op: 'remove', path: `/${k}` })),
    ];
    const res = await this.#request(`/v2/images/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      idempotent: false,
      imageId: id,
      headers: { 'content-type': 'application/openstack-images-v2.1-json-patch' },
      body: JSON.stringify(ops),
    });
    return toImageInfo((await res.json()) as Record<string, unknown>);
  }

  /** PUT /v2/images/{id}/file from a stream (queued → active). */
  async upload(id: string, data: Readable, size?: number): Promise<void> {
    await this.#request(`/v2/images/${encodeURIComponent(id)}/file`, {
      method: 'PUT',
      idempotent: false,
      imageId: id,
      headers: {
        'content-type': 'application/octet-stream',
        ...(size !== undefined
          ? { 'content-length': String(size), 'x-openstack-image-size': String(size) }
          : {}),
      },
      body: Readable.toWeb(data) as ReadableStream,
    });
  }

  /** The image's data as a stream that checks os_hash_value (or checksum) at its end. */
  async download(id: string): Promise<Download> {
    const image = await this.show(id);
    const res = await this.#request(`/v2/images/${encodeURIComponent(id)}/file`, { imageId: id });
    if (res.status === 204 || !res.body) throw new ImageServiceError(`Image ${id} has no data.`, 404);
    const length = res.headers.get('content-length');
    const raw = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
    const expected = expectedHash(image);
    const stream = expected ? raw.pipe(new VerifyingStream(id, expected)) : raw;
    if (expected) raw.on('error', (err) => stream.destroy(err));
    return { stream, size: length === null ? undefined : Number(length), image };
  }

  async delete(id: string): Promise<void> {
    await this.#request(`/v2/images/${encodeURIComponent(id)}`, { method: 'DELETE', imageId: id });
  }
}
