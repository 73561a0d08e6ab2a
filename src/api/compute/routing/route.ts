// How a Compute API route is declared: method, URL, microversion range, policy, body/query
// schemas by version, response status, handler. routing/register.ts turns these into Fastify routes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../../../auth/types.ts';
import type { PolicyTarget } from '../../../policy/types.ts';
import type { ComputeApiDeps } from '../deps.ts';
import type { ApiVersion } from '../microversion.ts';
import type { JsonSchema } from '../validation/validator.ts';
import type { Links } from './links.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Schemas by first microversion: the last entry whose version ≤ the request's applies. */
export type ByVersion<T> = readonly (readonly [string, T])[];

export function byVersion<T>(...entries: (readonly [string, T])[]): ByVersion<T> {
  return Object.freeze(entries.map((e) => Object.freeze(e)));
}

export function pickVersion<T>(list: ByVersion<T> | undefined, mv: ApiVersion): T | undefined {
  if (!list) return undefined;
  let found: T | undefined;
  for (const [min, v] of list) if (mv.atLeast(min)) found = v;
  return found;
}

/** Query string as upstream validates it: every parameter a list of its values. */
export type Query = Readonly<Record<string, readonly string[]>>;

export interface RouteContext {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  readonly mv: ApiVersion;
  readonly auth: AuthContext;
  readonly params: Readonly<Record<string, string>>;
  // biome-ignore lint/suspicious/noExplicitAny: validated against the route's body schema
  readonly body: any;
  readonly query: Query;
  readonly deps: ComputeApiDeps;
  readonly links: Links;
  /** Throws PolicyNotAuthorized (403). Default target: the caller's project and user. */
  authorize(rule: string, target?: PolicyTarget): void;
  /** The same check, answered as a boolean (fatal=False upstream). */
  can(rule: string, target?: PolicyTarget): boolean;
  /** Last value of a query parameter (webob req.GET.get). */
  param(name: string): string | undefined;
  /** Validates the body against a schema chosen in the handler (actions). */
  checkBody(schema: JsonSchema): void;
}

/**
 * The policy a route checks before its handler runs: a rule (default target), a rule with a target
 * from the request, or `inHandler` naming the rules the handler checks itself (data-dependent).
 */
export type RoutePolicy =
  | string
  | { readonly rule: string; readonly target: (ctx: RouteContext) => PolicyTarget }
  | { readonly inHandler: readonly string[] }
  | { readonly none: string };

export interface RouteDef {
  readonly method: HttpMethod;
  /** Path after /v2.1 (and the optional /{project_id}), Fastify style: '/flavors/:id'. */
  readonly url: string;
  /** Microversion range; outside it the route answers 404 as upstream. */
  readonly minVersion?: string;
  readonly maxVersion?: string;
  readonly policy: RoutePolicy;
  readonly body?: ByVersion<JsonSchema>;
  readonly query?: ByVersion<JsonSchema>;
  /** Success status (default 200), or by version (keypairs 200 → 201 at 2.2). */
  readonly status?: number | ((mv: ApiVersion) => number);
  /** Returns the response body (undefined: no body). */
  readonly handler: (ctx: RouteContext) => Promise<unknown>;
}

export type RouteTable = readonly RouteDef[];
