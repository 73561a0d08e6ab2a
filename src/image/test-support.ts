// Test helpers: an image app over a fresh database and a temporary file store, with noauth2
// tokens (`user:project`; user `admin` is an admin) and the real policy engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { noauth2Validator } from '../auth/noauth.ts';
import { silentLogger } from '../common/log.ts';
import { type ConfigOverride, loadConfig, type NovaConf } from '../config/index.ts';
import type { Database } from '../db/connect.ts';
import type { ImageDb } from '../db/tables/image-db.ts';
import { createEnforcer } from '../policy/engine.ts';
import { createImageApp } from './app.ts';
import { IMAGE_POLICY_DEFAULTS } from './policy.ts';
import { type FileStore, openFileStore } from './store/file-store.ts';

export interface TestImageService {
  readonly app: FastifyInstance;
  readonly conf: NovaConf;
  readonly store: FileStore;
  readonly db: Database<ImageDb>;
  readonly dir: string;
  close(): Promise<void>;
}

export function testConf(dir: string, overrides: readonly ConfigOverride[] = []): NovaConf {
  return loadConfig({
    env: {},
    hostFacts: { hostname: 'node1', myIp: '127.0.0.1' },
    overrides: [{ group: 'DEFAULT', name: 'state_path', value: dir }, ...overrides],
  }).conf;
}

/** `db` must have the image schema migrated (testDialects().open(['image'])). */
export async function testImageService(
  db: Database<ImageDb>,
  overrides: readonly ConfigOverride[] = [],
): Promise<TestImageService> {
  const dir = mkdtempSync(join(tmpdir(), 'novats-image-'));
  const conf = testConf(dir, overrides);
  const store = await openFileStore(conf.image.filesystem_store_datadir);
  const enforcer = createEnforcer({
    defaults: IMAGE_POLICY_DEFAULTS,
    enforceScope: false,
    enforceNewDefaults: true,
  });
  const log = silentLogger();
  const app = createImageApp({ conf, log, db, store, enforcer, validator: noauth2Validator() });
  await app.ready();
  return {
    app,
    conf,
    store,
    db,
    dir,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const auth = (token: string) => ({ 'x-auth-token': token });
export const PATCH_21 = 'application/openstack-images-v2.1-json-patch';
