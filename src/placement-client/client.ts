// Nova's placement client (upstream's SchedulerReportClient, HTTP part): every Nova service talks
// to placement through it, over HTTP only, so the embedded placement or an upstream one will do.
// Each call names the microversion it needs; a 401 drops the token and retries once; writes guarded
// by a provider or consumer generation re-read and retry on placement.concurrent_update.
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { fromConfGroup, type TokenSource } from '../service-auth/token-source.ts';
import { PlacementCodes, PlacementError, PlacementUnreachable, parseErrorBody } from './errors.ts';
import type {
  AllocationCandidates,
  AllocationRequest,
  AllocationsByProvider,
  ConsumerAllocations,
  InventoryRecord,
  ProviderAllocations,
  ProviderInfo,
  ProviderUpdate,
  Resources,
} from './types.ts';

/** The microversion each kind of call is made at (upstream report client's choices). */
export const MV = Object.freeze({
  PROVIDER: '1.14',
  CREATE_PROVIDER: '1.20',
  RESOURCE_CLASS: '1.7',
  INVENTORY: '1.26',
  TRAITS: '1.6',
  AGGREGATES: '1.19',
  USAGES: '1.9',
  ALLOCATIONS: '1.28',
  CANDIDATES: '1.36',
  CLAIM: '1.36',
});

export interface PlacementClientOptions {
  readonly tokens: TokenSource;
  /** [placement] endpoint_override; otherwise the catalog's placement endpoint. */
  readonly endpointOverride?: string;
  readonly serviceType?: string;
  readonly interfaces?: readonly string[];
  readonly region?: string;
  readonly fetch?: typeof fetch;
  readonly log?: Logger;
  /** Seconds to wait for an answer (default 60). */
  readonly timeout?: number;
  /** Attempts of a generation-guarded write on concurrent updates (default 4). */
  readonly conflictRetries?: number;
  /** Waits between those attempts (tests pass a no-op). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** An answer of placement: the parsed body, or the error an error status carries. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly error?: PlacementError;
}

type Json = Record<string, unknown>;
const asJson = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const CUSTOM_PREFIX = 'CUSTOM_';
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
const INVENTORY_FIELDS = [
  'total',
  'reserved',
  'min_unit',
  'max_unit',
  'step_size',
  'allocation_ratio',
] as const;

function sameInventory(
  a: Readonly<Record<string, InventoryRecord>>,
  b: Readonly<Record<string, InventoryRecord>>,
) {
  const ka = Object.keys(a);
  if (!sameSet(ka, Object.keys(b))) return false;
  return ka.every((rc) => INVENTORY_FIELDS.every((f) => Number(a[rc][f]) === Number(b[rc]?.[f])));
}

/** Allocations without the generations placement adds when it lists them. */
function plainAllocations(
  a: Readonly<Record<string, { readonly resources: Resources }>>,
): AllocationsByProvider {
  return Object.fromEntries(Object.entries(a).map(([rp, v]) => [rp, { resources: { ...v.resources } }]));
}

function sameAllocations(a: AllocationsByProvider, b: AllocationsByProvider): boolean {
  const rps = Object.keys(a);
  if (!sameSet(rps, Object.keys(b))) return false;
  return rps.every((rp) => {
    const ra = a[rp].resources;
    const rb = b[rp]?.resources ?? {};
    return sameSet(Object.keys(ra), Object.keys(rb)) && Object.keys(ra).every((rc) => ra[rc] === rb[rc]);
  });
}

const seg = encodeURIComponent;

export class PlacementClient {
  readonly #o: PlacementClientOptions;
  readonly #fetch: typeof fetch;
  readonly #retries: number;
  readonly #sleep: (ms: number) => Promise<void>;
  #base: string | undefined;
  readonly #knownClasses = new Set<string>();
  readonly #knownTraits = new Set<string>();

