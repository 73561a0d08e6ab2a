// Server (user) metadata changes: allowed only on an unlocked server (admins excepted) that has
// launched, is active, paused, suspended or stopped, and has no task running (upstream's
// update_instance_metadata / delete_instance_metadata); the result must fit the metadata_items quota.
import { OverQuota } from '../api/compute/faults/faults.ts';
import type { AuthContext } from '../auth/types.ts';
import type { CellRef } from '../cells/lookup.ts';
import type { Instance } from '../objects/instance.ts';
import * as meta from '../objects/instance-metadata.ts';
import { getProjectQuotas, type QuotaDeps } from './quotas.ts';
import { checkLock, checkState, invalidState } from './servers/lookup.ts';

export const METADATA_VM_STATES = Object.freeze(['active', 'paused', 'suspended', 'stopped']);

export interface MetadataDeps {
  readonly quota: QuotaDeps;
  readonly now: () => Date;
}

/** check_instance_lock + check_instance_state(vm_state=…, task_state=None, must_have_launched). */
export function checkMetadataChangeAllowed(inst: Instance, auth: AuthContext, action: string): void {
  checkLock(inst, auth);
  checkState(inst, action, { vmStates: METADATA_VM_STATES });
  if (!inst.launched_at) throw invalidState(inst.uuid, action, 'launched_at', null);
}

/** 403 when a server would carry more metadata items than the project's metadata_items quota. */
export async function checkMetadataItems(d: QuotaDeps, projectId: string, count: number): Promise<void> {
  if (count === 0) return;
  const limit = (await getProjectQuotas(d, projectId)).metadata_items?.limit ?? -1;
  if (limit >= 0 && count > limit)
    throw new OverQuota(`Maximum number of metadata items exceeds ${limit}`, 403);
}

/**
 * Sets metadata items: merged into what the server has (POST, PUT of one key), or replacing all of
 * it (PUT of the whole set). Returns the server's metadata afterwards.
 */
export async function updateMetadata(
  d: MetadataDeps,
  auth: AuthContext,
  cell: CellRef,
  inst: Instance,
  values: meta.Metadata,
  replace: boolean,
  action = 'update metadata',
): Promise<meta.Metadata> {
  checkMetadataChangeAllowed(inst, auth, action);
  const result = replace ? { ...values } : { ...inst.metadata, ...values };
  await checkMetadataItems(d.quota, inst.project_id, Object.keys(result).length);
  await meta.set(cell.db, 'instance_metadata', inst.uuid, result, true, d.now());
  return result;
}

/** Removes one item (the caller has checked that it exists). */
export async function deleteMetadataItem(
  d: MetadataDeps,
  auth: AuthContext,
  cell: CellRef,
  inst: Instance,
  key: string,
): Promise<void> {
  checkMetadataChangeAllowed(inst, auth, 'delete metadata');
  await meta.removeKeys(cell.db, 'instance_metadata', inst.uuid, [key], d.now());
}
