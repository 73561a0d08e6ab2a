// Test helpers: a placement app over a fresh database with noauth2 and the real policy engine
// (old defaults honoured, so the noauth2 admin may also reshape), and a small inject wrapper.
import type { FastifyInstance } from 'fastify';
import { noauth2Validator } from '../auth/noauth.ts';
import type { Clock } from '../common/clock.ts';
import { silentLogger } from '../common/log.ts';
import type { Database } from '../db/connect.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { PlacementDb } from '../db/tables/placement-db.ts';
import { createEnforcer } from '../policy/engine.ts';
import { createPlacementApp, type PlacementDeps } from './app.ts';
import { PLACEMENT_POLICIES } from './policies.ts';

export function testEnforcer() {
  return createEnforcer({ defaults: PLACEMENT_POLICIES, enforceScope: false, enforceNewDefaults: false });
}

export interface TestPlacement {
  readonly app: FastifyInstance;
  readonly db: Database<PlacementDb>;
  close(): Promise<void>;
}

export async function placementOn(
  db: Database<PlacementDb>,
  extra: Partial<PlacementDeps> & { clock?: Clock } = {},
): Promise<TestPlacement> {
  const app = await createPlacementApp({
    db,
    validator: noauth2Validator(),
    enforcer: testEnforcer(),
    log: silentLogger(),
    wwwAuthenticateUri: 'http://127.0.0.1:5000/v3',
    ...extra,
  });
  return { app, db, close: () => app.close() };
}

/** A placement app over a private in-memory SQLite database. */
export async function memoryPlacement(extra: Partial<PlacementDeps> = {}): Promise<TestPlacement> {
  const db = await connectDatabase<PlacementDb>('sqlite://');
  await migrateToLatest(db, 'placement');
  const p = await placementOn(db, extra);
  return {
    ...p,
    close: async () => {
      await p.app.close();
      await db.close();
    },
  };
}
