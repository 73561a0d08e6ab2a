// The embedded identity service as one value: core state, token validation, the catalog source.
// `openIdentityService(conf)` connects [identity] connection, migrates it, and opens (creating when
// missing) the Fernet key repository $state_path/fernet-keys.
import { join } from 'node:path';
import type { AuthContext, TokenValidator } from '../auth/types.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { IdentityDb } from '../db/tables/identity-db.ts';
import { toAuthContext } from './auth-context.ts';
import { CatalogSource } from './catalog.ts';
import { GenCache, IdentityCore, type IdentityCoreOptions } from './core.ts';
import { KeyRepository, setupKeys } from './tokens/key-repository.ts';
import { TokenValidatorCore } from './tokens/validate.ts';

export interface IdentityService {
  readonly core: IdentityCore;
  readonly tokens: TokenValidatorCore;
  readonly catalog: CatalogSource;
  /** Closes the database. */
  close(): Promise<void>;
}

export function createIdentityService(opts: IdentityCoreOptions): IdentityService {
  const core = new IdentityCore(opts);
  const cache = <T>() => new GenCache<T>(core);
  return Object.freeze({
    core,
    tokens: new TokenValidatorCore(core, cache),
    catalog: new CatalogSource(core, cache()),
    close: () => opts.db.close(),
  });
}

/** Where the Fernet keys live: $state_path/fernet-keys (Keystone's [fernet_tokens] key_repository). */
export const keyRepositoryPath = (conf: NovaConf): string => join(conf.DEFAULT.state_path, 'fernet-keys');

export interface OpenOptions {
  readonly log: Logger;
  readonly clock?: Clock;
  readonly cacheTtlMs?: number;
}

export async function openIdentityService(conf: NovaConf, o: OpenOptions): Promise<IdentityService> {
  const db = await connectDatabase<IdentityDb>(conf.identity.connection, {
    log: o.log,
    option: '[identity] connection',
  });
  await migrateToLatest(db, 'identity');
  const dir = keyRepositoryPath(conf);
  if (setupKeys(dir)) o.log.info({ dir }, 'created the Fernet key repository');
  return createIdentityService({
    db,
    keys: new KeyRepository(dir),
    clock: o.clock ?? systemClock,
    log: o.log,
    tokenExpiration: conf.identity.token_expiration,
    cacheTtlMs: o.cacheTtlMs,
  });
}

export interface EmbeddedValidatorOptions {
  /** Put the token's catalog in AuthContext.catalog (default true). */
  readonly includeCatalog?: boolean;
}

/** TokenValidator for APIs in the identity service's process: no HTTP, no copies of the keys. */
export function embeddedValidator(svc: IdentityService, o: EmbeddedValidatorOptions = {}): TokenValidator {
  const withCatalog = o.includeCatalog ?? true;
  // A token seen recently validates from here until its expiry, while nothing was written in this
  // process (any identity write, a revocation included, empties the cache) and for at most the
  // core's cacheTtlMs (writes by other processes).
  const seen = new GenCache<{ readonly ctx: AuthContext; readonly expiresMs: number }>(svc.core);
  return {
    async validate(token: string): Promise<AuthContext> {
      const hit = seen.get(token);
      if (hit && hit.expiresMs > svc.core.now().getTime()) return hit.ctx;
      const t = await svc.tokens.validate(token);
      const scoped = t.payload.scope.kind !== 'unscoped';
      const catalog =
        withCatalog && scoped ? await svc.catalog.forToken(t.user.id, t.project?.id) : undefined;
      const ctx = toAuthContext(t, catalog);
      seen.set(token, { ctx, expiresMs: t.payload.expires_at.getTime() });
      return ctx;
    },
  };
}
