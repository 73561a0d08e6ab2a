// Resize, cold and live migration, and evacuation as upstream's compute API does them: state and
// lock checks (409), the task state set conditionally, the instance action recorded, then the
// conductor (which schedules) or the computes (confirm/revert, live-migration control) take over.
import { Conflict, Invalid, NotFound } from '../../faults/fault.ts';
import * as instances from '../../objects/instance.ts';
import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';
import * as meta from '../../objects/instance-metadata.ts';
import * as migrations from '../../objects/migration.ts';
import * as requestSpecs from '../../objects/request-spec.ts';
import { createCellUsageCounter } from '../usage.ts';
import { checkLock, checkState } from './lookup.ts';
import {
  type Acting,
  computeService,
  ctxOf,
  finishedResize,
  type MoveApiDeps,
  recordAction,
  serviceIsUp,
} from './move-support.ts';
import { checkResizeQuota } from './quota.ts';

export interface ResizeRequest {
  /** The new flavor (resize) or null (cold migration). */
  readonly flavor: { readonly embedded: EmbeddedFlavor; readonly id: number } | null;
  /** 2.56: the destination host of a cold migration. */
  readonly host: string | null;
}

/** resize / migrate: ACTIVE or STOPPED → RESIZE (task resize_prep); the conductor schedules. */
export async function resize(d: MoveApiDeps, a: Acting, r: ResizeRequest): Promise<void> {
  const { inst } = a;
  checkLock(inst, a.auth);
  checkState(inst, r.flavor ? 'resize' : 'migrate', { vmStates: ['active', 'stopped'] });
  if (r.flavor && r.flavor.embedded.flavorid === inst.flavor.flavorid)
    throw new Invalid('When resizing, instances must change flavor!', 'nova.cannot_resize_to_same_flavor');
  if (r.host) {
    await computeService(a, r.host);
    if (r.host === inst.host)
      throw new Invalid(
        `Cannot migrate instance ${inst.uuid} to the same host ${r.host}.`,
        'nova.cannot_migrate_to_same_host',
      );
  }
  if (r.flavor)
    await checkResizeQuota(
      { conf: d.conf, apiDb: d.apiDb, usage: createCellUsageCounter(d.apiDb, d.cells) },
      inst.project_id,
      inst.user_id,
      inst.flavor,
      r.flavor.embedded,
    );
  const now = d.clock.now();
  await instances.update(a.cell.db, inst.uuid, { task_state: 'resize_prep', progress: 0 }, now, {
    expectedTaskState: [null],
  });
  await meta.set(
    a.cell.db,
    'instance_system_metadata',
    inst.uuid,
    { old_vm_state: inst.vm_state ?? 'active' },
    false,
    now,
  );
  await recordAction(d, a, r.flavor ? 'resize' : 'migrate');
  await d.backend.conductor.migrateServer(ctxOf(a), {
    instance_uuid: inst.uuid,
    flavor: r.flavor?.embedded ?? null,
    new_instance_type_id: r.flavor?.id ?? null,
    host: r.host,
    allow_same_host: d.conf.DEFAULT.allow_resize_to_same_host,
    clean_shutdown: true,
  });
}

/** confirmResize: the source keeps nothing more (204). */
export async function confirmResize(d: MoveApiDeps, a: Acting): Promise<void> {
  checkLock(a.inst, a.auth);
  checkState(a.inst, 'confirm_resize', { vmStates: ['resized'] });
  const m = await finishedResize(a);
  await migrations.setStatus(a.cell.db, m.id, 'confirming', d.clock.now());
  await recordAction(d, a, 'confirmResize');
  await d.backend.compute.cast(ctxOf(a), m.source_compute ?? '', 'confirm_resize', {
    instance_uuid: a.inst.uuid,
    migration_id: m.id,
  });
}

/** revertResize: back to the source with the old flavor (task resize_reverting). */
export async function revertResize(d: MoveApiDeps, a: Acting): Promise<void> {
  checkLock(a.inst, a.auth);
  checkState(a.inst, 'revert_resize', { vmStates: ['resized'] });
  const m = await finishedResize(a);
  const now = d.clock.now();
  const spec = await requestSpecs.find(d.apiDb, a.inst.uuid);
  if (spec && a.inst.old_flavor)
    await requestSpecs.save(d.apiDb, { ...spec, flavor: a.inst.old_flavor }, now);
  await instances.update(a.cell.db, a.inst.uuid, { task_state: 'resize_reverting' }, now, {
    expectedTaskState: [null],
  });
  await migrations.setStatus(a.cell.db, m.id, 'reverting', now);
  await recordAction(d, a, 'revertResize');
  await d.backend.compute.cast(ctxOf(a), m.dest_compute ?? '', 'revert_resize', {
    instance_uuid: a.inst.uuid,
    migration_id: m.id,
  });
}

export interface LiveMigrateRequest {
  readonly host: string | null;
  readonly blockMigration: boolean | 'auto';
  readonly force: boolean;
}

