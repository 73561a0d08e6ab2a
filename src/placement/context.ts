// What a placement handler receives (the request, already negotiated and authenticated) and what
// it returns. Handlers are plain async functions of a RequestContext; router.ts does the HTTP.
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthContext } from '../auth/types.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { DbHandle } from '../db/connect.ts';
import type { PlacementDb } from '../db/tables/placement-db.ts';
import type { Enforcer, PolicyTarget } from '../policy/types.ts';
import type { Microversion } from './microversion.ts';

export type PlacementDbHandle = DbHandle<PlacementDb>;

/** Settings upstream reads from placement.conf [placement]. */
export interface PlacementSettings {
  /** Project/user recorded for allocations written before 1.8 (no project_id/user_id). */
  readonly incompleteConsumerProjectId: string;
  readonly incompleteConsumerUserId: string;
  /** Retries of an allocation write that lost a provider generation race. */
  readonly allocationConflictRetryCount: number;
  /** Upper bound of allocation candidates computed before limit (-1: none). */
  readonly maxAllocationCandidates: number;
}

export const DEFAULT_SETTINGS: PlacementSettings = Object.freeze({
  incompleteConsumerProjectId: '00000000-0000-0000-0000-000000000000',
  incompleteConsumerUserId: '00000000-0000-0000-0000-000000000000',
  allocationConflictRetryCount: 10,
  maxAllocationCandidates: -1,
});

export interface HandlerDeps {
  readonly db: PlacementDbHandle;
  readonly enforcer: Enforcer;
  readonly log: Logger;
  readonly clock: Clock;
  readonly settings: PlacementSettings;
}

/** Query parameters with every value of repeated keys (webob's MultiDict). */
export interface QueryParams {
  has(key: string): boolean;
  /** The last value (what upstream's schema checks see). */
  get(key: string): string | undefined;
  getAll(key: string): readonly string[];
  keys(): readonly string[];
  /** Each key with its last value. */
  last(): Readonly<Record<string, string>>;
}

export interface RequestContext {
  readonly mv: Microversion;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string | undefined;
  readonly auth: AuthContext;
  readonly requestId: string;
  readonly deps: HandlerDeps;
  /** Checks a policy rule (403 when denied); target defaults to the caller's project and user. */
  can(rule: string, target?: PolicyTarget): void;
}

export interface HandlerResult {
  readonly status: number;
  readonly body?: unknown;
  readonly location?: string;
  /** Sent as last-modified with cache-control: no-cache from 1.15 on. */
  readonly lastModified?: Date;
}

export type Handler = (ctx: RequestContext) => Promise<HandlerResult>;

export function queryParams(rawUrl: string): QueryParams {
  const q = rawUrl.indexOf('?');
  const search = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
  const map = new Map<string, string[]>();
  for (const [k, v] of search) map.set(k, [...(map.get(k) ?? []), v]);
  return Object.freeze({
    has: (k: string) => map.has(k),
    get: (k: string) => map.get(k)?.at(-1),
    getAll: (k: string) => map.get(k) ?? [],
    keys: () => [...map.keys()],
    last: () => Object.fromEntries([...map].map(([k, v]) => [k, v[v.length - 1]])),
  });
}

/** The newest of the given timestamps, or now when there are none. */
export function newest(dates: Iterable<Date | null | undefined>, now: Date): Date {
  let best: Date | undefined;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best ?? now;
}
