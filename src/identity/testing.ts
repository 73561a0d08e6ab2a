// Test helpers: an identity service on a fresh database with a temp key repository, bootstrapped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../common/clock.ts';
import { silentLogger } from '../common/log.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { IdentityDb } from '../db/tables/identity-db.ts';
import { type BootstrapResult, bootstrap, defaultCatalog } from './bootstrap.ts';
import { createIdentityService, type IdentityService } from './service.ts';
import { KeyRepository, setupKeys } from './tokens/key-repository.ts';

export const ADMIN_PASSWORD = 'secret-admin-pw';

export interface TestIdentity {
  readonly svc: IdentityService;
  readonly clock: ManualClock;
  readonly keyDir: string;
  readonly boot: BootstrapResult;
  cleanup(): Promise<void>;
}

/** keyCheckMs: how often the key repository is re-read (0 = every token; the service default is 5000). */
export async function testIdentity(url = 'sqlite://', keyCheckMs = 0): Promise<TestIdentity> {
  const dir = mkdtempSync(join(tmpdir(), 'novats-identity-'));
  const keyDir = join(dir, 'fernet-keys');
  setupKeys(keyDir);
  const db = await connectDatabase<IdentityDb>(url);
  await migrateToLatest(db, 'identity');
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const svc = createIdentityService({
    db,
    keys: new KeyRepository(keyDir, keyCheckMs),
    clock,
    log: silentLogger(),
    tokenExpiration: 3600,
  });
  const boot = await bootstrap(
    db,
    { password: ADMIN_PASSWORD, catalog: defaultCatalog({ public: 'http://127.0.0.1:5000/v3' }) },
    clock.now(),
  );
  return {
    svc,
    clock,
    keyDir,
    boot,
    async cleanup() {
      await svc.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const passwordAuth = (user: string, password: string, scope?: unknown): Record<string, unknown> => ({
  auth: {
    identity: {
      methods: ['password'],
      password: { user: { name: user, domain: { id: 'default' }, password } },
    },
    ...(scope === undefined ? {} : { scope }),
  },
});

export const projectScope = (name: string) => ({ project: { name, domain: { id: 'default' } } });

export interface TestApp extends TestIdentity {
  readonly app: import('fastify').FastifyInstance;
  /** A token for user/password scoped to the project (default: admin on admin). */
  token(user?: string, password?: string, scope?: unknown): Promise<string>;
  /** app.inject with X-Auth-Token. */
  call(
    method: string,
    url: string,
    token: string | undefined,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<import('light-my-request').Response>;
}

export async function testApp(url = 'sqlite://', keyCheckMs = 0): Promise<TestApp> {
  const { createEnforcer } = await import('../policy/engine.ts');
  const { IDENTITY_POLICY_DEFAULTS } = await import('./policies/index.ts');
  const { createIdentityApp } = await import('./http/app.ts');
  const ti = await testIdentity(url, keyCheckMs);
  const enforcer = createEnforcer({
    defaults: IDENTITY_POLICY_DEFAULTS,
    enforceScope: true,
    enforceNewDefaults: true,
  });
  const app = createIdentityApp({
    identity: ti.svc,
    enforcer,
    log: silentLogger(),
    publicEndpoint: 'http://127.0.0.1:5000/v3',
  });
  await app.ready();
  const call: TestApp['call'] = (method, u, token, body, headers = {}) =>
    app.inject({
      method: method as 'GET',
      url: u,
      headers: { ...(token ? { 'x-auth-token': token } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  return {
    ...ti,
    app,
    call,
    async token(user = 'admin', password = ADMIN_PASSWORD, scope: unknown = projectScope('admin')) {
      const r = await call('POST', '/v3/auth/tokens', undefined, passwordAuth(user, password, scope));
      if (r.statusCode !== 201) throw new Error(`token for ${user}: ${r.statusCode} ${r.body}`);
      return String(r.headers['x-subject-token']);
    },
    async cleanup() {
      await app.close();
      await ti.cleanup();
    },
  };
}
