// nova-ts placement: the placement API (upstream's placement-api) as its own process, on
// [placement_api] listen:port with its database in [placement_database] connection.

import { type Database, migrateToLatest } from '../db/index.ts';
import type { PlacementDb } from '../db/tables/placement-db.ts';
import { startPlacementApi } from '../placement/app.ts';
import { PLACEMENT_POLICIES } from '../placement/policies.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import { validatorFromConf } from './api-security.ts';
import { openDatabase, runDaemon } from './daemon.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'placement-api',
    description:
      'The placement API on [placement_api] listen:port (8778); its data in [placement_database] connection.',
    async start(ctx) {
      const db = await openDatabase(
        ctx,
        ctx.conf.placement_database.connection,
        '[placement_database] connection',
      );
      await migrateToLatest(db, 'placement');
      const api = await startPlacementApi({
        conf: ctx.conf,
        db: db as Database<PlacementDb>,
        validator: validatorFromConf(ctx.conf, ctx.log),
        enforcer: enforcerFromConf(ctx.conf, PLACEMENT_POLICIES, ctx.configFiles, ctx.log),
        log: ctx.log,
        wwwAuthenticateUri: ctx.conf.keystone_authtoken.www_authenticate_uri ?? '',
      });
      return [api];
    },
  });
