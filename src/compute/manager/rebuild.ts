// rebuild_instance: the guest re-created from an image on this host. A plain rebuild (REBUILD)
// keeps the host: the old guest goes, the new one spawns (task states rebuilding →
// rebuild_block_device_mapping → rebuild_spawning → none), a stopped server is stopped again. An
// evacuation recreates the guest here, on the destination, after its host went down: the instance
// moves here, the migration ends done and the source's allocations (held by the migration) go; a
// failure leaves the instance in ERROR with the migration failed. 2.95's target_state may ask for
// the evacuated server to stay stopped.
import type { RequestContext, RpcMethod } from '../../rpc/index.ts';
import { PowerState } from '../../virt/driver.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { instanceAction, update, vifWaits } from './instance-ops.ts';
import { releaseAllocations, setMigration } from './move-ops.ts';
import { bindNetworks } from './networking.ts';

export interface RebuildArgs {
  readonly instance_uuid: string;
  readonly image_ref: string | null;
  readonly admin_password: string | null;
  readonly preserve_ephemeral: boolean;
  readonly evacuate?: boolean;
  readonly migration_id?: number;
  readonly node?: string;
  /** The vm_state the server should end in (evacuate, 2.95: stopped). */
  readonly target_state?: string | null;
}

async function rebuild(deps: ComputeManagerDeps, ctx: RequestContext, a: RebuildArgs) {
  const evac = a.evacuate === true;
  await instanceAction(
    deps,
    ctx,
    a.instance_uuid,
    'rebuild_instance',
    async (inst) => {
      try {
        const node = a.node ?? inst.node ?? deps.host;
        const wasStopped = inst.vm_state === 'stopped';
        if (evac) {
          await update(deps, ctx, inst.uuid, { host: deps.host, node }, ['rebuilding']);
          await bindNetworks(deps, ctx, inst.uuid, deps.host);
          if (a.migration_id !== undefined)
            await setMigration(deps, ctx, a.migration_id, { status: 'pre-migrating' });
        }
        const di = { ...toDriverInstance(inst), node, image_ref: a.image_ref ?? inst.image_ref };
        await update(deps, ctx, inst.uuid, { task_state: 'rebuild_block_device_mapping' }, ['rebuilding']);
        await deps.driver.destroy(di, !a.preserve_ephemeral);
        await update(deps, ctx, inst.uuid, { task_state: 'rebuild_spawning' }, [
          'rebuild_block_device_mapping',
        ]);
        await deps.driver.spawn(di, { adminPassword: a.admin_password, ...vifWaits(deps, di.uuid) });
        const stop = evac
          ? a.target_state === 'stopped' || (a.target_state == null && wasStopped)
          : wasStopped;
        if (stop) await deps.driver.powerOff(di, deps.conf.DEFAULT.shutdown_timeout);
        const info = await deps.driver.getInfo(di);
        await update(
          deps,
          ctx,
          inst.uuid,
          {
            vm_state: stop ? 'stopped' : 'active',
            task_state: null,
            power_state: info.state,
            launched_at: deps.clock.now().toISOString(),
            progress: 0,
          },
          ['rebuild_spawning'],
        );
        if (evac && a.migration_id !== undefined) {
          const m = await setMigration(deps, ctx, a.migration_id, { status: 'done' });
          await releaseAllocations(deps, m.uuid);
        }
      } catch (err) {
        if (evac && a.migration_id !== undefined)
          await setMigration(deps, ctx, a.migration_id, { status: 'failed' }).catch(() => {});
        await update(deps, ctx, a.instance_uuid, { power_state: PowerState.NOSTATE }).catch(() => {});
        throw err;
      }
    },
    { vmState: 'error' },
  );
}

export function rebuildMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  return {
    rebuild_instance: async (ctx, a: RebuildArgs) => {
      await rebuild(deps, ctx, a);
      return null;
    },
  };
}
