// Links in responses (upstream's ViewBuilder): self = <endpoint>/v2.1[/<project>]/<collection>/<id>,
// bookmark = the same without the version, and the `next` link of paged collections.
import type { FastifyRequest } from 'fastify';

export interface Links {
  /** [{rel: self}, {rel: bookmark}] for an item. */
  item(collection: string, id: string | number): { rel: string; href: string }[];
  /** [{rel: next}] when the page is full (limit reached), else []. */
  collection(
    collection: string,
    items: readonly unknown[],
    lastId: () => string | number,
    limit: number,
  ): { rel: string; href: string }[];
  /** Base URL with the version, e.g. http://host:8774/v2.1 */
  readonly versioned: string;
}

export interface LinkOptions {
  /** [api] compute_link_prefix: replaces scheme, host (and prefixes the path). */
  readonly prefix?: string;
  /** The project in the request URL, when the client used the /{project_id} form. */
  readonly project?: string;
}

function origin(req: FastifyRequest, prefix: string | undefined): string {
  if (prefix) return prefix.replace(/\/+$/, '');
  const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

export function createLinks(req: FastifyRequest, opts: LinkOptions): Links {
  const base = origin(req, opts.prefix);
  const versioned = `${base}/v2.1`;
  const project = opts.project ?? '';
  return {
    versioned,
    item(collection, id) {
      return [
        { rel: 'self', href: join(versioned, project, collection, String(id)) },
        { rel: 'bookmark', href: join(base, project, collection, String(id)) },
      ];
    },
    collection(collection, items, lastId, limit) {
      if (!limit || items.length !== limit) return [];
      const params = new URLSearchParams(new URL(req.url, 'http://x').search);
      const sorted = [...params.entries()]
        .filter(([k]) => k !== 'marker')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const next = new URLSearchParams([...new Map(sorted).entries(), ['marker', String(lastId())]]);
      return [{ rel: 'next', href: `${join(versioned, project, collection)}?${next.toString()}` }];
    },
  };
}
