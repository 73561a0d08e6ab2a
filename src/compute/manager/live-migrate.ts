// Live migration on the computes: the destination checks it can take the guest
// (check_can_live_migrate_destination) and prepares (pre_live_migration); the source runs the
// driver's migration reporting progress on the migration record (queued → preparing → running →
// completed), then the destination adopts the instance (post_live_migration_at_destination) and the
// migration's source allocations go. Abort or failure rolls back: the guest stays on the source,
// the source allocations return to the instance, the migration ends cancelled or error.
import type { RequestContext, RpcMethod } from '../../rpc/index.ts';
import type { LiveMigrationProgress, MigrateData } from '../../virt/driver.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { asEvent, update } from './instance-ops.ts';
import { computes, moveAllocations, releaseAllocations, setMigration } from './move-ops.ts';
import { bindNetworks } from './networking.ts';

interface LiveArgs {
  readonly instance_uuid: string;
  readonly migration_id: number;
  readonly dest: string;
  readonly dest_node: string;
  readonly block_migration: boolean;
}

/** Running live migrations of this compute: migration id → its abort switch. */
type Running = Map<number, AbortController>;

async function liveMigration(deps: ComputeManagerDeps, running: Running, ctx: RequestContext, a: LiveArgs) {
  const uuid = a.instance_uuid;
  const abort = new AbortController();
  running.set(a.migration_id, abort);
  let m = await setMigration(deps, ctx, a.migration_id, { status: 'queued' });
  try {
    await asEvent(deps, ctx, uuid, 'live_migration', async () => {
      const inst = await deps.conductor.instanceGet(ctx, uuid);
      const di = toDriverInstance(inst);
      m = await setMigration(deps, ctx, m.id, { status: 'preparing' });
      const migrateData = await computes(deps).call<MigrateData | null>(ctx, a.dest, 'pre_live_migration', {
        instance_uuid: uuid,
      });
      if (abort.signal.aborted) throw new Error('Live migration aborted before it started.');
      m = await setMigration(deps, ctx, m.id, { status: 'running' });
      let last: Promise<unknown> = Promise.resolve();
      const onProgress = (p: LiveMigrationProgress) => {
        last = last.then(() => setMigration(deps, ctx, m.id, { ...p }).catch(() => {}));
      };
      await deps.driver.liveMigrate(di, a.dest, onProgress, abort.signal, migrateData ?? undefined);
      await last;
      await computes(deps).call(ctx, a.dest, 'post_live_migration_at_destination', {
        instance_uuid: uuid,
        node: a.dest_node,
      });
      await releaseAllocations(deps, m.uuid);
      await setMigration(deps, ctx, m.id, { status: 'completed' });
    });
  } catch (err) {
    deps.log.warn({ err, instance: uuid }, 'live migration failed; rolling back');
    await setMigration(deps, ctx, m.id, { status: abort.signal.aborted ? 'cancelled' : 'error' }).catch(
      () => {},
    );
    await moveAllocations(deps, m.uuid, uuid);
    await update(deps, ctx, uuid, { task_state: null }).catch(() => {});
    await computes(deps)
      .cast(ctx, a.dest, 'rollback_live_migration_at_destination', { instance_uuid: uuid })
      .catch(() => {});
  } finally {
    running.delete(a.migration_id);
  }
}

export function liveMigrationMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  const running: Running = new Map();
  const driverInstance = async (ctx: RequestContext, uuid: string) =>
    toDriverInstance(await deps.conductor.instanceGet(ctx, uuid));
  return {
    check_can_live_migrate_destination: async (_ctx, a: { block_migration: boolean | 'auto' }) => {
      if (!deps.driver.capabilities.supports_live_migration)
        throw new Error(`The virt driver of ${deps.host} cannot live-migrate.`);
      // Fake and local-disk hosts share no storage: "auto" means a block migration.
      return { block_migration: a.block_migration === 'auto' ? true : a.block_migration };
    },
    pre_live_migration: async (ctx, a: { instance_uuid: string }) => {
      return (await deps.driver.preLiveMigration(await driverInstance(ctx, a.instance_uuid))) ?? null;
    },
    post_live_migration_at_destination: async (ctx, a: { instance_uuid: string; node: string }) => {
      const di = { ...(await driverInstance(ctx, a.instance_uuid)), node: a.node };
      await deps.driver.postLiveMigrationAtDestination(di);
      const info = await deps.driver.getInfo(di);
      await update(
        deps,
        ctx,
        a.instance_uuid,
        { host: deps.host, node: a.node, power_state: info.state, task_state: null, progress: 0 },
        ['migrating'],
      );
      await bindNetworks(deps, ctx, a.instance_uuid, deps.host);
      return null;
    },
    // The destination's copy goes; the guest is still the source's.
    rollback_live_migration_at_destination: async (ctx, a: { instance_uuid: string }) => {
      const inst = await deps.conductor.instanceGet(ctx, a.instance_uuid);
      if (inst.host === deps.host) return null; // never the guest nova runs
      await deps.driver
        .destroy(toDriverInstance(inst), true)
        .catch((err: unknown) => deps.log.warn({ err }, 'rollback cleanup failed'));
      return null;
    },
    live_migration: async (ctx, a: LiveArgs) => {
      await liveMigration(deps, running, ctx, a);
      return null;
    },
    live_migration_force_complete: async (ctx, a: { instance_uuid: string }) => {
      await asEvent(deps, ctx, a.instance_uuid, 'live_migration_force_complete', async () =>
        deps.driver.liveMigrationForceComplete(await driverInstance(ctx, a.instance_uuid)),
      ).catch((err: unknown) => deps.log.warn({ err }, 'force complete failed'));
      return null;
    },
    live_migration_abort: async (ctx, a: { instance_uuid: string; migration_id: number }) => {
      await asEvent(deps, ctx, a.instance_uuid, 'live_migration_abort', async () => {
        const r = running.get(a.migration_id);
        if (!r) throw new Error(`Live migration ${a.migration_id} is not running on ${deps.host}.`);
        r.abort(new Error('aborted by request'));
      }).catch((err: unknown) => deps.log.warn({ err }, 'abort failed'));
      return null;
    },
  };
}
