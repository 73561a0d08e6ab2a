// The conductor's move tasks (superconductor): cold migrate / resize, live migrate, evacuate and
// unshelve. Each schedules a destination (the source's allocations first handed to the migration
// as consumer, so the instance's own consumer can claim the destination), records the chosen host
// on the migration and hands the work to the computes. A scheduling failure puts everything back.
import type { EmbeddedFlavor } from '../objects/instance-extra.ts';
import * as migrations from '../objects/migration.ts';
import * as requestSpecs from '../objects/request-spec.ts';
import type { RequestContext } from '../rpc/index.ts';
import type { Selection } from '../scheduler/selection.ts';
import {
  conductorEvent,
  instanceCell,
  type MoveDeps,
  type MoveSpecOptions,
  moveSpec,
  undoMove,
} from './move-support.ts';

export interface MigrateServerArgs {
  readonly instance_uuid: string;
  /** The new flavor of a resize (null: a cold migration keeps the flavor). */
  readonly flavor: EmbeddedFlavor | null;
  readonly new_instance_type_id: number | null;
  readonly host: string | null;
  readonly node?: string | null;
  /** allow_resize_to_same_host applies (resizes only). */
  readonly allow_same_host: boolean;
  readonly clean_shutdown: boolean;
}

async function pick(
  d: MoveDeps,
  ctx: RequestContext,
  spec: Parameters<MoveDeps['scheduler']['selectDestinations']>[1],
): Promise<Selection> {
  const [[sel]] = await d.scheduler.selectDestinations(ctx, spec, [spec.instance_uuid], false);
  return sel;
}

/** migrate_server (a call: NoValidHost reaches the API as 400). */
export async function migrateServer(d: MoveDeps, ctx: RequestContext, a: MigrateServerArgs): Promise<void> {
  const { cell, inst } = await instanceCell(d, a.instance_uuid);
  const now = d.clock.now();
  const mig = await migrations.create(
    cell.db,
    {
      instance_uuid: inst.uuid,
      source_compute: inst.host,
      source_node: inst.node,
      old_instance_type_id: inst.instance_type_id,
      new_instance_type_id: a.new_instance_type_id ?? inst.instance_type_id,
      status: 'pre-migrating',
      migration_type: a.flavor ? 'resize' : 'migration',
      user_id: ctx.user_id ?? inst.user_id,
      project_id: ctx.project_id ?? inst.project_id,
    },
    now,
  );
  const sameHost = a.flavor !== null && a.allow_same_host;
  const o: MoveSpecOptions = {
    operation: a.flavor ? 'resize' : 'migrate',
    ...(a.flavor ? { flavor: a.flavor } : {}),
    ignoreHosts: sameHost || !inst.host ? [] : [inst.host],
    host: a.host,
    node: a.node ?? null,
  };
  let sel: Selection;
  try {
    sel = await conductorEvent(d, ctx, cell, inst.uuid, 'migrate_server', async () => {
      const spec = await moveSpec(d, cell, inst, o);
      if (mig.uuid) await d.allocations.move(inst.uuid, mig.uuid);
      return pick(d, ctx, spec);
    });
  } catch (err) {
    await undoMove(d, cell, inst, mig, err);
    throw err;
  }
  await migrations.update(
    cell.db,
    mig.id,
    { dest_compute: sel.service_host, dest_node: sel.nodename, dest_host: sel.service_host },
    d.clock.now(),
  );
  if (a.flavor) {
    const stored = await requestSpecs.find(d.apiDb, inst.uuid);
    if (stored) await requestSpecs.save(d.apiDb, { ...stored, flavor: a.flavor }, d.clock.now());
  }
  await d.compute.cast(ctx, sel.service_host, 'prep_resize', {
    instance_uuid: inst.uuid,
    migration_id: mig.id,
    new_flavor: a.flavor ?? inst.flavor,
    new_instance_type_id: a.new_instance_type_id ?? inst.instance_type_id,
    node: sel.nodename,
    clean_shutdown: a.clean_shutdown,
  });
}

export interface LiveMigrateArgs {
  readonly instance_uuid: string;
  readonly host: string | null;
  readonly block_migration: boolean | 'auto';
  readonly force: boolean;
}

