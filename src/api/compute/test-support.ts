// In-process Compute API for tests: SQLite in memory (API database + one cell), noauth2 tokens
// (`user:project`, admin when the user is `admin`), the real policy engine with the Compute API
// defaults, a manual clock.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { noauth2Validator } from '../../auth/noauth.ts';
import { createCellPool } from '../../cells/cell-pool.ts';
import { ManualClock } from '../../common/clock.ts';
import { silentLogger } from '../../common/log.ts';
import { loadConfig, type NovaConf } from '../../config/index.ts';
import type { ConfigOverride } from '../../config/raw-values.ts';
import { connectDatabase, type Database } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import type { CellDb } from '../../db/tables/cell-db.ts';
import * as cellMappings from '../../objects/cell-mapping.ts';
import { createEnforcer } from '../../policy/engine.ts';
import { type ComputeApiDeps, createComputeApiApp } from './app.ts';
import { COMPUTE_POLICY_DEFAULTS } from './policies/index.ts';

export const ADMIN = 'admin:0a1b2c3d';
export const ALICE = 'alice:0a1b2c3d';
export const BOB = 'bob:9f8e7d6c';

export interface TestApi {
  readonly app: FastifyInstance;
  readonly apiDb: Database<ApiDb>;
  readonly cellDb: Database<CellDb>;
  readonly conf: NovaConf;
  readonly clock: ManualClock;
  /** Maps one more cell (SQLite in memory, migrated) and returns its database. */
  addCell(name: string): Promise<Database<CellDb>>;
  /** inject with a token and an optional microversion. */
  call(method: string, url: string, opts?: CallOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface CallOptions {
  readonly token?: string | null;
  readonly mv?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

const CELL_URL = 'sqlite:///compute-api-test-cell1';

export async function startTestApi(
  overrides: readonly ConfigOverride[] = [],
  extra: Partial<ComputeApiDeps> = {},
): Promise<TestApi> {
  const conf = loadConfig({ env: {}, hostFacts: { hostname: 'node1', myIp: '192.0.2.10' }, overrides })
    .conf as NovaConf;
  const apiDb = await connectDatabase<ApiDb>('sqlite://');
  await migrateToLatest(apiDb, 'api');
  const cellDb = await connectDatabase<CellDb>('sqlite://');
  await migrateToLatest(cellDb, 'cell');
  const cells = createCellPool();
  cells.adopt(CELL_URL, cellDb);
  const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  await cellMappings.create(
    apiDb,
    { name: 'cell1', transport_url: 'none:///', database_connection: CELL_URL },
    clock.now(),
  );
  const enforcer = createEnforcer({
    defaults: COMPUTE_POLICY_DEFAULTS,
    enforceScope: true,
    enforceNewDefaults: true,
  });
  const app = createComputeApiApp({
    conf,
    log: silentLogger(),
    validator: noauth2Validator(),
    enforcer,
    apiDb,
    cells,
    clock,
    ...extra,
  });
  await app.ready();
  return {
    app,
    apiDb,
    cellDb,
    conf,
    clock,
    async addCell(name) {
      const db = await connectDatabase<CellDb>('sqlite://');
      await migrateToLatest(db, 'cell');
      const url = `sqlite:///compute-api-test-${name}`;
      cells.adopt(url, db);
      await cellMappings.create(
        apiDb,
        { name, transport_url: 'none:///', database_connection: url },
        clock.now(),
      );
      return db;
    },
    call(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const token = opts.token === undefined ? ADMIN : opts.token;
      if (token !== null) headers['x-auth-token'] = token;
      if (opts.mv) headers['openstack-api-version'] = `compute ${opts.mv}`;
      const req: InjectOptions = { method: method as InjectOptions['method'], url, headers };
      if (opts.body !== undefined) {
        headers['content-type'] = 'application/json';
        req.payload = JSON.stringify(opts.body);
      }
      return app.inject(req);
    },
    async close() {
      await app.close();
      await cells.closeAll();
      await apiDb.close();
    },
  };
}