/** os-migrateLive: ACTIVE or PAUSED → task migrating; the conductor picks and starts it. */
export async function liveMigrate(d: MoveApiDeps, a: Acting, r: LiveMigrateRequest): Promise<void> {
  checkLock(a.inst, a.auth);
  checkState(a.inst, 'live_migration', { vmStates: ['active', 'paused'] });
  if (r.host) await computeService(a, r.host);
  await instances.update(a.cell.db, a.inst.uuid, { task_state: 'migrating' }, d.clock.now(), {
    expectedTaskState: [null],
  });
  await recordAction(d, a, 'live-migration');
  await d.backend.conductor.liveMigrateInstance(ctxOf(a), {
    instance_uuid: a.inst.uuid,
    host: r.host,
    block_migration: r.blockMigration,
    force: r.force,
  });
}

/** An in-progress live migration of the server (404 as upstream when not). */
export async function inProgressLiveMigration(a: Acting, id: number): Promise<migrations.Migration> {
  const m = (
    await migrations.list(a.cell.db, { instance_uuid: a.inst.uuid, migration_type: 'live-migration' })
  ).find((x) => x.id === id);
  if (!m || !LIVE_IN_PROGRESS.includes(m.status ?? ''))
    throw new NotFound(
      `In-progress live migration ${id} is not found for server ${a.inst.uuid}.`,
      'nova.migration_not_found_for_instance',
    );
  return m;
}

export const LIVE_IN_PROGRESS: readonly string[] = Object.freeze([
  'queued',
  'preparing',
  'running',
  'post-migrating',
]);

/** POST …/migrations/{id}/action force_complete (2.22). */
export async function forceComplete(d: MoveApiDeps, a: Acting, id: number): Promise<void> {
  checkLock(a.inst, a.auth);
  checkState(a.inst, 'force_complete', { vmStates: ['active'], taskStates: ['migrating'] });
  const m = await inProgressLiveMigration(a, id);
  if (m.status !== 'running')
    throw new Invalid(
      `Migration ${id} state of instance ${a.inst.uuid} is ${m.status}. Cannot force_complete while the migration is in this state.`,
      'nova.invalid_migration_state',
    );
  await recordAction(d, a, 'live_migration_force_complete');
  await d.backend.compute.cast(ctxOf(a), m.source_compute ?? '', 'live_migration_force_complete', {
    instance_uuid: a.inst.uuid,
    migration_id: id,
  });
}

/** DELETE …/migrations/{id} (2.24): abort a queued (2.65+), preparing or running live migration. */
export async function abortLiveMigration(
  d: MoveApiDeps,
  a: Acting,
  id: number,
  allowQueued: boolean,
): Promise<void> {
  checkLock(a.inst, a.auth);
  checkState(a.inst, 'abort live migration', { taskStates: ['migrating'] });
  const m = await inProgressLiveMigration(a, id);
  const ok = ['running', 'preparing', ...(allowQueued ? ['queued'] : [])];
  if (!ok.includes(m.status ?? ''))
    throw new Invalid(
      `Migration ${id} state of instance ${a.inst.uuid} is ${m.status}. Cannot abort live migration while the migration is in this state.`,
      'nova.invalid_migration_state',
    );
  await recordAction(d, a, 'live_migration_cancel');
  await d.backend.compute.cast(ctxOf(a), m.source_compute ?? '', 'live_migration_abort', {
    instance_uuid: a.inst.uuid,
    migration_id: id,
  });
}

export interface EvacuateRequest {
  readonly host: string | null;
  readonly force: boolean;
  readonly adminPass: string | null;
  /** 2.95: 'stopped'; before: the server keeps its state. */
  readonly targetState: string | null;
}

/** evacuate: only when the server's compute is down; rebuilt on another host. */
export async function evacuate(d: MoveApiDeps, a: Acting, r: EvacuateRequest): Promise<void> {
  const { inst } = a;
  checkLock(inst, a.auth);
  checkState(inst, 'evacuate', { vmStates: ['active', 'stopped', 'error'], taskStates: 'any' });
  if (r.host) {
    await computeService(a, r.host);
    if (r.host === inst.host)
      throw new Invalid("The target host can't be the same one.", 'nova.invalid_host');
  }
  if (!inst.host) throw new Conflict(`Instance ${inst.uuid} has no host.`, 'nova.instance_invalid_state');
  const source = await computeService(a, inst.host);
  if (serviceIsUp(d, source))
    throw new Conflict(`Compute service of ${inst.host} is still in use.`, 'nova.compute_service_in_use');
  const now = d.clock.now();
  await instances.update(a.cell.db, inst.uuid, { task_state: 'rebuilding' }, now, {
    expectedTaskState: inst.task_state === null ? [null] : [inst.task_state],
  });
  await recordAction(d, a, 'evacuate');
  const m = await migrations.create(
    a.cell.db,
    {
      instance_uuid: inst.uuid,
      source_compute: inst.host,
      source_node: inst.node,
      dest_compute: r.host,
      status: 'accepted',
      migration_type: 'evacuation',
      old_instance_type_id: inst.instance_type_id,
      new_instance_type_id: inst.instance_type_id,
      user_id: a.auth.user_id,
      project_id: a.auth.project_id ?? null,
    },
    now,
  );
  await d.backend.conductor.rebuildInstance(ctxOf(a), {
    instance_uuid: inst.uuid,
    migration_id: m.id,
    host: r.host,
    force: r.force,
    admin_password: r.adminPass,
    target_state: r.targetState,
  });
}
