// Finding a server for an API request: its mapping, its cell and the instance there (or its build
// request when it is not in a cell yet). A server of another project is "not found" to non-admins.
import type { AuthContext } from '../../auth/types.ts';
import type { CellPool } from '../../cells/cell-pool.ts';
import { type CellRef, openCell } from '../../cells/lookup.ts';
import type { Database } from '../../db/connect.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import { Conflict } from '../../faults/fault.ts';
import * as buildRequests from '../../objects/build-request.ts';
import type { Instance } from '../../objects/instance.ts';
import * as instances from '../../objects/instance.ts';
import * as instanceMappings from '../../objects/instance-mapping.ts';

export type Located =
  | { readonly kind: 'instance'; readonly cell: CellRef; readonly instance: Instance }
  | { readonly kind: 'build'; readonly build: buildRequests.BuildRequest };

export async function locate(
  apiDb: Database<ApiDb>,
  cells: CellPool,
  auth: AuthContext,
  uuid: string,
): Promise<Located> {
  const notFound = instances.instanceNotFound(uuid);
  const [m] = await instanceMappings.listByInstanceUuids(apiDb, [uuid]);
  if (!m) throw notFound;
  const admin = auth.roles.includes('admin');
  if (!admin && m.project_id !== auth.project_id) throw notFound;
  if (!m.cell_mapping) {
    const build = await buildRequests.find(apiDb, uuid);
    if (build) return { kind: 'build', build };
    // The conductor moved it to a cell between the two reads: read the mapping again.
    const [again] = await instanceMappings.listByInstanceUuids(apiDb, [uuid]);
    if (!again?.cell_mapping) throw notFound;
    return locateIn(await openCell(cells, again.cell_mapping), uuid);
  }
  return locateIn(await openCell(cells, m.cell_mapping), uuid);
}

async function locateIn(cell: CellRef, uuid: string): Promise<Located> {
  const instance = await instances.find(cell.db, uuid);
  if (!instance) throw instances.instanceNotFound(uuid);
  return { kind: 'instance', cell, instance };
}

/** An instance that must be in a cell for the action (a build request is still 'building'). */
export async function locateInstance(
  apiDb: Database<ApiDb>,
  cells: CellPool,
  auth: AuthContext,
  uuid: string,
  action: string,
): Promise<{ cell: CellRef; instance: Instance }> {
  const l = await locate(apiDb, cells, auth, uuid);
  if (l.kind === 'build') throw invalidState(uuid, action, 'vm_state', 'building');
  return l;
}

/** Upstream's InstanceInvalidState (409). */
export function invalidState(uuid: string, action: string, attr: string, state: string | null): Conflict {
  return new Conflict(
    `Cannot '${action}' instance ${uuid} while it is in ${attr} ${state === null ? 'None' : state}`,
    'nova.instance_invalid_state',
  );
}

export interface StateRule {
  readonly vmStates?: readonly string[];
  /** Allowed task states (null = no task); default: only null. */
  readonly taskStates?: readonly (string | null)[] | 'any';
}

/** check_instance_state: 409 when the instance is not in an allowed vm/task state. */
export function checkState(inst: Instance, action: string, rule: StateRule): void {
  if (rule.vmStates && !rule.vmStates.includes(inst.vm_state ?? ''))
    throw invalidState(inst.uuid, action, 'vm_state', inst.vm_state);
  const tasks = rule.taskStates ?? [null];
  if (tasks !== 'any' && !tasks.includes(inst.task_state))
    throw invalidState(inst.uuid, action, 'task_state', inst.task_state);
}

/** check_instance_lock: a locked server refuses actions unless the caller is admin. */
export function checkLock(inst: Instance, auth: AuthContext): void {
  if (inst.locked && !auth.roles.includes('admin'))
    throw new Conflict(`Instance ${inst.uuid} is locked`, 'nova.instance_is_locked');
}
