// DELETE /servers/{id}, forceDelete, and restore: a build request is simply dropped; an instance
// that never reached a host (cell0, ERROR, shelved offloaded) or whose compute is down is deleted
// here, its ports released with the caller's token as upstream's _local_delete does; otherwise its
// compute terminates it. With [DEFAULT] reclaim_instance_interval > 0 a delete is a soft delete,
// reclaimed by the compute later (restore brings it back first).
import type { AuthContext } from '../../auth/types.ts';
import type { CellPool } from '../../cells/cell-pool.ts';
import type { CellRef } from '../../cells/lookup.ts';
import type { Clock } from '../../common/clock.ts';
import { silentLogger } from '../../common/log.ts';
import { deallocateForInstance } from '../../compute/network-api.ts';
import type { NovaConf } from '../../config/index.ts';
import type { Database } from '../../db/connect.ts';
import type { ApiDb } from '../../db/tables/api-db.ts';
import { callerNetworkClient } from '../../network-client/endpoint.ts';
import * as buildRequests from '../../objects/build-request.ts';
import type { Instance } from '../../objects/instance.ts';
import * as instances from '../../objects/instance.ts';
import * as actions from '../../objects/instance-action.ts';
import * as groups from '../../objects/instance-group.ts';
import * as instanceMappings from '../../objects/instance-mapping.ts';
import * as services from '../../objects/service.ts';
import type { RequestContext } from '../../rpc/index.ts';
import type { ServersBackend } from './backend.ts';
import { checkLock, checkState, locate } from './lookup.ts';

export interface DeleteDeps {
  readonly conf: NovaConf;
  readonly apiDb: Database<ApiDb>;
  readonly cells: CellPool;
  readonly clock: Clock;
  readonly backend: ServersBackend;
}

export function rpcContext(auth: AuthContext, requestId: string): RequestContext {
  return {
    request_id: requestId,
    user_id: auth.user_id,
    project_id: auth.project_id ?? '',
    roles: auth.roles,
    is_admin: auth.roles.includes('admin'),
    auth_token: auth.token,
  };
}

async function computeIsUp(d: DeleteDeps, cell: CellRef, host: string): Promise<boolean> {
  const svc = await services.findByHostAndBinary(cell.db, host, 'nova-compute');
  return !!svc && services.isServiceUp(svc, d.clock.now(), d.conf.DEFAULT.service_down_time);
}

/** Deletes the instance without its compute (never built, shelved offloaded, or the compute is down). */
async function localDelete(
  d: DeleteDeps,
  auth: AuthContext,
  cell: CellRef,
  inst: Instance,
  now: Date,
): Promise<void> {
  const network = callerNetworkClient(d.conf, auth);
  // Best effort, as the compute's release: a port that cannot go does not keep the server.
  if (network)
    await deallocateForInstance(network, inst.uuid, inst.network_info, silentLogger()).catch(() => {});
  await instances.destroy(cell.db, inst.uuid, now);
  await d.backend.placement.release(inst.uuid).catch(() => {});
  await instanceMappings.setQueuedForDelete(d.apiDb, inst.uuid, true, now);
}

export async function deleteServer(
  d: DeleteDeps,
  auth: AuthContext,
  requestId: string,
  uuid: string,
  opts: { readonly force?: boolean } = {},
): Promise<void> {
  const now = d.clock.now();
  const l = await locate(d.apiDb, d.cells, auth, uuid);
  await groups.removeMember(d.apiDb, uuid);
  if (l.kind === 'build') {
    if (await buildRequests.remove(d.apiDb, uuid)) {
      await instanceMappings.setQueuedForDelete(d.apiDb, uuid, true, now);
      return;
    }
    // The conductor took it meanwhile: delete the instance it made.
    return deleteServer(d, auth, requestId, uuid, opts);
  }
  const { cell, instance: inst } = l;
  checkLock(inst, auth);
  await actions.start(
    cell.db,
    uuid,
    'delete',
    { request_id: requestId, user_id: auth.user_id, project_id: auth.project_id ?? null },
    now,
  );
  if (!inst.host || !(await computeIsUp(d, cell, inst.host))) return localDelete(d, auth, cell, inst, now);
  const soft = !opts.force && d.conf.DEFAULT.reclaim_instance_interval > 0 && inst.vm_state !== 'error';
  if (soft) {
    checkState(inst, 'soft_delete', { taskStates: 'any' });
    await instances.update(cell.db, uuid, { task_state: 'soft-deleting' }, now);
    await d.backend.compute.cast(rpcContext(auth, requestId), inst.host, 'soft_delete_instance', {
      instance_uuid: uuid,
    });
    return;
  }
  if (inst.task_state === 'deleting' && !opts.force) return;
  await instances.update(cell.db, uuid, { task_state: 'deleting', progress: 0 }, now);
  await instanceMappings.setQueuedForDelete(d.apiDb, uuid, true, now);
  await d.backend.compute.cast(rpcContext(auth, requestId), inst.host, 'terminate_instance', {
    instance_uuid: uuid,
  });
}

/** restore (os-deferred-delete): a soft-deleted server back to ACTIVE. */
export async function restoreServer(
  d: DeleteDeps,
  auth: AuthContext,
  requestId: string,
  inst: Instance,
  cell: CellRef,
) {
  checkState(inst, 'restore', { vmStates: ['soft-delete'] });
  const now = d.clock.now();
  await instances.update(cell.db, inst.uuid, { task_state: 'restoring', deleted_at: null }, now, {
    expectedTaskState: [null],
  });
  await actions.start(
    cell.db,
    inst.uuid,
    'restore',
    { request_id: requestId, user_id: auth.user_id, project_id: auth.project_id ?? null },
    now,
  );
  await instanceMappings.setQueuedForDelete(d.apiDb, inst.uuid, false, now);
  if (inst.host)
    await d.backend.compute.cast(rpcContext(auth, requestId), inst.host, 'restore_instance', {
      instance_uuid: inst.uuid,
    });
}