  constructor(opts: PlacementClientOptions) {
    this.#o = opts;
    this.#fetch = opts.fetch ?? fetch;
    this.#retries = Math.max(1, opts.conflictRetries ?? 4);
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The placement base URL (endpoint_override, else the catalog). */
  async baseUrl(): Promise<string> {
    if (this.#base) return this.#base;
    const type = this.#o.serviceType ?? 'placement';
    const url =
      this.#o.endpointOverride ??
      (await this.#o.tokens.endpoint(type, this.#o.interfaces ?? ['internal', 'public'], this.#o.region));
    if (!url)
      throw new Error(
        `No placement endpoint: set [placement] endpoint_override or give the service user a catalog ` +
          `with a "${type}" endpoint (interfaces ${(this.#o.interfaces ?? ['internal', 'public']).join(', ')}).`,
      );
    this.#base = url.replace(/\/+$/, '');
    return this.#base;
  }

  /** One request; answers of any status come back, a 401 is retried once with a fresh token. */
  async request(method: string, path: string, mv: string, body?: unknown): Promise<Answer> {
    const base = await this.baseUrl();
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        'x-auth-token': await this.#o.tokens.token(),
        'openstack-api-version': `placement ${mv}`,
        accept: 'application/json',
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      try {
        res = await this.#fetch(`${base}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout((this.#o.timeout ?? 60) * 1000),
        });
      } catch (err) {
        throw new PlacementUnreachable(method, path, base, err);
      }
      const text = await res.text();
      if (res.status === 401 && attempt === 0) {
        this.#o.tokens.invalidate();
        continue;
      }
      if (res.status >= 400) {
        const { code, detail } = parseErrorBody(text);
        const error = new PlacementError({ status: res.status, code, detail, method, path });
        return { status: res.status, body: undefined, error };
      }
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed };
    }
  }

