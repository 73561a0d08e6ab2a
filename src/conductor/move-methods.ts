// The conductor's move methods on its RPC endpoint (superconductor only).
import type { RpcMethod } from '../rpc/index.ts';
import type { MoveDeps } from './move-support.ts';
import {
  type EvacuateArgs,
  evacuate,
  type LiveMigrateArgs,
  liveMigrate,
  type MigrateServerArgs,
  migrateServer,
  type UnshelveArgs,
  unshelve,
} from './moves.ts';
import { type RebuildServerArgs, rebuildServer } from './rebuild.ts';

export function moveMethods(d: MoveDeps): Record<string, RpcMethod> {
  return {
    migrate_server: async (ctx, a: MigrateServerArgs) => {
      await migrateServer(d, ctx, a);
      return null;
    },
    live_migrate_instance: async (ctx, a: LiveMigrateArgs) => {
      await liveMigrate(d, ctx, a);
      return null;
    },
    rebuild_instance: async (ctx, a: EvacuateArgs) => {
      await evacuate(d, ctx, a);
      return null;
    },
    rebuild_server: async (ctx, a: RebuildServerArgs) => {
      await rebuildServer(d, ctx, a);
      return null;
    },
    unshelve_instance: async (ctx, a: UnshelveArgs) => {
      await unshelve(d, ctx, a);
      return null;
    },
  };
}
