// Resize and cold migration on the computes: prep_resize (destination) → resize_instance (source:
// disks handed over, guest off) → finish_resize (destination: guest up with the new flavor,
// VERIFY_RESIZE), then confirm_resize (source: kept disks and the migration's source allocations
// go) or revert_resize (destination: guest removed) → finish_revert_resize (source: the original
// guest back, source allocations back to the instance). Migration statuses follow upstream:
// pre-migrating → migrating → post-migrating → finished → confirmed / reverting → reverted.

import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';
import type { RequestContext, RpcMethod } from '../../rpc/index.ts';
import { adminContext } from '../../rpc/index.ts';
import { type MigrateData, PowerState } from '../../virt/driver.ts';
import type { ComputeManagerDeps } from './deps.ts';
import { toDriverInstance } from './driver-instance.ts';
import { instanceAction, update } from './instance-ops.ts';
import {
  computes,
  moveAllocations,
  moveTarget,
  oldVmState,
  releaseAllocations,
  setMigration,
} from './move-ops.ts';
import { bindNetworks } from './networking.ts';

interface MigrationArgs {
  readonly instance_uuid: string;
  readonly migration_id: number;
}

interface PrepArgs extends MigrationArgs {
  readonly new_flavor: EmbeddedFlavor;
  readonly new_instance_type_id: number | null;
  readonly node: string;
  /** The source driver's disk_info (finish_resize). */
  readonly disk_info?: MigrateData | null;
}

/** A failed step: migration in error, allocations back with the instance, the instance in ERROR. */
async function failed(deps: ComputeManagerDeps, ctx: RequestContext, a: MigrationArgs) {
  const m = await setMigration(deps, ctx, a.migration_id, { status: 'error' }).catch(() => null);
  await moveAllocations(deps, m?.uuid ?? null, a.instance_uuid);
}

async function prepResize(deps: ComputeManagerDeps, ctx: RequestContext, a: PrepArgs) {
  await instanceAction(deps, ctx, a.instance_uuid, 'prep_resize', async (inst) => {
    try {
      const m = await deps.conductor.migrationGet(ctx, a.migration_id);
      await deps.conductor.instanceSetFlavors(ctx, {
        uuid: inst.uuid,
        cur: inst.flavor,
        old: inst.flavor,
        new: a.new_flavor,
      });
      if (!m.source_compute) throw new Error(`Migration ${m.id} has no source compute.`);
      await computes(deps).cast(ctx, m.source_compute, 'resize_instance', {
        instance_uuid: inst.uuid,
        migration_id: m.id,
        new_flavor: a.new_flavor,
        new_instance_type_id: a.new_instance_type_id,
      });
    } catch (err) {
      await failed(deps, ctx, a);
      throw err;
    }
  });
}

async function resizeInstance(deps: ComputeManagerDeps, ctx: RequestContext, a: PrepArgs) {
  await instanceAction(
    deps,
    ctx,
    a.instance_uuid,
    'resize_instance',
    async (inst) => {
      try {
        let m = await setMigration(deps, ctx, a.migration_id, { status: 'migrating' });
        await update(deps, ctx, inst.uuid, { task_state: 'resize_migrating' }, ['resize_prep']);
        const diskInfo = await deps.driver.migrateDiskAndPowerOff(
          toDriverInstance(inst),
          moveTarget(m, a.new_flavor),
        );
        m = await setMigration(deps, ctx, m.id, { status: 'post-migrating' });
        await update(
          deps,
          ctx,
          inst.uuid,
          { task_state: 'resize_migrated', power_state: PowerState.SHUTDOWN },
          ['resize_migrating'],
        );
        await computes(deps).cast(ctx, m.dest_compute ?? '', 'finish_resize', {
          instance_uuid: inst.uuid,
          migration_id: m.id,
          new_flavor: a.new_flavor,
          new_instance_type_id: a.new_instance_type_id,
          disk_info: diskInfo ?? null,
        });
      } catch (err) {
        await failed(deps, ctx, a);
        throw err;
      }
    },
    { vmState: 'error' },
  );
}

async function finishResize(deps: ComputeManagerDeps, ctx: RequestContext, a: PrepArgs) {
  await instanceAction(
    deps,
    ctx,
    a.instance_uuid,
    'finish_resize',
    async (inst) => {
      try {
        const m = await deps.conductor.migrationGet(ctx, a.migration_id);
        await update(deps, ctx, inst.uuid, { task_state: 'resize_finish' }, ['resize_migrated']);
        await deps.conductor.instanceSetFlavors(ctx, {
          uuid: inst.uuid,
          cur: a.new_flavor,
          old: inst.old_flavor ?? inst.flavor,
          new: a.new_flavor,
          instance_type_id: a.new_instance_type_id,
        });
        await update(deps, ctx, inst.uuid, { host: deps.host, node: m.dest_node ?? deps.host });
        await bindNetworks(deps, ctx, inst.uuid, deps.host);
        const moved = { ...toDriverInstance(inst), flavor: a.new_flavor, node: m.dest_node };
        await deps.driver.finishMigration(
          moved,
          moveTarget(m, a.new_flavor),
          oldVmState(inst) !== 'stopped',
          a.disk_info ?? undefined,
        );
        const info = await deps.driver.getInfo(moved);
        await update(
          deps,
          ctx,
          inst.uuid,
          { vm_state: 'resized', task_state: null, power_state: info.state },
          ['resize_finish'],
        );
        await setMigration(deps, ctx, m.id, { status: 'finished' });
      } catch (err) {
        await failed(deps, ctx, a);
        throw err;
      }
    },
    { vmState: 'error' },
  );
}

