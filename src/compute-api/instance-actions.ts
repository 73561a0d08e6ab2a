// What was done to a server (os-instance-actions): its actions newest first, paged by request id,
// and one action with its events. From 2.21 a deleted server's actions stay readable, so the server
// is found with deleted rows included; a server still being built has no actions yet.
import type { AuthContext } from '../auth/types.ts';
import type { CellPool } from '../cells/cell-pool.ts';
import { type CellRef, openCell } from '../cells/lookup.ts';
import type { Database } from '../db/connect.ts';
import type { ApiDb } from '../db/tables/api-db.ts';
import { Invalid } from '../faults/fault.ts';
import * as buildRequests from '../objects/build-request.ts';
import * as instances from '../objects/instance.ts';
import * as actions from '../objects/instance-action.ts';
import * as instanceMappings from '../objects/instance-mapping.ts';

export type ActionsScope =
  | { readonly kind: 'instance'; readonly cell: CellRef; readonly project_id: string }
  | { readonly kind: 'build'; readonly project_id: string };

/** The server whose actions are asked for (404 when unknown or, to non-admins, of another project). */
export async function locateForActions(
  apiDb: Database<ApiDb>,
  cells: CellPool,
  auth: AuthContext,
  uuid: string,
  opts: { readonly readDeleted: boolean },
): Promise<ActionsScope> {
  const notFound = instances.instanceNotFound(uuid);
  const [m] = await instanceMappings.listByInstanceUuids(apiDb, [uuid]);
  if (!m) throw notFound;
  if (!auth.roles.includes('admin') && m.project_id !== auth.project_id) throw notFound;
  let cellMapping = m.cell_mapping;
  if (!cellMapping) {
    const build = await buildRequests.find(apiDb, uuid);
    if (build) return { kind: 'build', project_id: build.project_id };
    cellMapping = (await instanceMappings.listByInstanceUuids(apiDb, [uuid]))[0]?.cell_mapping ?? null;
    if (!cellMapping) throw notFound;
  }
  const cell = await openCell(cells, cellMapping);
  const rec = await instances.findRecord(cell.db, uuid, { readDeleted: opts.readDeleted });
  if (!rec) throw notFound;
  return { kind: 'instance', cell, project_id: rec.project_id };
}

/** When an action last changed: updated_at, or its start when no event has touched it yet. */
export const lastChange = (a: actions.InstanceAction): Date | null => a.updated_at ?? a.start_time;

/**
 * Actions newest first, after the marker (a request id; 400 "Marker … could not be found." when the
 * server has no such action), changed within the window, at most `limit`. Paged here rather than in
 * SQL so that actions whose updated_at was never set count from their start time, as upstream's
 * rows (which set updated_at at start) do.
 */
export async function listActions(
  scope: ActionsScope,
  uuid: string,
  page: actions.ActionPage = {},
): Promise<actions.InstanceAction[]> {
  const markerMissing = () =>
    new Invalid(`Marker ${page.marker} could not be found.`, 'nova.marker_not_found');
  if (scope.kind === 'build') {
    if (page.marker !== undefined) throw markerMissing();
    return [];
  }
  let list = await actions.listFor(scope.cell.db, uuid);
  if (page.marker !== undefined) {
    const i = list.findIndex((a) => a.request_id === page.marker);
    if (i < 0) throw markerMissing();
    list = list.slice(i + 1);
  }
  const { changesSince: since, changesBefore: before } = page;
  if (since || before)
    list = list.filter((a) => {
      const t = lastChange(a);
      return !!t && (!since || t >= since) && (!before || t <= before);
    });
  return page.limit === undefined ? list : list.slice(0, page.limit);
}

export async function getAction(
  scope: ActionsScope,
  uuid: string,
  requestId: string,
): Promise<{ action: actions.InstanceAction; events: actions.ActionEvent[] } | undefined> {
  if (scope.kind === 'build') return undefined;
  return actions.getByRequestId(scope.cell.db, uuid, requestId);
}
