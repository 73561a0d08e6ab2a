// Token validation against an external Keystone, as keystonemiddleware's auth_token does: the
// service user of [keystone_authtoken] gets its own token (renewed a minute before it expires), then
// each user token is checked with GET /v3/auth/tokens (X-Auth-Token: service token, X-Subject-Token:
// user token). Answers are cached for token_cache_time seconds (never past the token's expiry);
// an unreachable Keystone is a 503, never a 401.
import type { AuthContext, TokenValidator } from '../auth/types.ts';
import { Unauthorized } from '../auth/types.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { Fault } from '../faults/fault.ts';

/** The [keystone_authtoken] options this validator reads. */
export interface KeystoneAuthtokenOptions {
  readonly auth_url?: string;
  readonly www_authenticate_uri?: string;
  readonly username?: string;
  readonly password?: string;
  readonly user_id?: string;
  readonly user_domain_name?: string;
  readonly user_domain_id?: string;
  readonly project_name?: string;
  readonly project_id?: string;
  readonly project_domain_name?: string;
  readonly project_domain_id?: string;
  readonly token_cache_time?: number;
  readonly include_service_catalog?: boolean;
  readonly http_connect_timeout?: number;
}

export interface KeystoneValidatorOptions {
  readonly log?: Logger;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** Most tokens kept in the cache (default 10,000). */
  readonly cacheSize?: number;
}

export class IdentityUnavailable extends Fault {
  constructor(message: string) {
    super(message, 503, 'identity.unavailable');
  }
}

type Json = Record<string, unknown>;

/** auth_url as the /v3 base: `http://h:5000` and `http://h:5000/v3/` both give `http://h:5000/v3`. */
export function v3Base(authUrl: string): string {
  const u = authUrl.replace(/\/+$/, '');
  return u.endsWith('/v3') ? u : `${u}/v3`;
}

const ref = (name?: string, id?: string): Json | undefined => (id ? { id } : name ? { name } : undefined);

