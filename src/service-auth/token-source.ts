// Service-to-service authentication (what keystoneauth sessions give upstream Nova): a TokenSource
// hands out the X-Auth-Token a Nova service sends to placement, glance, neutron … and resolves
// their endpoints from the token's catalog. The password source gets a scoped token from Keystone
// (POST /v3/auth/tokens), keeps it until a minute before it expires and keeps its catalog; the
// static source serves a fixed token and known URLs (noauth2 deployments, in-process callers).
// fromConfGroup picks one from a keystoneauth config group by auth_type (AUTH_PLUGINS).
import { type Clock, systemClock } from '../common/clock.ts';
import type { NovaConf } from '../config/index.ts';
import { serviceAuthBody, v3Base } from '../identity/keystone-validator.ts';
import { fromCatalog } from '../image-client/endpoint.ts';

export type TokenSource = {
  /** A valid token, fetched or renewed when needed. */
  token(): Promise<string>;
  /** The URL of a service from the catalog (first of `interfaces` found), or undefined. */
  endpoint(serviceType: string, interfaces: readonly string[], region?: string): Promise<string | undefined>;
  /** Forget the cached token (the service answered 401): the next token() gets a new one. */
  invalidate(): void;
};

/** Authentication failed or the identity service could not be reached. */
export class ServiceAuthError extends Error {
  /** The config group whose credentials were used ('placement', 'glance', …). */
  readonly group: string;
  readonly url: string;
  /** HTTP status from the identity service; undefined when it did not answer. */
  readonly status: number | undefined;
  constructor(message: string, group: string, url: string, status?: number, cause?: unknown) {
    super(message, { cause });
    this.name = 'ServiceAuthError';
    this.group = group;
    this.url = url;
    this.status = status;
  }
}

/** The keystoneauth password plugin options of a client group (keystoneauth.ts authPluginOpts). */
export interface PasswordAuthOptions {
  readonly auth_url?: string;
  readonly username?: string;
  readonly user_id?: string;
  readonly password?: string;
  readonly user_domain_name?: string;
  readonly user_domain_id?: string;
  readonly project_name?: string;
  readonly project_id?: string;
  readonly project_domain_name?: string;
  readonly project_domain_id?: string;
  readonly default_domain_id?: string;
  readonly default_domain_name?: string;
  readonly domain_id?: string;
  readonly domain_name?: string;
  readonly system_scope?: string;
  /** Seconds to wait for the identity service ([group] timeout). */
  readonly timeout?: number;
}

export interface TokenSourceDeps {
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** The config group named in errors (default 'service_auth'). */
  readonly group?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

/** Renew this long before the token's expires_at. */
const RENEW_MARGIN_MS = 60_000;

/** The POST /v3/auth/tokens body of the password method with the options' scope. */
export function passwordAuthBody(o: PasswordAuthOptions): Json {
  const body = serviceAuthBody({
    ...o,
    user_domain_id: o.user_domain_id ?? (o.user_domain_name ? undefined : o.default_domain_id),
    user_domain_name: o.user_domain_name ?? o.default_domain_name,
    project_domain_id: o.project_domain_id ?? (o.project_domain_name ? undefined : o.default_domain_id),
    project_domain_name: o.project_domain_name ?? o.default_domain_name,
  });
  const auth = body.auth as Json;
  if (o.project_id || o.project_name) return body;
  if (o.system_scope) return { auth: { ...auth, scope: { system: { [o.system_scope]: true } } } };
  if (o.domain_id || o.domain_name) {
    const domain = o.domain_id ? { id: o.domain_id } : { name: o.domain_name };
    return { auth: { ...auth, scope: { domain } } };
  }
  return body;
}

interface Issued {
  readonly token: string;
  readonly renewAt: number;
  readonly catalog: readonly unknown[];
}

/** Password authentication against Keystone v3, cached until a minute before expiry. */
export function passwordTokenSource(o: PasswordAuthOptions, deps: TokenSourceDeps = {}): TokenSource {
  const group = deps.group ?? 'service_auth';
  if (!o.auth_url) throw new ServiceAuthError(`[${group}] auth_url is not set`, group, '');
  const url = `${v3Base(o.auth_url)}/auth/tokens`;
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  const timeoutMs = (o.timeout ?? 30) * 1000;
  let issued: Issued | undefined;
  let pending: Promise<Issued> | undefined;
  let epoch = 0;

  async function authenticate(): Promise<Issued> {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(passwordAuthBody(o)),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ServiceAuthError(
        `[${group}] cannot reach the identity service at ${url}: ${String((err as Error)?.message ?? err)}`,
        group,
        url,
        undefined,
        err,
      );
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new ServiceAuthError(
        `[${group}] credentials were refused by the identity service at ${url} (HTTP ${res.status})`,
        group,
        url,
        res.status,
      );
    }
    if (res.status !== 201 && res.status !== 200) {
      const text = await res.text().catch(() => '');
      throw new ServiceAuthError(
        `[${group}] the identity service at ${url} answered HTTP ${res.status}: ${text.slice(0, 200)}`,
        group,
        url,
        res.status,
      );
    }
    const token = res.headers.get('x-subject-token');
    const body = obj(await res.json().catch(() => undefined)) ?? {};
    if (!token)
      throw new ServiceAuthError(
        `[${group}] the identity service at ${url} returned no X-Subject-Token`,
        group,
        url,
        res.status,
      );
    const t = obj(body.token) ?? {};
    const expires = typeof t.expires_at === 'string' ? Date.parse(t.expires_at) : Number.NaN;
    const now = clock.now().getTime();
    return {
      token,
      renewAt: Number.isNaN(expires) ? now + RENEW_MARGIN_MS : expires - RENEW_MARGIN_MS,
      catalog: Array.isArray(t.catalog) ? t.catalog : [],
    };
  }

