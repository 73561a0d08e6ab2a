// What identity route modules share: the service, policy, link base, and small request helpers.
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../../auth/types.ts';
import { Forbidden } from '../../faults/fault.ts';
import type { Enforcer, PolicyTarget } from '../../policy/types.ts';
import { invalid, missingAttribute } from '../errors.ts';
import type { IdentityService } from '../service.ts';

export interface RouteCtx {
  readonly svc: IdentityService;
  readonly enforcer: Enforcer;
  /** Base URL for links (no trailing slash, no /v3). */
  base(req: FastifyRequest): string;
}

/** 403 in Keystone's words unless the caller's token passes `identity:<action>` on target. */
export function authorize(
  ctx: RouteCtx,
  req: FastifyRequest,
  action: string,
  target: PolicyTarget = {},
): AuthContext {
  const rule = `identity:${action}`;
  if (!ctx.enforcer.enforce(rule, target, req.auth)) {
    throw new Forbidden(
      `You are not authorized to perform the requested action: ${rule}.`,
      'identity.policy',
    );
  }
  return req.auth;
}

export type Json = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `{"<key>": {…}}` wrapper of a request body, or Keystone's 400. */
export function entity(body: unknown, key: string): Json {
  if (!isObj(body) || !isObj(body[key])) throw missingAttribute(key, 'request body');
  return body[key] as Json;
}

/** Attributes stored as text; every other string attribute is a varchar(255) (or shorter) column. */
const UNBOUNDED = new Set(['description', 'url', 'secret', 'password', 'original_password']);

export function optString(o: Json, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw invalid(`Invalid input for field '${key}': ${JSON.stringify(v)} is not of type 'string'`);
  if (v.length > 255 && !UNBOUNDED.has(key))
    throw invalid(`Invalid input for field '${key}': '${v.slice(0, 20)}…' is too long`);
  return v;
}

export function reqString(o: Json, key: string, where: string): string {
  const v = optString(o, key);
  if (v === undefined || v.length === 0)
    throw invalid(`Invalid input for field '${where}': '${key}' is a required property`);
  return v;
}

export function optNullableString(o: Json, key: string): string | null | undefined {
  if (o[key] === null) return null;
  return optString(o, key);
}

export function optBool(o: Json, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean')
    throw invalid(`Invalid input for field '${key}': ${JSON.stringify(v)} is not of type 'boolean'`);
  return v;
}

/** Keystone's query booleans: absent → undefined; '0', 'false', 'f', 'n', 'no', 'off' → false; else true. */
export function queryBool(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  const s = String(Array.isArray(v) ? v[0] : v).toLowerCase();
  return !['0', 'false', 'f', 'n', 'no', 'off'].includes(s);
}

export function queryStr(q: unknown, key: string): string | undefined {
  const v = (q as Record<string, unknown> | undefined)?.[key];
  if (v === undefined) return undefined;
  return String(Array.isArray(v) ? v[0] : v);
}

/** `?a=b&c=d` of the request, for collection self links. */
export function queryOf(req: FastifyRequest): string {
  const i = req.url.indexOf('?');
  return i >= 0 ? req.url.slice(i) : '';
}

export type Params = Readonly<Record<string, string>>;
export const params = (req: FastifyRequest): Params => req.params as Params;
