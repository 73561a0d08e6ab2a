// What the conductor's move tasks share: their dependencies, the request spec of a move (from the
// instance's stored one, with the move's flavor, ignored/forced/requested hosts and operation),
// action events around conductor work, and putting things back when scheduling fails (source
// allocations back from the migration to the instance, migration in error, task state cleared,
// a fault recorded).
import type { CellRef } from '../cells/lookup.ts';
import { cellOfInstance } from '../cells/lookup.ts';
import type { Instance } from '../objects/instance.ts';
import * as instances from '../objects/instance.ts';
import * as actions from '../objects/instance-action.ts';
import type { EmbeddedFlavor } from '../objects/instance-extra.ts';
import * as faults from '../objects/instance-fault.ts';
import * as migrations from '../objects/migration.ts';
import * as requestSpecs from '../objects/request-spec.ts';
import type { RequestContext } from '../rpc/index.ts';
import { specOfInstance } from '../scheduler/instance-spec.ts';
import type { RequestSpec } from '../scheduler/types.ts';
import type { BuildDeps } from './build.ts';

/** Placement calls of moves: a consumer's allocations handed to another (instance ↔ migration). */
export interface AllocationMover {
  /** Moves every allocation of `from` to `to` (replacing `to`'s); false when `from` had none. */
  move(from: string, to: string): Promise<boolean>;
}

export interface MoveDeps extends BuildDeps {
  readonly allocations: AllocationMover;
}

export const actionCtx = (ctx: RequestContext) => ({
  request_id: ctx.request_id,
  user_id: ctx.user_id ?? null,
  project_id: ctx.project_id ?? null,
});

export async function instanceCell(d: MoveDeps, uuid: string): Promise<{ cell: CellRef; inst: Instance }> {
  const cell = await cellOfInstance(d.apiDb, d.cells, uuid);
  if (!cell) throw instances.instanceNotFound(uuid);
  return { cell, inst: await instances.get(cell.db, uuid) };
}

export interface MoveSpecOptions {
  readonly operation: string;
  readonly flavor?: EmbeddedFlavor;
  readonly ignoreHosts?: readonly string[];
  /** The host (and node) asked for; `force` skips the filters (upstream's forced host). */
  readonly host?: string | null;
  readonly node?: string | null;
  readonly force?: boolean;
  readonly availabilityZone?: string | null;
}

/** The request spec a move is scheduled with. */
export async function moveSpec(
  d: MoveDeps,
  cell: CellRef,
  inst: Instance,
  o: MoveSpecOptions,
): Promise<RequestSpec> {
  const stored = await requestSpecs.find(d.apiDb, inst.uuid);
  const base: RequestSpec = stored ?? specOfInstance(inst);
  const host = o.host ?? null;
  return {
    ...base,
    instance_uuid: inst.uuid,
    num_instances: 1,
    flavor: o.flavor ?? inst.flavor,
    retry: null,
    ignore_hosts: [...(o.ignoreHosts ?? [])],
    force_hosts: host && o.force ? [host] : [],
    force_nodes: host && o.force && o.node ? [o.node] : [],
    requested_destination: host && !o.force ? { host, node: o.node ?? null } : null,
    availability_zone: o.availabilityZone !== undefined ? o.availabilityZone : base.availability_zone,
    source_cell_uuid: cell.mapping.uuid,
    operation: o.operation,
  };
}

/** Runs conductor work as event conductor_<name> of the request's action. */
export async function conductorEvent<T>(
  d: MoveDeps,
  ctx: RequestContext,
  cell: CellRef,
  uuid: string,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const event = `conductor_${name}`;
  await actions.eventStart(cell.db, uuid, actionCtx(ctx), event, null, d.clock.now()).catch(() => {});
  try {
    const out = await work();
    await actions.eventFinish(cell.db, uuid, actionCtx(ctx), event, null, d.clock.now()).catch(() => {});
    return out;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const traceback = err instanceof Error ? (err.stack ?? message) : message;
    await actions
      .eventFinish(cell.db, uuid, actionCtx(ctx), event, { message, traceback }, d.clock.now())
      .catch(() => {});
    throw err;
  }
}

/** A move that failed before reaching a compute: everything back as it was, plus a fault. */
export async function undoMove(
  d: MoveDeps,
  cell: CellRef,
  inst: Instance,
  migration: migrations.Migration | null,
  err: unknown,
  changes: instances.InstanceChanges = {},
): Promise<void> {
  const now = d.clock.now();
  if (migration?.uuid) await d.allocations.move(migration.uuid, inst.uuid).catch(() => false);
  if (migration) await migrations.setStatus(cell.db, migration.id, 'error', now).catch(() => {});
  await instances.update(cell.db, inst.uuid, { task_state: null, ...changes }, now).catch(() => {});
  const message = err instanceof Error ? err.message : String(err);
  const status = (err as { status?: number }).status;
  await faults
    .add(cell.db, inst.uuid, { code: status && status < 500 ? status : 500, message, details: message }, now)
    .catch(() => {});
}