  async function current(): Promise<Issued> {
    if (issued && clock.now().getTime() < issued.renewAt) return issued;
    if (pending) return pending;
    const at = epoch;
    const p: Promise<Issued> = authenticate()
      .then((i) => {
        // A token asked for before an invalidate() goes to its callers but is not cached.
        if (at === epoch) issued = i;
        return i;
      })
      .finally(() => {
        if (pending === p) pending = undefined;
      });
    pending = p;
    return pending;
  }

  return {
    token: async () => (await current()).token,
    async endpoint(serviceType, interfaces, region) {
      const { catalog } = await current();
      return fromCatalog(catalog, { serviceType, interfaces, region });
    },
    invalidate() {
      issued = undefined;
      pending = undefined;
      epoch++;
    },
  };
}

/** A fixed token and known service URLs by service type (noauth2 'admin', in-process callers). */
export function staticTokenSource(
  token: string,
  endpoints: Readonly<Record<string, string>> = {},
): TokenSource {
  return {
    token: async () => token,
    endpoint: async (serviceType) => endpoints[serviceType],
    invalidate() {},
  };
}

/** The options fromConfGroup reads from a keystoneauth group ([placement], [glance], …). */
export type KeystoneauthGroupValues = PasswordAuthOptions & {
  readonly auth_type?: string;
  readonly auth_section?: string;
  readonly service_type?: string;
  readonly endpoint_override?: string;
};

/** A keystoneauth group's adapter options: which catalog endpoint it means. */
export interface AdapterOptions {
  readonly service_type: string;
  readonly valid_interfaces?: readonly string[] | null;
  readonly region_name?: string | null;
}

/** The catalog endpoint `g` selects (valid_interfaces default: internal, then public). */
export function catalogEndpoint(tokens: TokenSource, g: AdapterOptions): Promise<string | undefined> {
  return tokens.endpoint(
    g.service_type,
    g.valid_interfaces ?? ['internal', 'public'],
    g.region_name ?? undefined,
  );
}

/** The groups of nova.conf built from keystoneauth's option sets. */
export type KeystoneauthGroupName =
  | 'placement'
  | 'glance'
  | 'neutron'
  | 'nova'
  | 'cinder'
  | 'keystone'
  | 'service_user';

/** The token noauth2 deployments accept as an admin. */
export const NOAUTH_TOKEN = 'admin';

export type PluginFactory = (g: KeystoneauthGroupValues, group: string, deps: TokenSourceDeps) => TokenSource;

const password: PluginFactory = (g, group, deps) => passwordTokenSource(g, { ...deps, group });
const noauth: PluginFactory = (g) =>
  staticTokenSource(
    NOAUTH_TOKEN,
    g.endpoint_override && g.service_type ? { [g.service_type]: g.endpoint_override } : {},
  );

/** Supported auth_type values. */
export const AUTH_PLUGINS: Readonly<Record<string, PluginFactory>> = Object.freeze({
  password,
  v3password: password,
  noauth,
  none: noauth,
});

/** The token source a keystoneauth group describes. */
export function fromConfGroup(
  conf: NovaConf,
  groupName: KeystoneauthGroupName,
  deps: Omit<TokenSourceDeps, 'group'> = {},
): TokenSource {
  const own = conf[groupName] as KeystoneauthGroupValues;
  // auth_section: the auth plugin options live in another group.
  const sectioned = own.auth_section
    ? (conf as unknown as Record<string, KeystoneauthGroupValues | undefined>)[own.auth_section]
    : undefined;
  if (own.auth_section && !sectioned)
    throw new ServiceAuthError(
      `[${groupName}] auth_section names the unknown group [${own.auth_section}]`,
      groupName,
      '',
    );
  const g: KeystoneauthGroupValues = sectioned
    ? {
        ...sectioned,
        service_type: own.service_type,
        endpoint_override: own.endpoint_override,
        timeout: own.timeout,
      }
    : own;
  const authType = g.auth_type ?? (g.auth_url ? 'password' : undefined);
  if (!authType)
    throw new ServiceAuthError(
      `[${groupName}] has neither auth_type nor auth_url: set auth_type = password with auth_url and ` +
        'credentials, or auth_type = noauth with endpoint_override',
      groupName,
      '',
    );
  const plugin = Object.hasOwn(AUTH_PLUGINS, authType) ? AUTH_PLUGINS[authType] : undefined;
  if (!plugin)
    throw new ServiceAuthError(
      `[${groupName}] auth_type ${authType} is not supported (supported: ${Object.keys(AUTH_PLUGINS).join(', ')})`,
      groupName,
      g.auth_url ?? '',
    );
  return plugin(g, groupName, deps);
}