async function confirmResize(deps: ComputeManagerDeps, ctx: RequestContext, a: MigrationArgs) {
  await instanceAction(deps, ctx, a.instance_uuid, 'confirm_resize', async (inst) => {
    const m = await deps.conductor.migrationGet(ctx, a.migration_id);
    if (m.status === 'confirmed') return;
    await deps.driver.confirmMigration(toDriverInstance(inst), moveTarget(m, inst.flavor));
    await releaseAllocations(deps, m.uuid);
    await deps.conductor.instanceSetFlavors(ctx, { uuid: inst.uuid, cur: inst.flavor, old: null, new: null });
    const info = await computes(deps)
      .call<{ state: number }>(ctx, m.dest_compute ?? '', 'get_power_state', { instance_uuid: inst.uuid })
      .catch(() => ({ state: inst.power_state ?? PowerState.NOSTATE }));
    await update(deps, ctx, inst.uuid, {
      vm_state: info.state === PowerState.SHUTDOWN ? 'stopped' : 'active',
      task_state: null,
      power_state: info.state,
    });
    await setMigration(deps, ctx, m.id, { status: 'confirmed' });
  });
}

async function revertResize(deps: ComputeManagerDeps, ctx: RequestContext, a: MigrationArgs) {
  await instanceAction(
    deps,
    ctx,
    a.instance_uuid,
    'revert_resize',
    async (inst) => {
      const m = await deps.conductor.migrationGet(ctx, a.migration_id);
      await deps.driver.destroy(
        { ...toDriverInstance(inst), node: m.dest_node },
        m.source_compute !== m.dest_compute,
      );
      await computes(deps).cast(ctx, m.source_compute ?? '', 'finish_revert_resize', {
        instance_uuid: inst.uuid,
        migration_id: m.id,
      });
    },
    { vmState: 'error' },
  );
}

async function finishRevertResize(deps: ComputeManagerDeps, ctx: RequestContext, a: MigrationArgs) {
  await instanceAction(
    deps,
    ctx,
    a.instance_uuid,
    'finish_revert_resize',
    async (inst) => {
      const m = await deps.conductor.migrationGet(ctx, a.migration_id);
      const old = inst.old_flavor ?? inst.flavor;
      await deps.conductor.instanceSetFlavors(ctx, {
        uuid: inst.uuid,
        cur: old,
        old: null,
        new: null,
        instance_type_id: m.old_instance_type_id,
      });
      await update(deps, ctx, inst.uuid, { host: deps.host, node: m.source_node ?? deps.host });
      await bindNetworks(deps, ctx, inst.uuid, deps.host);
      const back = { ...toDriverInstance(inst), flavor: old, node: m.source_node };
      const powerOn = oldVmState(inst) !== 'stopped';
      await deps.driver.finishRevertMigration(back, moveTarget(m, inst.flavor), powerOn);
      await moveAllocations(deps, m.uuid, inst.uuid);
      const info = await deps.driver.getInfo(back);
      await update(
        deps,
        ctx,
        inst.uuid,
        { vm_state: powerOn ? 'active' : 'stopped', task_state: null, power_state: info.state },
        ['resize_reverting'],
      );
      await setMigration(deps, ctx, m.id, { status: 'reverted' });
    },
    { vmState: 'error' },
  );
}

export function resizeMethods(deps: ComputeManagerDeps): Record<string, RpcMethod> {
  const wrap =
    // biome-ignore lint/suspicious/noExplicitAny: each method's own argument type
      (f: (d: ComputeManagerDeps, c: RequestContext, a: any) => Promise<void>): RpcMethod =>
      async (ctx, a) => {
        await f(deps, ctx, a);
        return null;
      };
  return {
    prep_resize: wrap(prepResize),
    resize_instance: wrap(resizeInstance),
    finish_resize: wrap(finishResize),
    confirm_resize: wrap(confirmResize),
    revert_resize: wrap(revertResize),
    finish_revert_resize: wrap(finishRevertResize),
    get_power_state: async (ctx, a: { instance_uuid: string }) => {
      const inst = await deps.conductor.instanceGet(ctx, a.instance_uuid);
      return deps.driver.getInfo(toDriverInstance(inst));
    },
  };
}

/** _poll_unconfirmed_resizes: resizes finished here longer than resize_confirm_window ago are confirmed. */
export async function pollUnconfirmedResizes(deps: ComputeManagerDeps): Promise<void> {
  const window = deps.conf.DEFAULT.resize_confirm_window;
  if (window <= 0) return;
  const ctx = adminContext();
  const ms = await deps.conductor.migrationsByHost(ctx, deps.host, ['finished']);
  const cutoff = deps.clock.now().getTime() - window * 1000;
  for (const m of ms) {
    if (m.dest_compute !== deps.host || !m.instance_uuid || !m.source_compute) continue;
    const stamp = new Date((m.updated_at ?? m.created_at) as unknown as string).getTime();
    if (stamp > cutoff) continue;
    try {
      const inst = await deps.conductor.instanceGet(ctx, m.instance_uuid);
      if (inst.vm_state !== 'resized' || inst.task_state !== null) continue;
      await setMigration(deps, ctx, m.id, { status: 'confirming' });
      await computes(deps).cast(ctx, m.source_compute, 'confirm_resize', {
        instance_uuid: m.instance_uuid,
        migration_id: m.id,
      });
    } catch (err) {
      deps.log.warn({ err, migration: m.id }, 'automatic confirm of a resize failed');
    }
  }
}