export function serviceAuthBody(o: KeystoneAuthtokenOptions): Json {
  const user: Json = o.user_id
    ? { id: o.user_id, password: o.password }
    : {
        name: o.username,
        password: o.password,
        domain: ref(o.user_domain_name, o.user_domain_id) ?? { id: 'default' },
      };
  const project = o.project_id
    ? { id: o.project_id }
    : o.project_name
      ? { name: o.project_name, domain: ref(o.project_domain_name, o.project_domain_id) ?? { id: 'default' } }
      : undefined;
  return {
    auth: {
      identity: { methods: ['password'], password: { user } },
      ...(project ? { scope: { project } } : {}),
    },
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

/** Keystone's token body as an AuthContext. */
export function authContextFromToken(id: string, body: Json): AuthContext {
  const t = obj(body.token) ?? {};
  const user = obj(t.user) ?? {};
  const userDomain = obj(user.domain) ?? {};
  const project = obj(t.project);
  const projectDomain = obj(project?.domain) ?? {};
  const domain = obj(t.domain);
  const roles = Array.isArray(t.roles)
    ? t.roles.map((r) => str(obj(r)?.name)).filter((n): n is string => !!n)
    : [];
  const appCred = obj(t.application_credential);
  return Object.freeze({
    token: id,
    user_id: str(user.id) ?? '',
    user_name: str(user.name),
    user_domain_id: str(userDomain.id),
    user_domain_name: str(userDomain.name),
    ...(project
      ? {
          project_id: str(project.id),
          project_name: str(project.name),
          project_domain_id: str(projectDomain.id),
          project_domain_name: str(projectDomain.name),
        }
      : {}),
    ...(domain ? { domain_id: str(domain.id), domain_name: str(domain.name) } : {}),
    ...(obj(t.system)?.all === true ? { system_scope: 'all' } : {}),
    roles: Object.freeze(roles),
    is_admin_project: t.is_admin_project === undefined ? true : t.is_admin_project === true,
    expires_at: str(t.expires_at),
    audit_ids: Array.isArray(t.audit_ids) ? (t.audit_ids as string[]) : undefined,
    ...(appCred ? { application_credential_id: str(appCred.id) } : {}),
    ...(Array.isArray(t.catalog) ? { catalog: t.catalog } : {}),
  });
}

interface Cached {
  readonly ctx?: AuthContext;
  readonly until: number;
}

export function keystoneValidator(
  o: KeystoneAuthtokenOptions,
  deps: KeystoneValidatorOptions = {},
): TokenValidator {
  if (!o.auth_url) throw new Fault('[keystone_authtoken] auth_url is not set', 500, 'identity.misconfigured');
  const base = v3Base(o.auth_url);
  const clock = deps.clock ?? systemClock;
  const doFetch = deps.fetch ?? fetch;
  const ttlMs = (o.token_cache_time ?? 300) * 1000;
  const max = deps.cacheSize ?? 10_000;
  const cache = new Map<string, Cached>();
  let service: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function call(url: string, init: RequestInit): Promise<Response> {
    const timeout = (o.http_connect_timeout ?? 10) * 1000;
    try {
      return await doFetch(url, { ...init, signal: AbortSignal.timeout(timeout) });
    } catch (err) {
      deps.log?.error({ err: String(err), url }, 'cannot reach the identity service');
      throw new IdentityUnavailable(`The identity service at ${base} is unreachable.`);
    }
  }

  async function fetchServiceToken(): Promise<string> {
    const res = await call(`${base}/auth/tokens?nocatalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(serviceAuthBody(o)),
    });
    if (res.status !== 201) {
      deps.log?.error({ status: res.status }, 'the [keystone_authtoken] service user cannot authenticate');
      throw new IdentityUnavailable(
        'The service credentials in [keystone_authtoken] were refused by the identity service.',
      );
    }
    const token = res.headers.get('x-subject-token') ?? '';
    const body = (await res.json()) as Json;
    const expires = Date.parse(str(obj(body.token)?.expires_at) ?? '');
    const renewAt = Number.isNaN(expires) ? clock.now().getTime() + 60_000 : expires - 60_000;
    service = { token, renewAt };
    return token;
  }

  async function serviceToken(fresh = false): Promise<string> {
    if (!fresh && service && clock.now().getTime() < service.renewAt) return service.token;
    pending ??= fetchServiceToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  async function validateRemote(token: string, retry = true): Promise<AuthContext | undefined> {
    const q = o.include_service_catalog === false ? '?nocatalog' : '';
    const res = await call(`${base}/auth/tokens${q}`, {
      headers: { 'x-auth-token': await serviceToken(), 'x-subject-token': token },
    });
    if (res.status === 200) return authContextFromToken(token, (await res.json()) as Json);
    if (res.status === 404) return undefined;
    if (res.status === 401 && retry) {
      await serviceToken(true);
      return validateRemote(token, false);
    }
    if (res.status === 401 || res.status === 403) {
      throw new IdentityUnavailable('The [keystone_authtoken] service user may not validate tokens.');
    }
    throw new IdentityUnavailable(`The identity service answered ${res.status} when validating a token.`);
  }

  return {
    async validate(token: string): Promise<AuthContext> {
      if (!token) throw new Unauthorized();
      const now = clock.now().getTime();
      const hit = cache.get(token);
      if (hit && hit.until > now) {
        if (!hit.ctx) throw new Unauthorized();
        return hit.ctx;
      }
      const ctx = await validateRemote(token);
      if (ttlMs > 0) {
        const expires = ctx?.expires_at ? Date.parse(ctx.expires_at) : Number.POSITIVE_INFINITY;
        if (cache.size >= max) cache.clear();
        cache.set(token, { ctx, until: Math.min(now + ttlMs, expires) });
      }
      if (!ctx) throw new Unauthorized();
      return ctx;
    },
  };
}