/** live_migrate_instance (a cast): the migration record, a destination, then the source compute. */
export async function liveMigrate(d: MoveDeps, ctx: RequestContext, a: LiveMigrateArgs): Promise<void> {
  const { cell, inst } = await instanceCell(d, a.instance_uuid);
  const mig = await migrations.create(
    cell.db,
    {
      instance_uuid: inst.uuid,
      source_compute: inst.host,
      source_node: inst.node,
      dest_compute: a.host,
      old_instance_type_id: inst.instance_type_id,
      new_instance_type_id: inst.instance_type_id,
      status: 'accepted',
      migration_type: 'live-migration',
      user_id: ctx.user_id ?? inst.user_id,
      project_id: ctx.project_id ?? inst.project_id,
    },
    d.clock.now(),
  );
  try {
    await conductorEvent(d, ctx, cell, inst.uuid, 'live_migrate_instance', async () => {
      const spec = await moveSpec(d, cell, inst, {
        operation: 'live-migrate',
        ignoreHosts: inst.host ? [inst.host] : [],
        host: a.host,
        force: a.force,
      });
      if (a.host && a.host === inst.host)
        throw Object.assign(
          new Error(`Unable to migrate instance (${inst.uuid}) to current host (${a.host}).`),
          {
            status: 400,
          },
        );
      if (mig.uuid) await d.allocations.move(inst.uuid, mig.uuid);
      const sel = await pick(d, ctx, spec);
      const checked = await d.compute.call<{ block_migration: boolean }>(
        ctx,
        sel.service_host,
        'check_can_live_migrate_destination',
        { instance_uuid: inst.uuid, block_migration: a.block_migration },
      );
      await migrations.update(
        cell.db,
        mig.id,
        { dest_compute: sel.service_host, dest_node: sel.nodename, dest_host: sel.service_host },
        d.clock.now(),
      );
      if (!inst.host) throw new Error(`Instance ${inst.uuid} has no host.`);
      await d.compute.cast(ctx, inst.host, 'live_migration', {
        instance_uuid: inst.uuid,
        migration_id: mig.id,
        dest: sel.service_host,
        dest_node: sel.nodename,
        block_migration: checked.block_migration,
      });
    });
  } catch (err) {
    d.log.warn({ err, instance: inst.uuid }, 'live migration could not start');
    await undoMove(d, cell, inst, mig, err);
  }
}

export interface EvacuateArgs {
  readonly instance_uuid: string;
  readonly migration_id: number;
  readonly host: string | null;
  readonly force: boolean;
  readonly admin_password: string | null;
  readonly target_state: string | null;
}

/** rebuild_instance with recreate (evacuate): a destination other than the down source. */
export async function evacuate(d: MoveDeps, ctx: RequestContext, a: EvacuateArgs): Promise<void> {
  const { cell, inst } = await instanceCell(d, a.instance_uuid);
  const mig = await migrations.getById(cell.db, a.migration_id);
  try {
    await conductorEvent(d, ctx, cell, inst.uuid, 'rebuild_server', async () => {
      const spec = await moveSpec(d, cell, inst, {
        operation: 'evacuate',
        ignoreHosts: inst.host ? [inst.host] : [],
        host: a.host,
        force: a.force,
      });
      if (mig.uuid) await d.allocations.move(inst.uuid, mig.uuid);
      const sel = await pick(d, ctx, spec);
      await migrations.update(
        cell.db,
        mig.id,
        { dest_compute: sel.service_host, dest_node: sel.nodename, dest_host: sel.service_host },
        d.clock.now(),
      );
      await d.compute.cast(ctx, sel.service_host, 'rebuild_instance', {
        instance_uuid: inst.uuid,
        evacuate: true,
        migration_id: mig.id,
        node: sel.nodename,
        image_ref: inst.image_ref,
        admin_password: a.admin_password,
        preserve_ephemeral: false,
        target_state: a.target_state,
      });
    });
  } catch (err) {
    d.log.warn({ err, instance: inst.uuid }, 'evacuation could not be scheduled');
    await undoMove(d, cell, inst, mig, err, { vm_state: 'error' });
  }
}

export interface UnshelveArgs {
  readonly instance_uuid: string;
  /** undefined: keep the zone; null (2.91): any zone. */
  readonly availability_zone?: string | null;
  readonly host?: string | null;
}

/** unshelve_instance: SHELVED starts in place; SHELVED_OFFLOADED is scheduled anew. */
export async function unshelve(d: MoveDeps, ctx: RequestContext, a: UnshelveArgs): Promise<void> {
  const { cell, inst } = await instanceCell(d, a.instance_uuid);
  if (inst.vm_state === 'shelved' && inst.host) {
    await d.compute.cast(ctx, inst.host, 'unshelve_instance', { instance_uuid: inst.uuid, node: inst.node });
    return;
  }
  try {
    await conductorEvent(d, ctx, cell, inst.uuid, 'unshelve_instance', async () => {
      const spec = await moveSpec(d, cell, inst, {
        operation: 'unshelve',
        host: a.host ?? null,
        ...(a.availability_zone !== undefined ? { availabilityZone: a.availability_zone } : {}),
      });
      if (a.availability_zone !== undefined) {
        const stored = await requestSpecs.find(d.apiDb, inst.uuid);
        if (stored)
          await requestSpecs.save(
            d.apiDb,
            { ...stored, availability_zone: a.availability_zone },
            d.clock.now(),
          );
      }
      const sel = await pick(d, ctx, spec);
      await d.compute.cast(ctx, sel.service_host, 'unshelve_instance', {
        instance_uuid: inst.uuid,
        node: sel.nodename,
      });
    });
  } catch (err) {
    d.log.warn({ err, instance: inst.uuid }, 'unshelve could not be scheduled');
    await undoMove(d, cell, inst, null, err, { vm_state: 'shelved_offloaded' });
  }
}
