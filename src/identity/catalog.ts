// The service catalog a scoped token carries: enabled services with their enabled endpoints, URLs
// formatted for the token (Keystone substitutes $(project_id)s / %(tenant_id)s …; an endpoint whose
// URL needs a value the token lacks is left out).
import type { GenCache, IdentityCore } from './core.ts';
import * as catalog from './store/catalog.ts';

export interface CatalogEndpoint {
  readonly id: string;
  readonly interface: string;
  readonly region: string | null;
  readonly region_id: string | null;
  readonly url: string;
}

export interface CatalogEntry {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

interface RawCatalog {
  readonly services: readonly catalog.Service[];
  readonly endpoints: readonly catalog.Endpoint[];
}

const PLACEHOLDER = /[$%]\((\w+)\)s/g;

export function formatUrl(
  url: string,
  values: Readonly<Record<string, string | undefined>>,
): string | undefined {
  let missing = false;
  const out = url.replace(PLACEHOLDER, (_, key: string) => {
    const v = values[key];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}

export class CatalogSource {
  readonly #core: IdentityCore;
  readonly #cache: GenCache<RawCatalog>;
  constructor(core: IdentityCore, cache: GenCache<RawCatalog>) {
    this.#core = core;
    this.#cache = cache;
  }

  async #raw(): Promise<RawCatalog> {
    const hit = this.#cache.get('catalog');
    if (hit) return hit;
    const raw = {
      services: await catalog.listServices(this.#core.db),
      endpoints: await catalog.listEndpoints(this.#core.db, { enabled: true }),
    };
    this.#cache.set('catalog', raw);
    return raw;
  }

  /** The catalog for a token of this user and project (project undefined: domain/system scope). */
  async forToken(userId: string, projectId?: string): Promise<readonly CatalogEntry[]> {
    const { services, endpoints } = await this.#raw();
    const values = { user_id: userId, project_id: projectId, tenant_id: projectId };
    return services
      .filter((s) => s.enabled)
      .map((s) => ({
        id: s.id,
        type: s.type,
        name: s.name ?? '',
        endpoints: endpoints
          .filter((e) => e.service_id === s.id)
          .flatMap((e) => {
            const url = formatUrl(e.url, values);
            return url === undefined
              ? []
              : [{ id: e.id, interface: e.interface, region: e.region_id, region_id: e.region_id, url }];
          }),
      }));
  }
}