  /** A request whose answer must have one of `ok` statuses; anything else throws PlacementError. */
  async #expect(method: string, path: string, mv: string, ok: readonly number[], body?: unknown) {
    const a = await this.request(method, path, mv, body);
    if (a.error && !ok.includes(a.status)) throw a.error;
    return a;
  }

  async #backoff(attempt: number): Promise<void> {
    await this.#sleep(Math.round(Math.random() * 20 * (attempt + 1)));
  }

  // ---- resource providers ----

  /** The provider, or undefined when placement has none with that uuid. */
  async getProvider(uuid: string): Promise<ProviderInfo | undefined> {
    const a = await this.#expect('GET', `/resource_providers/${seg(uuid)}`, MV.PROVIDER, [200, 404]);
    return a.status === 404 ? undefined : (a.body as ProviderInfo);
  }

  /** Makes sure the provider exists with this name (and parent); returns it. */
  async ensureProvider(uuid: string, name: string, parentUuid?: string): Promise<ProviderInfo> {
    const found = await this.getProvider(uuid);
    if (found) {
      const reparent = parentUuid !== undefined && found.parent_provider_uuid !== parentUuid;
      if (found.name === name && !reparent) return found;
      const a = await this.#expect('PUT', `/resource_providers/${seg(uuid)}`, MV.PROVIDER, [200], {
        name,
        ...(parentUuid !== undefined ? { parent_provider_uuid: parentUuid } : {}),
      });
      return a.body as ProviderInfo;
    }
    const created = await this.#expect('POST', '/resource_providers', MV.CREATE_PROVIDER, [200, 409], {
      uuid,
      name,
      ...(parentUuid !== undefined ? { parent_provider_uuid: parentUuid } : {}),
    });
    if (created.status === 200) return created.body as ProviderInfo;
    // Someone else created it meanwhile; another provider owning the name is a real conflict.
    const raced = await this.getProvider(uuid);
    if (raced) return raced;
    throw created.error;
  }

  /** Deletes a provider; false when there was none. Allocations against it are a PlacementError (409). */
  async deleteProvider(uuid: string): Promise<boolean> {
    const a = await this.#expect('DELETE', `/resource_providers/${seg(uuid)}`, MV.PROVIDER, [204, 404]);
    return a.status === 204;
  }

  /** Every provider in the tree of `uuid` (root first as placement lists them). */
  async getProviderTree(uuid: string): Promise<readonly ProviderInfo[]> {
    const a = await this.#expect('GET', `/resource_providers?in_tree=${seg(uuid)}`, MV.PROVIDER, [200]);
    return (asJson(a.body).resource_providers as ProviderInfo[]) ?? [];
  }

  // ---- inventory, traits, aggregates ----

  async #ensureResourceClasses(names: readonly string[]): Promise<void> {
    for (const rc of names) {
      if (!rc.startsWith(CUSTOM_PREFIX) || this.#knownClasses.has(rc)) continue;
      await this.#expect('PUT', `/resource_classes/${seg(rc)}`, MV.RESOURCE_CLASS, [201, 204]);
      this.#knownClasses.add(rc);
    }
  }

  async #getInventory(uuid: string) {
    const a = await this.#expect('GET', `/resource_providers/${seg(uuid)}/inventories`, MV.INVENTORY, [200]);
    const b = asJson(a.body);
    return {
      inventories: (b.inventories ?? {}) as Record<string, InventoryRecord>,
      generation: Number(b.resource_provider_generation),
    };
  }

  /**
   * Replaces the provider's inventory. Classes with total 0 are not reported; a class no longer
   * reported that still has allocations (placement.inventory.inuse) is kept as it is, with a warning.
   */
  async setInventory(
    uuid: string,
    inventories: Readonly<Record<string, InventoryRecord>>,
  ): Promise<ProviderUpdate> {
    const wanted: Record<string, InventoryRecord> = {};
    for (const [rc, inv] of Object.entries(inventories)) if (inv.total > 0) wanted[rc] = { ...inv };
    await this.#ensureResourceClasses(Object.keys(wanted));
    const kept = new Set<string>();
    let last: PlacementError | undefined;
    for (let attempt = 0; attempt < this.#retries; attempt++) {
      const cur = await this.#getInventory(uuid);
      const payload = { ...wanted };
      for (const rc of kept) if (cur.inventories[rc] && !payload[rc]) payload[rc] = cur.inventories[rc];
      if (sameInventory(cur.inventories, payload)) return { changed: false, generation: cur.generation };
      const a = await this.#expect(
        'PUT',
        `/resource_providers/${seg(uuid)}/inventories`,
        MV.INVENTORY,
        [409],
        {
          resource_provider_generation: cur.generation,
          inventories: payload,
        },
      );
      if (!a.error) return { changed: true, generation: Number(asJson(a.body).resource_provider_generation) };
      last = a.error;
      if (last.code === PlacementCodes.INVENTORY_INUSE) {
        const inUse = await this.#classesInUse(uuid);
        const removed = Object.keys(cur.inventories).filter((rc) => !payload[rc] && inUse.has(rc));
        if (removed.length === 0) throw last;
        this.#o.log?.warn(
          { provider: uuid, resource_classes: removed },
          'Keeping inventory that is no longer reported but still has allocations',
        );
        for (const rc of removed) kept.add(rc);
        continue;
      }
      if (!last.isConcurrentUpdate) throw last;
      await this.#backoff(attempt);
    }
    throw last as PlacementError;
  }

  async #classesInUse(uuid: string): Promise<Set<string>> {
    const a = await this.#expect('GET', `/resource_providers/${seg(uuid)}/usages`, MV.USAGES, [200]);
    const usages = (asJson(a.body).usages ?? {}) as Record<string, number>;
    return new Set(
      Object.entries(usages)
        .filter(([, n]) => n > 0)
        .map(([rc]) => rc),
    );
  }

  async #ensureTraits(traits: readonly string[]): Promise<void> {
    const unknown = traits.filter((t) => !this.#knownTraits.has(t));
    if (unknown.length === 0) return;
    const q = `/traits?name=in:${unknown.map(seg).join(',')}`;
    const a = await this.#expect('GET', q, MV.TRAITS, [200]);
    const have = new Set((asJson(a.body).traits as string[]) ?? []);
    for (const t of unknown) {
      if (!have.has(t) && t.startsWith(CUSTOM_PREFIX))
        await this.#expect('PUT', `/traits/${seg(t)}`, MV.TRAITS, [201, 204]);
      // Unknown standard traits are left for placement to refuse (400) when they are set.
      if (have.has(t) || t.startsWith(CUSTOM_PREFIX)) this.#knownTraits.add(t);
    }
  }

  /**
   * Sets the provider's traits, creating missing CUSTOM_* traits. Traits already on the provider
   * for which `keep` says true (set by someone else, e.g. an operator) stay.
   */
  async setTraits(
    uuid: string,
    traits: readonly string[],
    opts: { keep?: (trait: string) => boolean } = {},
  ): Promise<ProviderUpdate> {
    await this.#ensureTraits([...new Set(traits)]);
    let last: PlacementError | undefined;
    for (let attempt = 0; attempt < this.#retries; attempt++) {
      const a = await this.#expect('GET', `/resource_providers/${seg(uuid)}/traits`, MV.TRAITS, [200]);
      const cur = asJson(a.body);
      const current = (cur.traits as string[]) ?? [];
      const generation = Number(cur.resource_provider_generation);
      const keep = opts.keep;
      const wanted = [...new Set([...traits, ...(keep ? current.filter(keep) : [])])].sort();
      if (sameSet(current, wanted)) return { changed: false, generation };
      const put = await this.#expect('PUT', `/resource_providers/${seg(uuid)}/traits`, MV.TRAITS, [409], {
        traits: wanted,
        resource_provider_generation: generation,
      });
      if (!put.error)
        return { changed: true, generation: Number(asJson(put.body).resource_provider_generation) };
      last = put.error;
      // Before 1.23 errors carry no code; a generation mismatch is the only 409 here.
      if (last.status !== 409) throw last;
      await this.#backoff(attempt);
    }
    throw last as PlacementError;
  }

  /** The provider's traits. */
  async getTraits(uuid: string): Promise<readonly string[]> {
    const a = await this.#expect('GET', `/resource_providers/${seg(uuid)}/traits`, MV.TRAITS, [200]);
    return (asJson(a.body).traits as string[]) ?? [];
  }

  /** Sets the provider's aggregates (placement aggregate uuids). */
  async setAggregates(uuid: string, aggregateUuids: readonly string[]): Promise<ProviderUpdate> {
    const path = `/resource_providers/${seg(uuid)}/aggregates`;
    const wanted = [...new Set(aggregateUuids)].sort();
    let last: PlacementError | undefined;
    for (let attempt = 0; attempt < this.#retries; attempt++) {
      const cur = asJson((await this.#expect('GET', path, MV.AGGREGATES, [200])).body);
      const generation = Number(cur.resource_provider_generation);
      if (sameSet((cur.aggregates as string[]) ?? [], wanted)) return { changed: false, generation };
      const put = await this.#expect('PUT', path, MV.AGGREGATES, [409], {
        aggregates: wanted,
        resource_provider_generation: generation,
      });
      if (!put.error)
        return { changed: true, generation: Number(asJson(put.body).resource_provider_generation) };
      last = put.error;
      // Before 1.23 errors carry no code; a generation mismatch is the only 409 here.
      if (last.status !== 409) throw last;
      await this.#backoff(attempt);
    }
    throw last as PlacementError;
  }

  // ---- allocation candidates and allocations ----

  /** GET /allocation_candidates with a query from candidatesQuery(). */
  async getAllocationCandidates(
    query: URLSearchParams | string,
    mv = MV.CANDIDATES,
  ): Promise<AllocationCandidates> {
    const a = await this.#expect('GET', `/allocation_candidates?${String(query)}`, mv, [200]);
    const b = asJson(a.body);
    return {
      allocation_requests: (b.allocation_requests ?? []) as AllocationCandidates['allocation_requests'],
      provider_summaries: (b.provider_summaries ?? {}) as AllocationCandidates['provider_summaries'],
    };
  }

  /** The consumer's allocations; an unknown consumer has none and generation null. */
  async getAllocations(consumerUuid: string): Promise<ConsumerAllocations> {
    const a = await this.#expect('GET', `/allocations/${seg(consumerUuid)}`, MV.ALLOCATIONS, [200]);
    const b = asJson(a.body);
    return {
      allocations: (b.allocations ?? {}) as ConsumerAllocations['allocations'],
      consumer_generation: typeof b.consumer_generation === 'number' ? b.consumer_generation : null,
      ...(typeof b.project_id === 'string' ? { project_id: b.project_id } : {}),
      ...(typeof b.user_id === 'string' ? { user_id: b.user_id } : {}),
    };
  }

  /**
   * Claims an allocation request for a consumer. True when claimed; false when the resources are
   * gone (placement: "Unable to allocate …") or provider races outlast the retries. A consumer
   * changed by someone else since `consumerGeneration` throws, unless it already holds exactly
   * this claim (a repeated request).
   */
  async claimResources(
    consumerUuid: string,
    allocationRequest: AllocationRequest,
    projectId: string,
    userId: string,
    consumerGeneration: number | null,
  ): Promise<boolean> {
    const allocations = plainAllocations(allocationRequest.allocations);
    const body = {
      allocations,
      ...(allocationRequest.mappings ? { mappings: allocationRequest.mappings } : {}),
      project_id: projectId,
      user_id: userId,
      consumer_generation: consumerGeneration,
    };
    const path = `/allocations/${seg(consumerUuid)}`;
    for (let attempt = 0; attempt < this.#retries; attempt++) {
      const a = await this.#expect('PUT', path, MV.CLAIM, [409], body);
      if (!a.error) return true;
      const err = a.error;
      if (err.isInsufficientResources) return false;
      if (err.isConsumerConflict) {
        const now = await this.getAllocations(consumerUuid);
        if (sameAllocations(plainAllocations(now.allocations), allocations)) return true;
        throw err;
      }
      if (!err.isConcurrentUpdate) throw err;
      await this.#backoff(attempt);
    }
    this.#o.log?.warn({ consumer: consumerUuid }, 'Giving up a claim after repeated placement conflicts');
    return false;
  }

  /**
   * Replaces a consumer's allocations (heal, or a known final state), whatever it holds now: the
   * consumer generation is read, and read again when it moves. False when capacity is lacking.
   */
  async putAllocations(
    consumerUuid: string,
    allocations: AllocationsByProvider,
    projectId: string,
    userId: string,
  ): Promise<boolean> {
    const path = `/allocations/${seg(consumerUuid)}`;
    let last: PlacementError | undefined;
    for (let attempt = 0; attempt < this.#retries; attempt++) {
      const cur = await this.getAllocations(consumerUuid);
      const a = await this.#expect('PUT', path, MV.ALLOCATIONS, [409], {
        allocations: plainAllocations(allocations),
        project_id: projectId,
        user_id: userId,
        consumer_generation: cur.consumer_generation,
      });
      if (!a.error) return true;
      last = a.error;
      if (last.isInsufficientResources) return false;
      if (!last.isConcurrentUpdate) throw last;
      await this.#backoff(attempt);
    }
    throw last as PlacementError;
  }

  /** Removes every allocation of the consumer; false when it had none. */
  async deleteAllocations(consumerUuid: string): Promise<boolean> {
    const a = await this.#expect('DELETE', `/allocations/${seg(consumerUuid)}`, MV.ALLOCATIONS, [204, 404]);
    return a.status === 204;
  }

  /**
   * Moves what `fromConsumer` holds to `toConsumer` in one POST /allocations (migrations: the
   * instance's source allocations go to the migration record). True when moved or already moved
   * (source empty, target not); false when neither holds anything. A consumer changed meanwhile throws.
   */
  async moveAllocations(fromConsumer: string, toConsumer: string): Promise<boolean> {
    let last: PlacementError | undefined;
    for (let attempt = 0; attempt < this.#retries; attempt++) {
      const src = await this.getAllocations(fromConsumer);
      const dst = await this.getAllocations(toConsumer);
      if (Object.keys(src.allocations).length === 0) return Object.keys(dst.allocations).length > 0;
      const owner = { project_id: src.project_id, user_id: src.user_id };
      const a = await this.#expect('POST', '/allocations', MV.ALLOCATIONS, [409], {
        [fromConsumer]: { allocations: {}, ...owner, consumer_generation: src.consumer_generation },
        [toConsumer]: {
          allocations: plainAllocations(src.allocations),
          ...owner,
          consumer_generation: dst.consumer_generation,
        },
      });
      if (!a.error) return true;
      last = a.error;
      if (!last.isConcurrentUpdate || last.isConsumerConflict) throw last;
      await this.#backoff(attempt);
    }
    throw last as PlacementError;
  }

  /** GET /resource_providers/{uuid}/allocations: every consumer's allocations on the provider. */
  async listAllocationsForProvider(rpUuid: string): Promise<ProviderAllocations> {
    const a = await this.#expect(
      'GET',
      `/resource_providers/${seg(rpUuid)}/allocations`,
      MV.ALLOCATIONS,
      [200],
    );
    return a.body as ProviderAllocations;
  }

  /** Usage of a project (and user) by resource class. */
  async usages(projectId: string, userId?: string): Promise<Resources> {
    const q = new URLSearchParams({ project_id: projectId, ...(userId ? { user_id: userId } : {}) });
    const a = await this.#expect('GET', `/usages?${q}`, MV.USAGES, [200]);
    return (asJson(a.body).usages ?? {}) as Resources;
  }
}

/** The client [placement] describes: its auth plugin, endpoint_override or catalog lookup, timeout. */
export function placementClientFromConf(
  conf: NovaConf,
  deps: { fetch?: typeof fetch; log?: Logger; clock?: Clock } = {},
): PlacementClient {
  const p = conf.placement;
  return new PlacementClient({
    tokens: fromConfGroup(conf, 'placement', { fetch: deps.fetch, clock: deps.clock ?? systemClock }),
    endpointOverride: p.endpoint_override,
    serviceType: p.service_type,
    interfaces: p.valid_interfaces,
    region: p.region_name,
    timeout: p.timeout,
    fetch: deps.fetch,
    log: deps.log,
  });
}
